/**
 * The scheduler's public option and result types, apart from the class itself so that layers
 * above (graph, pipeline, dataflow) can import them as types only.
 */
import type { EventStream } from '../events.js';
import type { BackendKind, TaskOutcome, WorkerBackend } from '../runtime/backend.js';
import type { AbortSource } from '../runtime/lazy-abort.js';
import type { SchedulingMode } from './pool.js';

export type { SchedulingMode };

/**
 * One named pool, like a `<pool>` of Spark's `fairscheduler.xml`.
 *
 * @example
 * ```ts
 * pools: { etl: { mode: 'FAIR', weight: 2 }, adhoc: { minShare: 1 } }
 * ```
 */
export interface PoolConfig {
  /** Order of the task sets inside this pool. @default 'FIFO' */
  mode?: SchedulingMode;
  /** Share of the slots relative to sibling pools under contention; > 0. @default 1 */
  weight?: number;
  /** Slots this pool gets before weights are looked at; ≥ 0. @default 0 */
  minShare?: number;
}

/** What a {@link TaskScheduler} is built from. */
export interface SchedulerOptions {
  /** Where tasks run; the scheduler owns its slots. */
  backend: WorkerBackend;
  /** Slots used, 1 ≤ slots ≤ backend.slots. @default backend.slots */
  slots?: number;
  /** How the root pool orders the named pools. @default 'FIFO' */
  mode?: SchedulingMode;
  /** Named pools; `default` (FIFO, weight 1, minShare 0) always exists unless overridden here. */
  pools?: Record<string, PoolConfig>;
  /** Receives `task.*` events, built only when someone listens. @default a new EventStream */
  events?: EventStream;
  /** Attempts in total for a task whose worker crashed (`WorkerCrashedError`). @default 4 */
  maxFailures?: number;
}

/** What a task set is created from; pool and job group default to the async context. */
export interface TaskSetOptions {
  /** Names the stage in events and FAIR tie-breaks. */
  name: string;
  /** FIFO priority; a new job id is taken when omitted. */
  jobId?: number;
  /** @default 0 */
  stageId?: number;
  /** @default currentPool() ?? 'default' */
  pool?: string;
  /** @default currentJobGroup() */
  jobGroup?: string;
}

/** One stage of one job (Spark's TaskSetManager): tasks submitted to it run in submission order. */
export interface TaskSet {
  readonly id: number;
  readonly jobId: number;
  readonly stageId: number;
  readonly pool: string;
  readonly jobGroup: string | undefined;
  readonly name: string;
  /** No more tasks will be submitted; the task set leaves its pool once its tasks are done. */
  close(): void;
}

/** Per-task options of {@link TaskScheduler.submit}. */
export interface SubmitOptions {
  /**
   * Aborting drops a queued task or aborts a running one; the promise rejects with `signal.reason`.
   * An {@link AbortSource} (e.g. a graph attempt's `ctx.abortSource`) does the same without an
   * `AbortSignal` being made for a task that is never aborted.
   */
  signal?: AbortSignal | AbortSource;
  /** Overrides the scheduler's `maxFailures` for this task. */
  maxFailures?: number;
  /** Called when the task takes a slot (each attempt), e.g. to report where a step really started. */
  onStart?: (slot: number) => void;
  /** The dataflow partition the task computes, reported on its `task.*` events. */
  partition?: number;
  /**
   * Called when an attempt no longer occupies its worker (its backend run settled). After an abort
   * the task's promise rejects at once, but its code may still be stopping: this says when it has.
   */
  onAttemptEnd?: () => void;
}

/** A task's outcome plus where it ran. */
export interface TaskResult extends TaskOutcome {
  /** The slot of the last attempt. */
  slot: number;
  /** Attempts made, 1 when the first one succeeded. */
  attempts: number;
  taskId: number;
  backend: BackendKind;
}

/**
 * Receives a task's outcome: the callback form of {@link TaskScheduler.submit} (see
 * `TaskScheduler.submitTo`), for callers that would otherwise wrap the task's promise in one of
 * their own. Exactly one of `resolve` and `reject` is called, once.
 */
export interface TaskSink {
  resolve(result: TaskResult): void;
  reject(error: unknown): void;
  /** Called when the task takes a slot (each attempt), like {@link SubmitOptions.onStart}. */
  started?(slot: number): void;
}
