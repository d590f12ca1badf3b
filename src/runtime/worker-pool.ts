/**
 * The shared lifecycle of the thread and process backends: each slot has its own worker (started
 * lazily, reused by every task, replaced lazily after a crash), inputs are checked for
 * sendability before they are posted, and an aborted run settles once it no longer occupies its
 * worker. What differs between threads and processes is only how a worker is started
 * ({@link SpawnWorker}).
 *
 * A slot may also own spare workers, started lazily: a nested task (a `parallelMap` item inside a
 * thread step) never runs on a worker where one of its ancestors is suspended waiting for it, so a
 * crash in nested work cannot kill, or be blamed on, its parent. Spares are reused and closed with
 * the backend.
 */
import type { NestedSubmitHandler, RunOptions, TaskOutcome, TaskRequest, WorkerBackend } from './backend.js';
import type { BackendKind } from '../events.js';
import type { FunctionRef } from './function-ref.js';
import type { SendableRef } from './protocol.js';
import type { SpawnWorker } from './spawned-worker.js';
import type { PendingRun } from './worker-slot.js';
import type { AbortWatcher } from './abort-fanout.js';
import { abortError, abortReason } from './abort-reason.js';
import { unwatchAbort, watchAbort } from './abort-fanout.js';
import { CancelledError, UsageError } from '../errors.js';
import { UnsupportedFunctionError } from './errors.js';
import { assertSendable } from './sendable.js';
import { WorkerSlot } from './worker-slot.js';
import type { SlotSettings } from './worker-slot.js';
import { suspendedAncestors } from './nested-ancestry.js';

/** Options every worker backend accepts. */
export interface WorkerPoolOptions {
  /** Number of workers (slots). */
  slots: number;
  /** Heap limit of each worker, in MB. */
  maxOldGenerationSizeMb?: number;
  /**
   * How long a running task may take to settle after its signal aborted before its worker is terminated.
   * @default 100
   */
  abortGraceMs?: number;
}

function sendableRef(ref: FunctionRef, label: string, kind: BackendKind): SendableRef {
  if (ref.kind === 'local') {
    throw new UnsupportedFunctionError(
      label,
      `a closure (\`local\` function reference) cannot be sent to a ${kind} worker; build the reference with toFunctionRef(fn, label, '${kind}') or define the function with step() at the top level of its module`,
    );
  }
  return ref;
}

/**
 * One run on a worker slot, listening for its cancellation — through the scheduler's lazy source
 * when it gives one (reading `options.signal` would create an AbortSignal per task, which cost more
 * than the rest of a trivial task's dispatch), else through its signal (one listener per signal,
 * see abort-fanout.ts). A class, not an object of closures: a task's dispatch allocates little.
 */
class PoolRun implements PendingRun, AbortWatcher {
  seq = -1;
  settled = false;
  abortedWith?: Error;
  timer?: NodeJS.Timeout;
  readonly #slot: WorkerSlot;
  readonly #resolve: (outcome: TaskOutcome) => void;
  readonly #reject: (error: Error) => void;

  constructor(
    readonly id: number,
    readonly request: TaskRequest,
    readonly ref: SendableRef,
    readonly options: RunOptions,
    slot: WorkerSlot,
    resolve: (outcome: TaskOutcome) => void,
    reject: (error: Error) => void,
  ) {
    this.#slot = slot;
    this.#resolve = resolve;
    this.#reject = reject;
    const source = options.abort;
    if (source !== undefined) source.addAbortListener(this);
    else watchAbort(options.signal, this);
  }

  resolve(outcome: TaskOutcome): void {
    this.#unwatch();
    this.#resolve(outcome);
  }

  reject(error: Error): void {
    this.#unwatch();
    this.#reject(error);
  }

  onAbort(): void {
    if (!this.settled) this.#slot.abort(this, abortError(cancelReason(this.options)));
  }

  /** The lazy source's listener protocol ({@link AbortListener}). */
  handleEvent(): void {
    this.onAbort();
  }

  #unwatch(): void {
    const source = this.options.abort;
    if (source !== undefined) source.removeAbortListener(this);
    else unwatchAbort(this.options.signal, this);
  }
}

