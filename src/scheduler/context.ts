/**
 * The scheduler's async context, like Spark's thread-local job properties: code wrapped in
 * {@link withPool} or {@link withJobGroup} submits its task sets to that pool / job group, across
 * every `await`, without passing the names down by hand. The scheduler also runs each task inside
 * a context naming the task, so that in-process code which submits more tasks is seen as nested
 * (DESIGN.md principle 2: orchestration never holds a slot while it waits).
 *
 * It is the only async context of the engine: the engine a run works on and the run's job scope
 * travel in the same store. Node 20 copies every live store onto every promise created, so one
 * store instead of two halves that cost for each promise of a task.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What the async context carries. Internal: read it through the accessors below. */
export interface SchedulerContext {
  readonly pool?: string | undefined;
  readonly jobGroup?: string | undefined;
  readonly jobGroupDescription?: string | undefined;
  /** The scheduler's record of the task whose code runs here (opaque outside the scheduler). */
  readonly task?: object | undefined;
  /** The engine whose work runs here (opaque here; see `Engine.current`). */
  readonly engine?: object | undefined;
  /** The job scope of the run whose work runs here (opaque here; see `Engine.currentScope`). */
  readonly scope?: object | undefined;
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
  return withContext({ pool }, fn);
}

/**
 * Runs `fn` so that task sets it creates belong to job group `groupId`, which
 * {@link cancelJobGroup} can cancel as a whole.
 */
export function withJobGroup<T>(groupId: string, fn: () => T, options?: { description?: string }): T {
  return withContext({ jobGroup: groupId, jobGroupDescription: options?.description }, fn);
}

/** Internal: runs `fn` in the current context with the fields of `change` replaced. */
export function withContext<T>(change: SchedulerContext, fn: () => T): T {
  const outer = storage.getStore();
  const context: SchedulerContext = {
    pool: 'pool' in change ? change.pool : outer?.pool,
    jobGroup: 'jobGroup' in change ? change.jobGroup : outer?.jobGroup,
    jobGroupDescription: 'jobGroup' in change ? change.jobGroupDescription : outer?.jobGroupDescription,
    task: outer?.task,
    engine: 'engine' in change ? change.engine : outer?.engine,
    scope: 'engine' in change ? change.scope : outer?.scope,
  };
  return storage.run(context, fn);
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

/** Internal: the engine and job scope of the current async context (see `Engine.current`). */
export function currentEngineContext(): SchedulerContext | undefined {
  return storage.getStore();
}

/** Internal: runs `fn(...args)` in the context of a task (its pool and job group are inherited by nested work). */
export function runInTask<A extends unknown[], T>(context: SchedulerContext, fn: (...args: A) => T, ...args: A): T {
  return storage.run(context, fn, ...args);
}
