/**
 * The DAG of a run: nodes with ids, the ids they wait for, and per-node retry and timeout
 * settings. A {@link Dag} is validated once, when it is built (duplicate ids, unknown
 * dependencies, cycles, bad settings), and compiled into integer arrays that the executor and
 * the analyses walk without string look-ups, so one DAG can be run many times cheaply.
 */
import { UsageError, describeValue } from '../errors.js';
import { CycleError, DuplicateNodeError, UnknownDependencyError, UnknownNodeError } from './errors.js';
import { IndexHeap } from './index-heap.js';

/** One unit of orchestration: a step, a target, a job instance. */
export interface GraphNode<T = unknown> {
  /** Unique within the DAG; names the node in events, results and errors. */
  id: string;
  /** Ids of the nodes this node waits for. */
  deps: readonly string[];
  /** Whatever the `execute` callback needs to run the node. */
  data: T;
  /** Extra attempts after the first one fails. @default 0 */
  retries?: number;
  /** Back-off before the first retry; it doubles on each further retry. @default 0 */
  retryDelayMs?: number;
  /** Cap of the back-off. @default 30_000 */
  retryMaxDelayMs?: number;
  /** Limit of one attempt; past it the attempt's signal aborts with a `TimeoutError`. @default none */
  timeoutMs?: number;
}

/**
 * The DAG compiled to indices (declaration order) and compressed adjacency lists. For the graph
 * layer's own modules; not part of the public API.
 * @internal
 */
export interface Topology {
  readonly size: number;
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Dependencies of node i: `depList[depStart[i] .. depStart[i + 1])`, duplicates removed. */
  readonly depStart: Int32Array;
  readonly depList: Int32Array;
  /** Dependents of node i, ascending: `dependentList[dependentStart[i] .. dependentStart[i + 1])`. */
  readonly dependentStart: Int32Array;
  readonly dependentList: Int32Array;
  /** Number of distinct dependencies of each node. */
  readonly indegree: Int32Array;
  /** A topological order; among nodes free at the same time, the one declared first comes first. */
  readonly order: Int32Array;
}

let topologyOfDag: (dag: Dag<unknown>) => Topology;

/**
 * The compiled form of a DAG, for the graph layer's own modules.
 * @internal
 */
export function topologyOf(dag: Dag<unknown>): Topology {
  return topologyOfDag(dag);
}

/**
 * A validated, immutable DAG.
 *
 * @example
 * ```ts
 * const dag = new Dag([
 *   { id: 'load', deps: [], data: loadFn },
 *   { id: 'clean', deps: ['load'], data: cleanFn, retries: 2, retryDelayMs: 100 },
 * ]);
 * dag.levels(); // [['load'], ['clean']]
 * ```
 */
export class Dag<T = unknown> {
  /** The nodes in declaration order. */
  readonly nodes: ReadonlyArray<GraphNode<T>>;
  #topology: Topology;
  #levels: string[][] | undefined;

  static {
    topologyOfDag = (dag) => dag.#topology;
  }

  /**
   * Validates and compiles the nodes.
   * @throws {@link DuplicateNodeError}, {@link UnknownDependencyError}, {@link CycleError}, or a
   * `UsageError` for a malformed node.
   */
  constructor(nodes: Iterable<GraphNode<T>>) {
    const list = Object.freeze([...nodes]);
    this.nodes = list;
    const index = new Map<string, number>();
    list.forEach((node, i) => {
      validateNode(node, i);
      const first = index.get(node.id);
      if (first !== undefined) throw new DuplicateNodeError(node.id, first, i);
      index.set(node.id, i);
    });
    this.#topology = compile(list, index);
  }

  /** The node with this id. @throws {@link UnknownNodeError} */
  get(id: string): GraphNode<T> {
    const i = this.#topology.index.get(id);
    if (i === undefined) throw new UnknownNodeError(id);
    return this.nodes[i]!;
  }

  /** Ids of the nodes that wait for this one, in declaration order. @throws {@link UnknownNodeError} */
  dependents(id: string): readonly string[] {
    const t = this.#topology;
    const i = t.index.get(id);
    if (i === undefined) throw new UnknownNodeError(id);
    const out: string[] = [];
    for (let k = t.dependentStart[i]!; k < t.dependentStart[i + 1]!; k++) out.push(t.ids[t.dependentList[k]!]!);
    return out;
  }

  /**
   * Topological levels: level 0 holds the nodes without dependencies, level k the nodes whose
   * deepest dependency is on level k - 1. Each level lists its nodes in declaration order.
   */
  levels(): string[][] {
    if (!this.#levels) {
      const t = this.#topology;
      const level = new Int32Array(t.size);
      let depth = 0;
      for (const i of t.order) {
        let l = 0;
        for (let k = t.depStart[i]!; k < t.depStart[i + 1]!; k++) l = Math.max(l, level[t.depList[k]!]! + 1);
        level[i] = l;
        depth = Math.max(depth, l + 1);
      }
      const levels: string[][] = Array.from({ length: depth }, () => []);
      for (let i = 0; i < t.size; i++) levels[level[i]!]!.push(t.ids[i]!);
      this.#levels = levels;
    }
    return this.#levels.map((l) => [...l]);
  }
}

