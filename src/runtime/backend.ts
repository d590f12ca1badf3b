/**
 * The one interface every place that runs code implements: in-process (`async`), worker threads
 * (`thread`), child processes (`process`), later remote machines.
 *
 * Design: a backend knows nothing about pools, jobs or retries. The scheduler owns a fixed number
 * of slots and calls {@link WorkerBackend.run} with the slot a task holds; the backend maps slots to
 * its workers (slot i runs on worker i). Code is found, not sent: a {@link FunctionRef} names a
 * function that the worker imports itself, or carries the source of a lambda that a static check
 * proved self-contained. Cancellation and timeouts arrive as an aborted `AbortSignal`; a backend
 * that cannot interrupt user code (a busy thread or process) terminates its worker.
 */
import type { BackendKind } from '../events.js';
import type { FunctionRef } from './function-ref.js';
import type { AbortSource } from './lazy-abort.js';

export type { BackendKind };

/** How the worker calls the function. */
export type CallMode =
  /** `fn(input, ctx)` once. */
  | 'call'
  /** `input` is `{ items, offset }`: `fn(item, ctx)` for each item, in order, with `ctx.index = offset + i`. */
  | 'map';

/** One unit of leaf work. */
export interface TaskRequest {
  fn: FunctionRef;
  mode: CallMode;
  input: unknown;
  /** Values the user passed explicitly (`{ with: { threshold } }`), visible as `ctx.with`. */
  with?: unknown;
  /** Names the step or operator in every error and event, e.g. `step "chunk_3"`. */
  label: string;
  /** Move ArrayBuffers found in input and output instead of copying them (thread backend). */
  transfer?: boolean;
  /**
   * Move the ArrayBuffers of the output only (thread backend): always safe for the caller, while
   * moving the input detaches buffers the caller may still need (e.g. to retry the task).
   */
  transferOutput?: boolean;
  /** `map` mode only: return one `{ ok, value | error }` per item instead of failing at the first. */
  settle?: boolean;
  /** 1 for the first try; visible as `ctx.attempt`. */
  attempt?: number;
  /** Which backend runs it, when the scheduler drives several (see `BackendSet`). Default: the backend's own kind. */
  backend?: BackendKind;
}

/** What `map` mode returns per item when `settle` is set. */
export type ItemResult = { ok: true; value: unknown } | { ok: false; error: Error };

/** Where and when a task ran, and what it returned. */
export interface TaskOutcome {
  value: unknown;
  /** Epoch milliseconds, measured where the task ran. */
  startedAt: number;
  endedAt: number;
}

/** What the scheduler tells a backend about one run of a task. */
export interface RunOptions {
  /** The slot the task holds, 0 ≤ slot < `slots`. */
  slot: number;
  /** The scheduler's id of this task; nested submissions from inside it name it as their parent. */
  taskId: number;
  /** Aborted on cancellation or timeout; the reason is the error to reject with. */
  readonly signal: AbortSignal;
  /**
   * The same cancellation as `signal`, readable without creating it: a scheduler may make `signal`
   * only on first read, so a backend that can do without it listens here when this is given.
   */
  readonly abort?: AbortSource;
}

/**
 * Receives the outcome of a run started with {@link WorkerBackend.start}: the callback form of
 * {@link WorkerBackend.run}, with the same settlement rules. Called once, never inside `start`.
 */
export interface RunSink {
  succeeded(outcome: TaskOutcome): void;
  failed(error: unknown): void;
  /**
   * Optional: calls `run.call()` inside the async context the run's code belongs in. The in-process
   * backend starts all runs of one dispatch from one callback, so each run enters its own context
   * through this.
   */
  enter?(run: { call(): void }): void;
}

/** A task submitted from inside a running task (e.g. `parallelMap` inside a thread step). */
export type NestedSubmitHandler = (parentTaskId: number, request: TaskRequest, signal: AbortSignal) => Promise<TaskOutcome>;

export interface WorkerBackend {
  readonly kind: BackendKind;
  /** Number of slots (workers) this backend runs at once. */
  readonly slots: number;
  /**
   * Checks before any work starts that every function can be found (imported or compiled) by a
   * worker, starting the pool if needed. Rejects with an error naming the task label and the fix.
   */
  prepare(refs: ReadonlyArray<{ fn: FunctionRef; label: string }>, signal?: AbortSignal): Promise<void>;
  /**
   * Runs one task on `options.slot`. The promise settles only when the task no longer occupies
   * its worker, so that a scheduler which frees the slot on settlement never hands the next task
   * to a worker still busy with an aborted one. When `options.signal` aborts:
   * - a task that has not started yet is dropped and the promise rejects at once;
   * - a started task rejects with `signal.reason` when its worker reports it settled after the
   *   abort, or when the worker was terminated because the task did not settle within the
   *   backend's `abortGraceMs`.
   * The in-process backend has no worker to free and rejects at once (it aborts `ctx.signal`).
   * A scheduler should therefore reject its own caller at once on abort and keep the slot until
   * this promise settles.
   *
   * A task is never failed by another task's termination: work that reaches a worker while it is
   * being terminated waits for its replacement, and the other runs and prepares a worker held when
   * it was terminated for an aborted task are re-sent to the replacement.
   */
  run(request: TaskRequest, options: RunOptions): Promise<TaskOutcome>;
  /**
   * Optional: {@link WorkerBackend.run} reporting to `sink` instead of returning a promise. The
   * in-process backend has it: a promise and its reaction per task cost as much as the rest of
   * the dispatch of a no-op task. A scheduler uses it when present.
   */
  start?(request: TaskRequest, options: RunOptions, sink: RunSink): void;
  /** Installed by the scheduler so that work started inside a worker goes through it too. */
  setNestedSubmitHandler(handler: NestedSubmitHandler): void;
  /** Stops every worker; pending runs reject with `CancelledError`. */
  close(): Promise<void>;
}

/** Starts one run of `backend`, reporting to `sink`: through its `start` when it has one, else its promise. */
export function startRun(backend: WorkerBackend, request: TaskRequest, options: RunOptions, sink: RunSink): void {
  if (backend.start !== undefined) {
    backend.start(request, options, sink);
    return;
  }
  backend.run(request, options).then(
    (outcome) => sink.succeeded(outcome),
    (error: unknown) => sink.failed(error),
  );
}
