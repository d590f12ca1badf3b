import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { Dag, criticalPath, dagWidth, predictWallTime } from '../../src/graph/index.js';
import type { GraphNode } from '../../src/graph/index.js';
import { randomNodes } from './helpers.js';

const node = (id: string, ...deps: string[]): GraphNode<null> => ({ id, deps, data: null });
const chain = (n: number): Dag => new Dag(Array.from({ length: n }, (_, i) => node(`c${i}`, ...(i > 0 ? [`c${i - 1}`] : []))));
const independent = (n: number): Dag => new Dag(Array.from({ length: n }, (_, i) => node(`i${i}`)));
const diamond = new Dag([node('a'), node('b', 'a'), node('c', 'a'), node('d', 'b', 'c')]);

/** Largest set of mutually unreachable nodes, by trying every subset. */
function bruteForceWidth(nodes: GraphNode<number>[]): number {
  const n = nodes.length;
  const reach = nodes.map(() => new Array<boolean>(n).fill(false));
  const index = new Map(nodes.map((x, i) => [x.id, i]));
  for (let i = 0; i < n; i++) {
    for (const dep of nodes[i]!.deps) {
      const d = index.get(dep)!;
      reach[d]![i] = true;
      for (let k = 0; k < n; k++) if (reach[k]![d]) reach[k]![i] = true;
    }
  }
  let best = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    const members = [...Array(n).keys()].filter((i) => mask & (1 << i));
    if (members.length <= best) continue;
    if (members.every((i) => members.every((j) => !reach[i]![j]))) best = members.length;
  }
  return best;
}

describe('dagWidth', () => {
  it('is 1 for a chain, 2 for a diamond, n for independent nodes, 0 when empty', () => {
    expect(dagWidth(chain(20))).toBe(1);
    expect(dagWidth(diamond)).toBe(2);
    expect(dagWidth(independent(17))).toBe(17);
    expect(dagWidth(new Dag([]))).toBe(0);
  });

  it('counts nodes on different levels that can still overlap', () => {
    // a → b → c and x: x can run beside any of them; b and y are unrelated too.
    expect(dagWidth(new Dag([node('a'), node('b', 'a'), node('c', 'b'), node('x'), node('y', 'a')]))).toBe(3);
  });

  it('agrees with a brute force on small random DAGs', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const nodes = randomNodes(2 + (seed % 11), seed, 1 + (seed % 3));
      expect(dagWidth(new Dag(nodes)), `seed ${seed}`).toBe(bruteForceWidth(nodes));
    }
  });

  it('finds the width of large graphs of known shape', () => {
    // 7 chains of 300 nodes, declared interleaved: width 7.
    const chains = new Dag(Array.from({ length: 2100 }, (_, i) => node(`n${i}`, ...(i >= 7 ? [`n${i - 7}`] : []))));
    expect(dagWidth(chains)).toBe(7);
    // 50 layers of 40 nodes, each waiting for the whole layer before it: width 40.
    const layers: GraphNode<null>[] = [];
    for (let l = 0; l < 50; l++) {
      const previous = l === 0 ? [] : Array.from({ length: 40 }, (_, k) => `l${l - 1}_${k}`);
      for (let k = 0; k < 40; k++) layers.push(node(`l${l}_${k}`, ...previous));
    }
    expect(dagWidth(new Dag(layers))).toBe(40);
  });

  it('handles a few thousand nodes, never below the widest level', () => {
    const dag = new Dag(randomNodes(3000, 11, 2));
    const width = dagWidth(dag);
    expect(width).toBeGreaterThanOrEqual(Math.max(...dag.levels().map((l) => l.length)));
    expect(width).toBeLessThanOrEqual(3000);
    expect(dagWidth(chain(3000))).toBe(1);
  });
});

describe('criticalPath', () => {
  it('counts nodes by default', () => {
    expect(criticalPath(chain(4))).toEqual({ path: ['c0', 'c1', 'c2', 'c3'], lengthMs: 4 });
    expect(criticalPath(new Dag([]))).toEqual({ path: [], lengthMs: 0 });
  });

  it('follows the slowest branch', () => {
    const durations: Record<string, number> = { a: 1, b: 5, c: 2, d: 1 };
    expect(criticalPath(diamond, (id) => durations[id]!)).toEqual({ path: ['a', 'b', 'd'], lengthMs: 7 });
    durations.c = 9;
    expect(criticalPath(diamond, (id) => durations[id]!)).toEqual({ path: ['a', 'c', 'd'], lengthMs: 11 });
  });

  it('rejects a negative duration naming the node', () => {
    expect(() => criticalPath(diamond, (id) => (id === 'c' ? -1 : 1))).toThrow(/node "c"/);
  });
});

describe('predictWallTime', () => {
  const ms = (id: string): number => Number(id.slice(1)) + 1;

  it('sums a chain', () => {
    expect(predictWallTime(chain(5), ms, 4)).toBe(1 + 2 + 3 + 4 + 5);
  });

  it('is the longest node for n independent nodes with parallelism n, and the sum with 1', () => {
    expect(predictWallTime(independent(6), ms, 6)).toBe(6);
    expect(predictWallTime(independent(6), ms, Infinity)).toBe(6);
    expect(predictWallTime(independent(6), ms, 1)).toBe(21);
  });

  it('starts ready nodes in declaration order as slots free up', () => {
    // i0 (1 ms) and i1 (2 ms) start; i2 (3 ms) takes i0's slot at 1 ms and ends at 4 ms.
    expect(predictWallTime(independent(3), ms, 2)).toBe(4);
    expect(predictWallTime(diamond, () => 1, 1)).toBe(4);
    expect(predictWallTime(diamond, () => 1, 2)).toBe(3);
  });

  it('rejects a bad parallelism', () => {
    expect(() => predictWallTime(diamond, () => 1, 0)).toThrow(UsageError);
  });
});