/** Whether a run's cancellation fired, without creating its signal when the scheduler gave a lazy source. */
function cancelled(options: RunOptions): boolean {
  return options.abort !== undefined ? options.abort.aborted : options.signal.aborted;
}

function cancelReason(options: RunOptions): unknown {
  return options.abort !== undefined ? options.abort.reason : (options.signal.reason as unknown);
}

/** A {@link WorkerBackend} over a fixed set of worker threads or processes. */
export class WorkerPoolBackend implements WorkerBackend {
  readonly kind: BackendKind;
  readonly slots: number;
  /** Per slot: its own worker first, then its spares. */
  readonly #slots: WorkerSlot[][];
  readonly #settings: SlotSettings;
  #nested: NestedSubmitHandler | undefined;
  #nextId = 0;
  #closed = false;

  constructor(kind: BackendKind, options: WorkerPoolOptions, spawn: SpawnWorker) {
    if (!Number.isInteger(options.slots) || options.slots < 1) {
      throw new UsageError(`Expected \`slots\` to be an integer from 1 and up, got ${String(options.slots)}`);
    }
    this.kind = kind;
    this.slots = options.slots;
    const settings = { kind, spawn, abortGraceMs: options.abortGraceMs ?? 100, nested: () => this.#nested };
    this.#settings = settings;
    this.#slots = Array.from({ length: options.slots }, (_, i) => [new WorkerSlot(i, settings)]);
  }

  async prepare(refs: ReadonlyArray<{ fn: FunctionRef; label: string }>, signal?: AbortSignal): Promise<void> {
    if (this.#closed) throw new CancelledError(`the ${this.kind} backend is closed`);
    signal?.throwIfAborted();
    if (refs.length === 0) return;
    const sendable = refs.map((r) => ({ fn: sendableRef(r.fn, r.label, this.kind), label: r.label }));
    // Every worker starts now, side by side, and proves it can find every function: start-up is
    // paid once, before the first step, instead of by whichever step first lands on a cold slot.
    const prepared = Promise.all(this.#slots.map((lanes) => (lanes[0] as WorkerSlot).prepare(this.#nextId++, sendable))).then(() => undefined);
    if (!signal) return prepared;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(abortReason(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      prepared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  run(request: TaskRequest, options: RunOptions): Promise<TaskOutcome> {
    if (this.#closed) return Promise.reject(new CancelledError(`${request.label}: the ${this.kind} backend is closed`));
    if (cancelled(options)) return Promise.reject(abortError(cancelReason(options)));
    const slot = this.#workerFor(options.slot, request);
    if (!slot) {
      return Promise.reject(new UsageError(`Expected \`slot\` to be an integer from 0 to ${this.slots - 1}, got ${options.slot}`));
    }
    let ref: SendableRef;
    try {
      ref = sendableRef(request.fn, request.label, this.kind);
      assertSendable(request.input, { label: request.label, path: 'input' });
      assertSendable(request.with, { label: request.label, path: 'with' });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<TaskOutcome>((resolve, reject) => {
      const run = new PoolRun(this.#nextId++, request, ref, options, slot, resolve, reject);
      slot.dispatch(run);
    });
  }

  /** The slot's own worker, or for a nested task the first of the slot's workers none of its ancestors waits in. */
  #workerFor(slot: number, request: TaskRequest): WorkerSlot | undefined {
    const lanes = this.#slots[slot];
    if (!lanes) return undefined;
    const avoid = suspendedAncestors(request);
    if (avoid === undefined) return lanes[0];
    let lane = lanes.find((candidate) => !avoid.has(candidate));
    if (lane === undefined) {
      lane = new WorkerSlot(slot, this.#settings);
      lanes.push(lane);
    }
    return lane;
  }

  setNestedSubmitHandler(handler: NestedSubmitHandler): void {
    this.#nested = handler;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const error = new CancelledError(`the ${this.kind} backend was closed`);
    await Promise.all(this.#slots.flat().map((lane) => lane.close(error)));
  }
}