function validateNode(node: GraphNode<unknown>, position: number): void {
  const where = `node ${typeof node?.id === 'string' ? JSON.stringify(node.id) : `at position ${position}`}`;
  if (typeof node !== 'object' || node === null) {
    throw new UsageError(`Expected a node object at position ${position}, got ${describeValue(node)}.`);
  }
  if (typeof node.id !== 'string' || node.id === '') {
    throw new UsageError(`Expected ${where} to have a non-empty string \`id\`, got ${describeValue(node.id)}.`);
  }
  if (!Array.isArray(node.deps) || node.deps.some((d) => typeof d !== 'string')) {
    throw new UsageError(`Expected \`deps\` of ${where} to be an array of node ids, got ${describeValue(node.deps)}. Use [] for none.`);
  }
  checkNumber(where, 'retries', node.retries, 0, true);
  checkNumber(where, 'retryDelayMs', node.retryDelayMs, 0, false);
  checkNumber(where, 'retryMaxDelayMs', node.retryMaxDelayMs, 0, false);
  if (node.timeoutMs !== undefined && !(typeof node.timeoutMs === 'number' && node.timeoutMs > 0 && node.timeoutMs < 2 ** 31)) {
    throw new UsageError(
      `Expected \`timeoutMs\` of ${where} to be a number of milliseconds above 0 (below 2^31), got ${describeValue(node.timeoutMs)}. ` +
        'Leave it out for no timeout.',
    );
  }
}

function checkNumber(where: string, key: string, value: unknown, min: number, integer: boolean): void {
  if (value === undefined) return;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && (!integer || Number.isInteger(value));
  if (!ok) {
    throw new UsageError(
      `Expected \`${key}\` of ${where} to be ${integer ? 'an integer' : 'a number'} from ${min} and up, got ${describeValue(value)}.`,
    );
  }
}

function compile(nodes: ReadonlyArray<GraphNode<unknown>>, index: Map<string, number>): Topology {
  const n = nodes.length;
  const ids = nodes.map((node) => node.id);
  const depStart = new Int32Array(n + 1);
  const deps: number[] = [];
  const indegree = new Int32Array(n);
  const outdegree = new Int32Array(n);
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    depStart[i] = deps.length;
    for (const dep of nodes[i]!.deps) {
      const d = index.get(dep);
      if (d === undefined) throw new UnknownDependencyError(ids[i]!, dep, ids);
      if (seen[d] === i) continue;
      seen[d] = i;
      deps.push(d);
      outdegree[d]!++;
    }
    indegree[i] = deps.length - depStart[i]!;
  }
  depStart[n] = deps.length;
  const depList = Int32Array.from(deps);
  const dependentStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) dependentStart[i + 1] = dependentStart[i]! + outdegree[i]!;
  const dependentList = new Int32Array(deps.length);
  const fill = dependentStart.slice(0, n);
  // Visiting dependents in declaration order keeps every dependent list ascending.
  for (let i = 0; i < n; i++) {
    for (let k = depStart[i]!; k < depStart[i + 1]!; k++) dependentList[fill[depList[k]!]!++] = i;
  }
  const topology = { size: n, ids, index, depStart, depList, dependentStart, dependentList, indegree, order: new Int32Array(n) };
  sortTopologically(topology);
  return topology;
}

/** Kahn's algorithm with a heap, so that free nodes come in declaration order; throws on a cycle. */
function sortTopologically(t: Topology): void {
  const remaining = t.indegree.slice();
  const heap = new IndexHeap(t.size);
  for (let i = 0; i < t.size; i++) if (remaining[i] === 0) heap.push(i);
  let count = 0;
  while (heap.size > 0) {
    const i = heap.pop();
    t.order[count++] = i;
    for (let k = t.dependentStart[i]!; k < t.dependentStart[i + 1]!; k++) {
      const j = t.dependentList[k]!;
      if (--remaining[j]! === 0) heap.push(j);
    }
  }
  if (count < t.size) throw new CycleError(findCycle(t, remaining));
}

/**
 * Every node left with an unmet dependency after Kahn's algorithm has such a dependency that is
 * left too, so walking those dependencies from any left node must repeat a node: that is a cycle.
 */
function findCycle(t: Topology, remaining: Int32Array): string[] {
  const stepOf = new Int32Array(t.size).fill(-1);
  const walk: number[] = [];
  let i = remaining.findIndex((r) => r > 0);
  while (stepOf[i]! < 0) {
    stepOf[i] = walk.length;
    walk.push(i);
    let next = -1;
    for (let k = t.depStart[i]!; k < t.depStart[i + 1]! && next < 0; k++) {
      if (remaining[t.depList[k]!]! > 0) next = t.depList[k]!;
    }
    i = next;
  }
  // The walk follows dependencies backwards; reverse it into run order, starting at the
  // first-declared node on the cycle.
  const cycle = walk.slice(stepOf[i]).reverse();
  let first = 0;
  for (let k = 1; k < cycle.length; k++) if (cycle[k]! < cycle[first]!) first = k;
  return [...cycle.slice(first), ...cycle.slice(0, first)].map((j) => t.ids[j]!);
}
