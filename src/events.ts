/**
 * The one event stream. Every layer reports what happens through an {@link EventStream}: the DAG
 * executor (runs and nodes), the data plane (jobs and their stages), the scheduler (tasks on slots).
 * A dataflow job's events nest by id: `job.*` (jobId) → `stage.*` (jobId, stageId) → `task.*`
 * (jobId, stageId, partition, attempt). Progress display, `--json` output,
 * run history and the web UI all read these events and nothing else, so they always agree.
 *
 * Dispatch is synchronous and cheap when nobody listens: hot paths call {@link EventStream.wants}
 * before building an event object.
 */
import type { SerializedError } from './errors.js';

/** Where a unit of work ran. */
export type BackendKind = 'async' | 'thread' | 'process';

export type RunEventType = 'run.queued' | 'run.started' | 'run.succeeded' | 'run.failed' | 'run.cancelled';

/** A whole run (a pipeline run, a job) changed state. */
export interface RunEvent {
  type: RunEventType;
  runId: string;
  /** Pipeline or job name. */
  name: string;
  /** Epoch milliseconds. */
  time: number;
  /** Total number of nodes in the run (on `run.started`). */
  nodes?: number;
  error?: SerializedError;
}

export type NodeEventType =
  | 'node.queued'
  | 'node.started'
  | 'node.retried'
  | 'node.succeeded'
  | 'node.failed'
  | 'node.skipped'
  | 'node.cancelled';

/** One node (step, target) of a run changed state. */
export interface NodeEvent {
  type: NodeEventType;
  runId: string;
  node: string;
  time: number;
  /** 1 for the first try. */
  attempt: number;
  backend?: BackendKind;
  slot?: number;
  /** Why a node was skipped or cancelled, in words. */
  reason?: string;
  error?: SerializedError;
  /** Wall time of the attempt that just ended. */
  durationMs?: number;
  /** Back-off before the next attempt (on `node.retried`). */
  delayMs?: number;
  /** True when the output came from the step cache. */
  cached?: boolean;
}

export type JobEventType = 'job.started' | 'job.succeeded' | 'job.failed';

/** A dataflow job (one action: `count()`, `writeCsv(out)` …) changed state. */
export interface JobEvent {
  type: JobEventType;
  jobId: number;
  /** The action, e.g. `count()`, `first(5)`, `writeCsv(out/words)`. */
  action: string;
  time: number;
  /** Stages and tasks of the job's plan. */
  stages: number;
  tasks: number;
  /** Rows the sources read (on `job.succeeded`). */
  rowsRead?: number;
  /** Rows of the action's result: counted, collected or written (on `job.succeeded`). */
  rows?: number;
  /** Wall time of the job (on `job.succeeded` / `job.failed`). */
  durationMs?: number;
  /** Malformed input rows skipped / quarantined by `onError` (on `job.succeeded`). */
  malformedSkipped?: number;
  malformedQuarantined?: number;
  /** The first malformed rows, with `file:line` and why. */
  malformed?: Array<{ file: string; line: number; message: string }>;
  error?: SerializedError;
}

export type StageEventType = 'stage.started' | 'stage.succeeded' | 'stage.failed';

/** One stage of a dataflow job changed state. */
export interface StageEvent {
  type: StageEventType;
  jobId: number;
  stageId: number;
  /** The stage's operators, e.g. `readText(data/*.txt) → flatMap(λ)`. */
  name: string;
  /** Tasks of the stage (partitions; for a streamed source, the tasks run so far on success). */
  tasks: number;
  time: number;
  /** Rows its tasks read and produced (on `stage.succeeded`). */
  rowsIn?: number;
  rowsOut?: number;
  durationMs?: number;
  error?: SerializedError;
}

export type TaskEventType = 'task.started' | 'task.succeeded' | 'task.failed';

/** A leaf task ran on a slot of the scheduler. Emitted only when someone listens. */
export interface TaskEvent {
  type: TaskEventType;
  taskId: number;
  jobId: number;
  stageId: number;
  pool: string;
  label: string;
  time: number;
  backend: BackendKind;
  slot: number;
  /** 1 for the first try. */
  attempt?: number;
  /** The dataflow partition the task computes, when it is one. */
  partition?: number;
  /** Wall time of the attempt (on `task.succeeded` / `task.failed`). */
  durationMs?: number;
  error?: SerializedError;
}

export type WeftEvent = RunEvent | NodeEvent | JobEvent | StageEvent | TaskEvent;
export type WeftEventType = WeftEvent['type'];
type EventOf<T extends WeftEventType> = T extends RunEventType
  ? RunEvent
  : T extends NodeEventType
    ? NodeEvent
    : T extends JobEventType
      ? JobEvent
      : T extends StageEventType
        ? StageEvent
        : TaskEvent;
export type EventListener<T extends WeftEventType | '*'> = (event: T extends WeftEventType ? EventOf<T> : WeftEvent) => void;

/** A typed, synchronous event stream. A listener that throws is reported and never breaks the run. */
export class EventStream {
  #byType = new Map<string, Set<(event: WeftEvent) => void>>();
  #all = new Set<(event: WeftEvent) => void>();

  /** Subscribes to one event type, or to all with `'*'`. Returns the function that unsubscribes. */
  on<T extends WeftEventType | '*'>(type: T, listener: EventListener<T>): () => void {
    const fn = listener as (event: WeftEvent) => void;
    if (type === '*') {
      this.#all.add(fn);
      return () => this.#all.delete(fn);
    }
    let set = this.#byType.get(type);
    if (!set) this.#byType.set(type, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /** True when at least one listener would receive events of this type. */
  wants(type: WeftEventType): boolean {
    return this.#all.size > 0 || (this.#byType.get(type)?.size ?? 0) > 0;
  }

  emit(event: WeftEvent): void {
    const set = this.#byType.get(event.type);
    if (set) for (const fn of set) this.#call(fn, event);
    for (const fn of this.#all) this.#call(fn, event);
  }

  #call(fn: (event: WeftEvent) => void, event: WeftEvent): void {
    try {
      fn(event);
    } catch (error) {
      console.error(`weft: an event listener threw on ${event.type}:`, error);
    }
  }
}
