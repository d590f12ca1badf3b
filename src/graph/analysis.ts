/**
 * Static analyses of a DAG for `weft plan` and `weft explain`: how many nodes could ever run at
 * once (so a user knows when more parallelism cannot help), the chain of nodes that bounds the
 * run's length, and the wall time a given parallelism would give under the executor's own
 * start order.
 */
import { UsageError, describeValue } from '../errors.js';
import type { Dag, Topology } from './dag.js';
import { topologyOf } from './dag.js';
import { IndexHeap } from './index-heap.js';

/**
 * The most nodes that can ever run at once: the size of a maximum antichain (a set of nodes of
 * which none depends on another, even transitively). By Dilworth's theorem it equals the number
 * of nodes minus a maximum matching in the bipartite graph of the transitive closure, found with
 * Hopcroft–Karp over bitset rows; fine up to a few thousand nodes.
 */
export function dagWidth(dag: Dag): number {
  const t = topologyOf(dag);
  const n = t.size;
  if (n === 0) return 0;
  const words = (n + 31) >>> 5;
  return n - maximumMatching(transitiveClosure(t, words), n, words);
}

/**
 * The longest chain of dependent nodes, weighted by `durationMs` (default: 1 per node, so the
 * length is the number of nodes on it). Ties go to the node declared first.
 */
export function criticalPath(dag: Dag, durationMs: (id: string) => number = () => 1): { path: string[]; lengthMs: number } {
  const t = topologyOf(dag);
  const finish = new Float64Array(t.size);
  const prev = new Int32Array(t.size).fill(-1);
  let end = -1;
  for (const i of t.order) {
    let best = -1;
    for (let k = t.depStart[i]!; k < t.depStart[i + 1]!; k++) {
      const d = t.depList[k]!;
      if (best < 0 || finish[d]! > finish[best]! || (finish[d] === finish[best] && d < best)) best = d;
    }
    prev[i] = best;
    const start = best < 0 ? 0 : finish[best]!;
    finish[i] = start + duration(durationMs, t.ids[i]!);
    if (end < 0 || finish[i] > finish[end]! || (finish[i] === finish[end] && i < end)) end = i;
  }
  const path: string[] = [];
  for (let i = end; i >= 0; i = prev[i]!) path.push(t.ids[i]!);
  return { path: path.reverse(), lengthMs: end < 0 ? 0 : finish[end]! };
}

/**
 * The wall time of a run with this parallelism if every node took `durationMs`: a list-scheduling
 * simulation that starts ready nodes in declaration order, as the executor does.
 */
export function predictWallTime(dag: Dag, durationMs: (id: string) => number, parallelism: number): number {
  if (!(parallelism === Infinity || (Number.isInteger(parallelism) && parallelism >= 1))) {
    throw new UsageError(`Expected \`parallelism\` to be an integer from 1 and up (or Infinity), got ${describeValue(parallelism)}.`);
  }
  const t = topologyOf(dag);
  const remaining = t.indegree.slice();
  const finish = new Float64Array(t.size);
  const ready = new IndexHeap(t.size);
  const running = new IndexHeap(t.size, (a, b) => finish[a]! < finish[b]! || (finish[a] === finish[b] && a < b));
  for (let i = 0; i < t.size; i++) if (remaining[i] === 0) ready.push(i);
  let time = 0;
  while (ready.size > 0 || running.size > 0) {
    while (running.size < parallelism && ready.size > 0) {
      const i = ready.pop();
      finish[i] = time + duration(durationMs, t.ids[i]!);
      running.push(i);
    }
    time = finish[running.peek()]!;
    // Everything ending at this instant frees its slot before anything new starts.
    while (running.size > 0 && finish[running.peek()] === time) {
      const i = running.pop();
      for (let k = t.dependentStart[i]!; k < t.dependentStart[i + 1]!; k++) {
        const j = t.dependentList[k]!;
        if (--remaining[j]! === 0) ready.push(j);
      }
    }
  }
  return time;
}

function duration(durationMs: (id: string) => number, id: string): number {
  const d = durationMs(id);
  if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) {
    throw new UsageError(`Expected the duration of node ${JSON.stringify(id)} to be a number of milliseconds from 0 up, got ${describeValue(d)}.`);
  }
  return d;
}

