import { describe, expect, it } from 'vitest';
import { UsageError, deserializeError, serializeError } from '../../src/errors.js';
import { CycleError, Dag, DuplicateNodeError, UnknownDependencyError, UnknownNodeError } from '../../src/graph/index.js';
import type { GraphNode } from '../../src/graph/index.js';

const node = (id: string, ...deps: string[]): GraphNode<null> => ({ id, deps, data: null });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('Dag validation', () => {
  it('names every node of a cycle in run order, starting at the first declared', () => {
    // c waits for b, b waits for a, a waits for c; x and y are outside the cycle.
    const error = thrown(() => new Dag([node('x'), node('b', 'a'), node('a', 'c', 'x'), node('c', 'b'), node('y', 'c')]));
    expect(error).toBeInstanceOf(CycleError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as CycleError).cycle).toEqual(['b', 'c', 'a']);
    expect(error.message).toContain('"b" → "c" → "a" → "b"');
  });

  it('reports a self-loop', () => {
    const error = thrown(() => new Dag([node('a'), node('s', 'a', 's')]));
    expect((error as CycleError).cycle).toEqual(['s']);
    expect(error.message).toContain('"s" → "s"');
  });

  it('finds a long cycle behind a valid prefix', () => {
    const nodes = [node('root')];
    for (let i = 0; i < 50; i++) nodes.push(node(`c${i}`, i === 0 ? 'c49' : `c${i - 1}`, 'root'));
    const error = thrown(() => new Dag(nodes)) as CycleError;
    expect(error.cycle).toEqual(Array.from({ length: 50 }, (_, i) => `c${i}`));
  });

  it('names both ends of an unknown dependency', () => {
    const error = thrown(() => new Dag([node('load'), node('clean', 'lod')]));
    expect(error).toBeInstanceOf(UnknownDependencyError);
    expect(error.message).toContain('"clean" depends on "lod"');
    expect(error.message).toContain('"load"');
    expect(error).toMatchObject({ node: 'clean', dependency: 'lod' });
  });

  it('rejects a duplicate id', () => {
    const error = thrown(() => new Dag([node('a'), node('b'), node('a')]));
    expect(error).toBeInstanceOf(DuplicateNodeError);
    expect(error.message).toContain('"a" is declared twice (positions 0 and 2)');
  });

  it('rejects bad retry and timeout settings with the node name', () => {
    expect(() => new Dag([{ ...node('a'), retries: -1 }])).toThrow(/`retries` of node "a" to be an integer from 0 and up, got number -1/);
    expect(() => new Dag([{ ...node('a'), timeoutMs: 0 }])).toThrow(/`timeoutMs` of node "a"/);
    expect(() => new Dag([{ id: '', deps: [], data: 1 }])).toThrow(UsageError);
  });

  it('keeps its class across a worker boundary', () => {
    const error = thrown(() => new Dag([node('a', 'a')]));
    expect(deserializeError(structuredClone(serializeError(error)))).toBeInstanceOf(CycleError);
  });
});

describe('Dag queries', () => {
  const dag = new Dag([node('d', 'b', 'c'), node('b', 'a'), node('a'), node('c', 'a'), node('e'), node('f', 'a', 'a')]);

  it('keeps declaration order and finds nodes by id', () => {
    expect(dag.nodes.map((n) => n.id)).toEqual(['d', 'b', 'a', 'c', 'e', 'f']);
    expect(dag.get('c').deps).toEqual(['a']);
    expect(() => dag.get('zz')).toThrow(UnknownNodeError);
  });

  it('lists dependents in declaration order, once each', () => {
    expect(dag.dependents('a')).toEqual(['b', 'c', 'f']);
    expect(dag.dependents('d')).toEqual([]);
  });

  it('groups nodes in topological levels', () => {
    expect(dag.levels()).toEqual([['a', 'e'], ['b', 'c', 'f'], ['d']]);
    expect(new Dag([]).levels()).toEqual([]);
  });
});
