/**
 * The scheduler's async context, like Spark's thread-local job properties: code wrapped in
 * {@link withPool} or {@link withJobGroup} submits its task sets to that pool / job group, across
 * every `await`, without passing the names down by hand. The scheduler also runs each task inside
 * a context naming the task, so that in-process code which submits more tasks is seen as nested
 * (DESIGN.md principle 2: orchestration never holds a slot while it waits).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What the async context carries. Internal: read it through the accessors below. */
export interface SchedulerContext {
  readonly pool?: string | undefined;
  readonly jobGroup?: string | undefined;
  readonly jobGroupDescription?: string | undefined;
  /** The scheduler's record of the task whose code runs here (opaque outside the scheduler). */
  readonly task?: object | undefined;
}

/** Something whose job groups can be cancelled: a live `TaskScheduler`. */
export interface JobGroupCanceller {
  cancelJobGroup(groupId: string, reason?: string): number;
}

const storage = new AsyncLocalStorage<SchedulerContext>();
const live = new Set<WeakRef<JobGroupCanceller>>();

/**
 * Runs `fn` so that task sets it creates (directly or after any number of awaits) go to `pool`.
 *
 * @example
 * ```ts
 * await withPool('reports', () => Promise.all(parts.map((p) => scheduler.submit(stage, task(p)))));
 * ```
 */
export function withPool<T>(pool: string, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run({ pool, jobGroup: outer?.jobGroup, jobGroupDescription: outer?.jobGroupDescription, task: outer?.task }, fn);
}

/**
 * Runs `fn` so that task sets it creates belong to job group `groupId`, which
 * {@link cancelJobGroup} can cancel as a whole.
 */
export function withJobGroup<T>(groupId: string, fn: () => T, options?: { description?: string }): T {
  const outer = storage.getStore();
  return storage.run({ pool: outer?.pool, jobGroup: groupId, jobGroupDescription: options?.description, task: outer?.task }, fn);
}

/** The pool set by the innermost {@link withPool} (or inherited from the running task), if any. */
export function currentPool(): string | undefined {
  return storage.getStore()?.pool;
}

/** The job group set by the innermost {@link withJobGroup} (or inherited from the running task), if any. */
export function currentJobGroup(): string | undefined {
  return storage.getStore()?.jobGroup;
}

/** The description given to the innermost {@link withJobGroup}, if any. */
export function currentJobGroupDescription(): string | undefined {
  return storage.getStore()?.jobGroupDescription;
}

/**
 * Cancels job group `groupId` on every live scheduler: its queued tasks are dropped and its
 * running tasks aborted, each rejecting with a `CancelledError`. Returns how many tasks were cancelled.
 */
export function cancelJobGroup(groupId: string, reason?: string): number {
  let count = 0;
  for (const ref of live) {
    const scheduler = ref.deref();
    if (scheduler === undefined) live.delete(ref);
    else count += scheduler.cancelJobGroup(groupId, reason);
  }
  return count;
}

/** Internal: makes a scheduler reachable from {@link cancelJobGroup}. Returns the function that removes it. */
export function registerScheduler(scheduler: JobGroupCanceller): () => void {
  const ref = new WeakRef(scheduler);
  live.add(ref);
  return () => live.delete(ref);
}

/** Internal: the scheduler's record of the task whose code runs in the current async context, if any. */
export function currentTaskRecord(): object | undefined {
  return storage.getStore()?.task;
}

/** Internal: runs `fn(...args)` in the context of a task (its pool and job group are inherited by nested work). */
export function runInTask<A extends unknown[], T>(context: SchedulerContext, fn: (...args: A) => T, ...args: A): T {
  return storage.run(context, fn, ...args);
}
