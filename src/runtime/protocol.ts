/**
 * The messages between the main thread and a worker (thread or process): the ONLY place their
 * shapes live. Both directions send {@link Batch}es, so that every message produced in one tick
 * costs one `postMessage`. Functions travel once per worker as a `define` that gives them a small
 * integer handle; every `run` names the handle.
 */
import type { SerializedError } from '../errors.js';
import type { BackendKind } from '../events.js';
import type { CallMode, TaskOutcome, TaskRequest } from './backend.js';
import type { FunctionRef } from './function-ref.js';

/** A function reference that can cross a worker boundary (never `local`). */
export type SendableRef = Exclude<FunctionRef, { kind: 'local' }>;

/** Gives `ref` the integer `handle` in this worker. */
export interface DefineMessage {
  type: 'define';
  handle: number;
  ref: SendableRef;
}

/** Resolve these handles now; answer with one `prepared`. */
export interface PrepareMessage {
  type: 'prepare';
  id: number;
  handles: number[];
  labels: string[];
}

/** Run one task. `id` is unique per backend; tasks start in arrival order. */
export interface RunMessage {
  type: 'run';
  id: number;
  handle: number;
  mode: CallMode;
  input: unknown;
  with: unknown;
  label: string;
  attempt: number;
  taskId: number;
  settle: boolean;
  transfer: boolean;
}

/** Drop task `id` if it has not started, or abort its `ctx.signal`. */
export interface AbortMessage {
  type: 'abort';
  id: number;
}

/** The outcome of a nested submission the worker made with `submit` id `id`. */
export interface SubmitResultMessage {
  type: 'submit-result';
  id: number;
  outcome?: TaskOutcome;
  error?: SerializedError;
}

/** Main thread → worker. */
export type ParentMessage = DefineMessage | PrepareMessage | RunMessage | AbortMessage | SubmitResultMessage;

/** A task finished; `value` holds encoded {@link EncodedItemResult}s when it was a settled map. */
export interface DoneMessage {
  type: 'done';
  id: number;
  value: unknown;
  startedAt: number;
  endedAt: number;
}

/** A task failed, or was dropped before it started (then `error` is a `CancelledError`). */
export interface FailedMessage {
  type: 'failed';
  id: number;
  error: SerializedError;
}

/** Answer to `prepare`: the first error, if any. */
export interface PreparedMessage {
  type: 'prepared';
  id: number;
  error?: SerializedError;
}

/** Process workers only: `count` run messages have been taken off the queue (started or dropped). */
export interface StartedMessage {
  type: 'started';
  count: number;
}

/** A task inside the worker submitted nested work. */
export interface SubmitMessage {
  type: 'submit';
  id: number;
  parentTaskId: number;
  request: TaskRequest;
}

/** The nested submission `id` was aborted inside the worker. */
export interface SubmitAbortMessage {
  type: 'submit-abort';
  id: number;
}

/** An uncaught error is about to end the worker. */
export interface FatalMessage {
  type: 'fatal';
  error: SerializedError;
}

/** Worker → main thread. */
export type WorkerMessage =
  | DoneMessage
  | FailedMessage
  | PreparedMessage
  | StartedMessage
  | SubmitMessage
  | SubmitAbortMessage
  | FatalMessage;

/** Everything one side produced in one tick. */
export interface Batch<M> {
  type: 'batch';
  messages: M[];
}

/** Settled map item as it crosses the boundary. */
export type EncodedItemResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/** What a worker learns when it starts (thread: `workerData`; process: `WEFT_WORKER` env as JSON + first message). */
export interface WorkerInit {
  backend: BackendKind;
  slot: number;
  /** Thread workers: one Int32 counting run messages taken off the queue; read by the main thread on crash/abort. */
  started?: SharedArrayBuffer;
}