/** Row u holds bit v when v depends on u, directly or not. */
function transitiveClosure(t: Topology, words: number): Uint32Array {
  const reach = new Uint32Array(t.size * words);
  for (let o = t.size - 1; o >= 0; o--) {
    const u = t.order[o]!;
    const row = u * words;
    for (let k = t.dependentStart[u]!; k < t.dependentStart[u + 1]!; k++) {
      const v = t.dependentList[k]!;
      const other = v * words;
      for (let w = 0; w < words; w++) reach[row + w]! |= reach[other + w]!;
      reach[row + (v >>> 5)]! |= 1 << (v & 31);
    }
  }
  return reach;
}

/**
 * Hopcroft–Karp on the bipartite graph (u on the left, v on the right, an edge when row u has
 * bit v). Right vertices are visited at most once per BFS and per DFS phase, through bit masks,
 * so each phase costs O(n² / 32) word operations whatever the number of edges.
 */
function maximumMatching(reach: Uint32Array, n: number, words: number): number {
  const matchL = new Int32Array(n).fill(-1);
  const matchR = new Int32Array(n).fill(-1);
  const dist = new Int32Array(n);
  const cursor = new Int32Array(n);
  const visited = new Uint32Array(words);
  const queue = new Int32Array(n);
  const stack = new Int32Array(n);
  const via = new Int32Array(n);
  let matched = 0;
  // Next right vertex of u at or after u's cursor (a bit position) that is not visited yet.
  const nextRight = (u: number): number => {
    const row = u * words;
    const from = cursor[u]!;
    let w = from >>> 5;
    let bits = w < words ? reach[row + w]! & ~visited[w]! & (~0 << (from & 31)) : 0;
    while (bits === 0) {
      if (++w >= words) {
        cursor[u] = n;
        return -1;
      }
      bits = reach[row + w]! & ~visited[w]!;
    }
    const v = (w << 5) + (31 - Math.clz32(bits & -bits));
    cursor[u] = v + 1;
    return v;
  };
  for (;;) {
    // BFS: layer the left vertices by alternating-path distance from the free ones.
    dist.fill(-1);
    visited.fill(0);
    cursor.fill(0);
    let head = 0;
    let tail = 0;
    for (let u = 0; u < n; u++) {
      if (matchL[u]! >= 0) continue;
      dist[u] = 0;
      queue[tail++] = u;
    }
    let found = false;
    while (head < tail) {
      const u = queue[head++]!;
      for (let v = nextRight(u); v >= 0; v = nextRight(u)) {
        visited[v >>> 5]! |= 1 << (v & 31);
        const w = matchR[v]!;
        if (w < 0) found = true;
        else if (dist[w]! < 0) {
          dist[w] = dist[u]! + 1;
          queue[tail++] = w;
        }
      }
    }
    if (!found) return matched;
    // DFS: vertex-disjoint augmenting paths along the layers.
    visited.fill(0);
    cursor.fill(0);
    let augmented = 0;
    for (let root = 0; root < n; root++) {
      if (matchL[root]! >= 0 || dist[root] !== 0) continue;
      let depth = 1;
      stack[0] = root;
      while (depth > 0) {
        const u = stack[depth - 1]!;
        const v = nextRight(u);
        if (v < 0) {
          dist[u] = -1;
          depth--;
          continue;
        }
        const w = matchR[v]!;
        if (w >= 0 && dist[w] !== dist[u]! + 1) continue;
        // Only a right vertex that a path goes through is used up for this phase.
        visited[v >>> 5]! |= 1 << (v & 31);
        via[depth - 1] = v;
        if (w >= 0) {
          stack[depth++] = w;
          continue;
        }
        for (let k = 0; k < depth; k++) {
          matchL[stack[k]!] = via[k]!;
          matchR[via[k]!] = stack[k]!;
        }
        matched++;
        augmented++;
        break;
      }
    }
    // BFS found a layered path to a free vertex, so at least one augments; this guards the loop.
    if (augmented === 0) return matched;
  }
}
