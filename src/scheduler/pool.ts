/**
 * The scheduling tree and Spark's two orderings over it (`FIFOSchedulingAlgorithm`,
 * `FairSchedulingAlgorithm`): root pool → named pools (each FIFO or FAIR) → task sets. Each
 * dispatch takes the first task set with queued tasks in the sorted tree, as Spark's
 * `getSortedTaskSetQueue` does; since both orderings are total, that is found with one minimum
 * scan per level instead of a sort. Running counts are kept incrementally up the tree.
 */

/** How the children of a pool are ordered. */
export type SchedulingMode = 'FIFO' | 'FAIR';

/** Common shape of the two kinds of node. */
interface NodeBase {
  readonly name: string;
  readonly weight: number;
  readonly minShare: number;
  /** Tasks holding slots in this subtree. */
  running: number;
  parent: PoolNode | undefined;
}

/** A leaf: one task set. The scheduler's task set extends it. */
export class LeafNode implements NodeBase {
  readonly kind = 'leaf';
  readonly weight: number = 1;
  readonly minShare: number = 0;
  running = 0;
  parent: PoolNode | undefined = undefined;
  /** True while the task set has queued tasks; change it only through {@link setPending}. */
  pending = false;
  constructor(
    readonly name: string,
    /** Spark's priority: the job id. */
    readonly jobId: number,
    readonly stageId: number,
    /** Creation order; last FIFO tie-break and FAIR tie-break after the name. */
    readonly id: number,
  ) {}
}

/** An inner node: the root pool or a named pool. */
export class PoolNode implements NodeBase {
  readonly kind = 'pool';
  running = 0;
  parent: PoolNode | undefined = undefined;
  /** Leaves with queued tasks below this pool. */
  pendingLeaves = 0;
  readonly children: Array<PoolNode | LeafNode> = [];
  constructor(
    readonly name: string,
    readonly mode: SchedulingMode,
    readonly minShare = 0,
    readonly weight = 1,
  ) {}

  /** Adds a pool or task set below this pool. */
  add(child: PoolNode | LeafNode): void {
    child.parent = this;
    this.children.push(child);
    const pending = child.kind === 'leaf' ? (child.pending ? 1 : 0) : child.pendingLeaves;
    propagate(this, child.running, pending);
  }

  /** Removes a child (a closed, drained task set). */
  remove(child: PoolNode | LeafNode): void {
    const children = this.children;
    const index = children.indexOf(child);
    if (index < 0) return;
    // Shifted by hand: `splice` would allocate the array of removed items.
    for (let k = index + 1; k < children.length; k++) children[k - 1] = children[k]!;
    children.pop();
    const pending = child.kind === 'leaf' ? (child.pending ? 1 : 0) : child.pendingLeaves;
    propagate(this, -child.running, -pending);
    child.parent = undefined;
  }
}

function propagate(from: PoolNode | undefined, running: number, pending: number): void {
  for (let pool = from; pool !== undefined; pool = pool.parent) {
    pool.running += running;
    pool.pendingLeaves += pending;
  }
}

/** Changes a leaf's running count by `delta` and every ancestor's with it. */
export function addRunning(leaf: LeafNode, delta: number): void {
  leaf.running += delta;
  propagate(leaf.parent, delta, 0);
}

/** Marks a leaf as having (or no longer having) queued tasks. */
export function setPending(leaf: LeafNode, pending: boolean): void {
  if (leaf.pending === pending) return;
  leaf.pending = pending;
  propagate(leaf.parent, 0, pending ? 1 : -1);
}

function hasPending(node: PoolNode | LeafNode): boolean {
  return node.kind === 'leaf' ? node.pending : node.pendingLeaves > 0;
}

/**
 * Spark's FIFO order: lower job id, then lower stage id, then lower task set id. A pool under a
 * FIFO parent is ranked by its first pending task set, so a FIFO root orders jobs across pools
 * exactly as Spark's FIFO mode (which ignores pools) does.
 */
export function fifoCompare(a: LeafNode, b: LeafNode): number {
  return a.jobId - b.jobId || a.stageId - b.stageId || a.id - b.id;
}

/**
 * Spark's FAIR order: a node running fewer than its minShare is needy and goes first; two needy
 * nodes compare running/max(minShare, 1); otherwise running/weight; ties by name, then id.
 */
export function fairCompare(a: PoolNode | LeafNode, b: PoolNode | LeafNode): number {
  const aNeedy = a.running < a.minShare;
  const bNeedy = b.running < b.minShare;
  if (aNeedy !== bNeedy) return aNeedy ? -1 : 1;
  const ratio = aNeedy
    ? a.running / Math.max(a.minShare, 1) - b.running / Math.max(b.minShare, 1)
    : a.running / a.weight - b.running / b.weight;
  if (ratio !== 0) return ratio;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.kind === 'leaf' && b.kind === 'leaf' ? a.id - b.id : 0;
}

/** The FIFO-first pending leaf of a subtree. */
function firstFifoLeaf(node: PoolNode | LeafNode): LeafNode | undefined {
  if (node.kind === 'leaf') return node.pending ? node : undefined;
  let best: LeafNode | undefined;
  for (const child of node.children) {
    if (!hasPending(child)) continue;
    const leaf = firstFifoLeaf(child);
    if (leaf !== undefined && (best === undefined || fifoCompare(leaf, best) < 0)) best = leaf;
  }
  return best;
}

/**
 * The task set that gets the next free slot: the first one with queued tasks in the sorted tree.
 * Returns `undefined` when nothing is queued.
 */
export function pickLeaf(pool: PoolNode): LeafNode | undefined {
  if (pool.pendingLeaves === 0) return undefined;
  if (pool.mode === 'FIFO') {
    let best: PoolNode | LeafNode | undefined;
    let bestKey: LeafNode | undefined;
    for (const child of pool.children) {
      if (!hasPending(child)) continue;
      const key = firstFifoLeaf(child);
      if (key !== undefined && (bestKey === undefined || fifoCompare(key, bestKey) < 0)) {
        best = child;
        bestKey = key;
      }
    }
    return best === undefined || best.kind === 'leaf' ? best : pickLeaf(best);
  }
  let best: PoolNode | LeafNode | undefined;
  for (const child of pool.children) {
    if (hasPending(child) && (best === undefined || fairCompare(child, best) < 0)) best = child;
  }
  return best === undefined || best.kind === 'leaf' ? best : pickLeaf(best);
}
