/**
 * A task set (Spark's TaskSetManager): the queue of one stage of one job, a leaf of the scheduling
 * tree while it has unfinished tasks (an idle set changes no ordering, so it stays out of the tree
 * and a task set that is never closed costs nothing). Tasks leave it in submission order; a
 * crashed task comes back ahead of every later one.
 * It also keeps the moving average of its tasks' run time that decides whether slots may be
 * pipelined for it.
 */
import { UsageError } from '../errors.js';
import type { TaskSet } from './options.js';
import { LeafNode, setPending, type PoolNode } from './pool.js';
import type { Task } from './task.js';

/** Below this average run time (ms) a task set's tasks may be pipelined onto busy slots. */
export const PIPELINE_BELOW_MS = 1;
const EMA_ALPHA = 0.2;

/** What a scheduler tells each of its task sets, one object for all of them. */
export interface TaskSetHooks {
  /** The scheduler: a task set is submitted to only by its owner. */
  readonly owner: object;
  /** The set got its first unfinished task. */
  onBusy(set: TaskSetImpl): void;
  /** The set's last unfinished task settled. */
  onIdle(set: TaskSetImpl): void;
}

/** The scheduler's task set: a leaf of the pool tree plus its queue. */
export class TaskSetImpl extends LeafNode implements TaskSet {
  readonly pool: string;
  readonly jobGroup: string | undefined;
  /** Tasks submitted and not yet settled (queued, running or waiting for children). */
  unfinished = 0;
  /** Live tasks in the queue. */
  queued = 0;
  #closed = false;
  /** Made on the first task (most sets of a pipeline run take one), dropped once drained. */
  #queue: Task[] | undefined = undefined;
  #head = 0;
  #retries: Task[] | undefined = undefined;
  #averageMs: number | undefined = undefined;
  /** Neighbours in the scheduler's list of task sets with unfinished tasks. */
  prev: TaskSetImpl | undefined = undefined;
  next: TaskSetImpl | undefined = undefined;
  /** The pool this set is a leaf of while it has unfinished tasks. */
  readonly poolNode: PoolNode;
  readonly #hooks: TaskSetHooks;

  constructor(
    init: { name: string; jobId: number; stageId: number; id: number; pool: PoolNode; jobGroup: string | undefined },
    /** The scheduler's hooks, shared by all its sets. */
    hooks: TaskSetHooks,
  ) {
    super(init.name, init.jobId, init.stageId, init.id);
    this.pool = init.pool.name;
    this.poolNode = init.pool;
    this.jobGroup = init.jobGroup;
    this.#hooks = hooks;
  }

  /** The scheduler that created this set. */
  get owner(): object {
    return this.#hooks.owner;
  }

  /** True when its tasks are short enough to pipeline several onto one slot. */
  get pipelined(): boolean {
    return this.#averageMs !== undefined && this.#averageMs < PIPELINE_BELOW_MS;
  }

  /** {@inheritDoc TaskSet.close} */
  close(): void {
    this.#closed = true;
  }

  /** Throws when no more tasks may be submitted here. */
  checkOpen(): void {
    if (this.#closed) {
      throw new UsageError(
        `Expected an open task set, got task set ${JSON.stringify(this.name)} (job ${this.jobId}, stage ${this.stageId}) after close(). ` +
          `Submit every task before closing it, or create a new task set.`,
      );
    }
  }

  /** Counts a new task that starts at once, without waiting in the queue. */
  admit(): void {
    if (this.unfinished++ === 0) this.#hooks.onBusy(this);
  }

  /** Appends a new task. */
  enqueue(task: Task): void {
    this.admit();
    if (this.#queue === undefined) this.#queue = [task];
    else this.#queue.push(task);
    this.#changeQueued(1);
  }

  /** Puts a crashed task back ahead of every task submitted after it. */
  requeue(task: Task): void {
    const retries = (this.#retries ??= []);
    let at = retries.length;
    while (at > 0 && (retries[at - 1]?.id ?? 0) > task.id) at--;
    retries.splice(at, 0, task);
    this.#changeQueued(1);
  }

  /** Takes the next queued task. */
  dequeue(): Task | undefined {
    let task = this.#retries?.shift();
    while (task !== undefined && task.state !== 'queued') task = this.#retries?.shift();
    const queue = this.#queue;
    if (task === undefined && queue !== undefined) {
      while (this.#head < queue.length) {
        const next = queue[this.#head++];
        if (next?.state === 'queued') {
          task = next;
          break;
        }
      }
      if (this.#head === queue.length) {
        this.#queue = undefined;
        this.#head = 0;
      } else if (this.#head > 1024 && this.#head * 2 > queue.length) {
        queue.splice(0, this.#head);
        this.#head = 0;
      }
    }
    if (task !== undefined) this.#changeQueued(-1);
    return task;
  }

  /** Accounts for a queued task that was dropped (its state is already `done`; the queue skips it). */
  dropped(): void {
    this.#changeQueued(-1);
  }

  /** Every live queued task, in queue order (for cancellation). */
  queuedTasks(): Task[] {
    const live = (task: Task | undefined): task is Task => task?.state === 'queued';
    return [...(this.#retries ?? []).filter(live), ...(this.#queue ?? []).slice(this.#head).filter(live)];
  }

  /** A task of this set settled. */
  settled(): void {
    if (--this.unfinished === 0) this.#hooks.onIdle(this);
  }

  /** Feeds one attempt's run time into the moving average. */
  observe(ms: number): void {
    const sample = Math.max(0, ms);
    this.#averageMs = this.#averageMs === undefined ? sample : this.#averageMs + EMA_ALPHA * (sample - this.#averageMs);
  }

  #changeQueued(delta: number): void {
    this.queued += delta;
    setPending(this, this.queued > 0);
  }
}
