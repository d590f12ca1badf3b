/**
 * One submitted task as the scheduler tracks it, from submission through every attempt to the
 * settlement of its promise. Internal to the scheduler layer.
 */
import type { RunOptions, RunSink, TaskOutcome, TaskRequest } from '../runtime/backend.js';
import { LazyAbortController, type AbortSource } from '../runtime/lazy-abort.js';
import { runInTask, type SchedulerContext } from './context.js';
import type { TaskSink } from './options.js';
import type { TaskSetImpl } from './task-set.js';

/** `queued`: waiting in its task set; `running`: started (holding a slot, or released while it waits for children); `done`: settled. */
export type TaskState = 'queued' | 'running' | 'done';

/** What the scheduler does when an attempt's backend run settles; one object for all tasks. */
export interface AttemptHandlers {
  succeeded(task: Task, outcome: TaskOutcome): void;
  failed(task: Task, error: unknown): void;
}

function callRun(run: { call(): void }): void {
  run.call();
}

/** Defers a failure by a microtask: a backend may report one from inside the scheduler's own call (an abort). */
const settled = Promise.resolve();

/**
 * Mutable bookkeeping of one task. It is also the async context its code runs in, the sink of
 * its backend runs and their cancellation (one object per task instead of four on the hot path):
 * nested submissions find their parent as the current store, and the scheduler aborts a running
 * task's attempt by aborting the task (an `AbortSignal` is made only if the backend reads one).
 */
export class Task extends LazyAbortController implements SchedulerContext, RunSink {
  state: TaskState = 'queued';
  /** Slot of the current or last attempt, -1 before the first. */
  slot = -1;
  /** True while the task counts against its slot (false while it waits for nested children). */
  holdsSlot = false;
  attempts = 0;
  /** Nested tasks submitted by this one that have not settled. */
  children = 0;
  /** Task set for nested submissions arriving through the backend's nested-submit handler. */
  childSet: TaskSetImpl | undefined = undefined;
  /** The caller's cancellation (`SubmitOptions.signal`), listened to until the task settles. */
  callerSignal: AbortSource | undefined = undefined;
  #onSignal: ((task: Task) => void) | undefined = undefined;
  /** Called when the task takes a slot (`SubmitOptions.onStart`). */
  onStart: ((slot: number) => void) | undefined = undefined;
  /** Called when an attempt's backend run settled (`SubmitOptions.onAttemptEnd`). */
  onAttemptEnd: (() => void) | undefined = undefined;
  /** The dataflow partition it computes (`SubmitOptions.partition`), for events. */
  partition: number | undefined = undefined;
  /** When the current attempt started (epoch ms), for events' durations. */
  startedAt = 0;
  /** The async context the task was submitted in: its engine and job scope are the task's. */
  outer: SchedulerContext | undefined = undefined;
  /** Neighbours in the scheduler's list of tasks with an attempt in the backend. */
  prev: Task | undefined = undefined;
  next: Task | undefined = undefined;

  constructor(
    readonly owner: object,
    readonly id: number,
    readonly taskSet: TaskSetImpl,
    public request: TaskRequest,
    readonly maxFailures: number,
    readonly parent: Task | undefined,
    /** Where the task's outcome goes. */
    readonly sink: TaskSink,
    readonly handlers: AttemptHandlers,
  ) {
    super();
  }

  /** The current attempt's backend run succeeded ({@link RunSink}). */
  succeeded(outcome: TaskOutcome): void {
    this.handlers.succeeded(this, outcome);
  }

  /** Calls `run.call()` in this task's async context ({@link RunSink}). */
  enter(run: { call(): void }): void {
    runInTask(this, callRun, run);
  }

  /** The current attempt's backend run failed ({@link RunSink}); handled after a microtask, never inside the caller. */
  failed(error: unknown): void {
    void settled.then(() => this.handlers.failed(this, error));
  }

  /**
   * Listens to the caller's cancellation: `onAbort(this)` when it fires. The task is the listener
   * object itself; a closure per task kept in a field made V8 keep every task's garbage alive.
   */
  listen(signal: AbortSource, onAbort: (task: Task) => void): void {
    this.callerSignal = signal;
    this.#onSignal = onAbort;
    signal.addAbortListener(this);
  }

  /** Stops listening to the caller's cancellation, if it gave one. */
  unlisten(): void {
    this.callerSignal?.removeAbortListener(this);
  }

  /** The caller's cancellation fired ({@link AbortListener} protocol). */
  handleEvent(): void {
    this.#onSignal?.(this);
  }

  /** Context view: the task itself, found again by nested submissions. */
  get task(): this {
    return this;
  }

  /** Context view: nested task sets default to the task's pool. */
  get pool(): string {
    return this.taskSet.pool;
  }

  /** Context view: nested task sets default to the task's job group. */
  get jobGroup(): string | undefined {
    return this.taskSet.jobGroup;
  }

  /** Context view: the engine the task was submitted under. */
  get engine(): object | undefined {
    return this.outer?.engine;
  }

  /** Context view: the job scope the task was submitted under. */
  get scope(): object | undefined {
    return this.outer?.scope;
  }
}

/**
 * What the backend is told about one attempt. A class rather than an object literal with a
 * `get signal()`: V8 gives each such literal its own hidden class, which costs microseconds per
 * task and keeps garbage alive.
 */
export class AttemptOptions implements RunOptions {
  constructor(
    readonly slot: number,
    readonly taskId: number,
    readonly abort: AbortSource,
  ) {}

  /** The attempt's `AbortSignal`, made on first read. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }
}
