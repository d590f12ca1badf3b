/**
 * One slot of a thread or process backend: its worker (started lazily, replaced lazily after a
 * crash), the function handles that worker knows, the tasks in flight on it, and the batching of
 * outgoing messages (every `run()` of one tick goes in one `postMessage`).
 *
 * Invariant: run messages are numbered (`seq`) in send order; the worker starts them in the same
 * order and reports how many it took off its queue, so on a crash the tasks with `seq` below that
 * count were running (rejected with `WorkerCrashedError`) and the others are re-sent.
 *
 * Invariant: an aborted run that the worker has taken stays pending until the worker reports it
 * settled or the worker is gone, so the scheduler never hands that worker's slot to the next task
 * while the aborted one still occupies it (see `WorkerBackend.run`).
 *
 * Invariant: a worker being terminated is sent nothing new. Runs and prepares that arrive meanwhile
 * (a `prepare` needs no scheduler slot; a pipelined task may share one) wait for the exit and go
 * to the replacement. When the worker was terminated because an aborted run would not stop, the
 * other runs and prepares it held did nothing wrong: they are re-sent to the replacement too,
 * never failed by another task's termination.
 */
import type { SerializedError } from '../errors.js';
import type { BackendKind } from '../events.js';
import type { ItemResult, NestedSubmitHandler, RunOptions, TaskOutcome, TaskRequest } from './backend.js';
import type { Batch, EncodedItemResult, ParentMessage, SendableRef, WorkerMessage } from './protocol.js';
import type { SpawnedWorker, SpawnWorker } from './spawned-worker.js';
import { CancelledError, deserializeError, serializeError } from '../errors.js';
import { WorkerCrashedError } from './errors.js';
import { collectTransferables } from './transfer.js';
import { stampDescendant } from './nested-ancestry.js';

/** A run waiting for its worker. */
export interface PendingRun {
  id: number;
  seq: number;
  request: TaskRequest;
  ref: SendableRef;
  options: RunOptions;
  /** True once the caller's promise is settled (e.g. rejected on abort); the worker may still be busy. */
  settled: boolean;
  /** Set when the run's signal aborted: the error the run settles with, whatever the worker reports. */
  abortedWith?: Error;
  resolve(outcome: TaskOutcome): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

interface PendingPrepare {
  label: string;
  refs: ReadonlyArray<{ fn: SendableRef; label: string }>;
  resolve(): void;
  reject(error: Error): void;
}

/** Shared settings of every slot of one backend. */
export interface SlotSettings {
  kind: BackendKind;
  spawn: SpawnWorker;
  abortGraceMs: number;
  nested(): NestedSubmitHandler | undefined;
}

/**
 * The handles a worker knows, by function reference: module URL then export id, or lambda id then
 * source. Two lookups of strings the references already hold — no key built per task,
 * and no weak map entry per reference object (a caller may build a fresh one for every task).
 */
class HandleTable {
  /** Module URL → export id → handle. */
  readonly #modules = new Map<string, Map<string, number>>();
  /** Lambda id → source → handle. */
  readonly #sources = new Map<string, Map<string, number>>();
  size = 0;

  get(ref: SendableRef): number | undefined {
    return ref.kind === 'module' ? this.#modules.get(ref.moduleUrl)?.get(ref.id) : this.#sources.get(ref.id)?.get(ref.source);
  }

  add(ref: SendableRef): number {
    const [table, outer, inner] = ref.kind === 'module' ? [this.#modules, ref.moduleUrl, ref.id] : [this.#sources, ref.id, ref.source];
    let byInner = table.get(outer);
    if (byInner === undefined) table.set(outer, (byInner = new Map<string, number>()));
    const handle = this.size++;
    byInner.set(inner, handle);
    return handle;
  }
}

/** The worker behind one slot and everything in flight on it. */
export class WorkerSlot {
  readonly #index: number;
  readonly #settings: SlotSettings;
  #worker: SpawnedWorker | undefined;
  #handles = new HandleTable();
  #sent = 0;
  #startedFromMessages = 0;
  #heardFrom = false;
  #exitReason: string | undefined;
  readonly #runs = new Map<number, PendingRun>();
  readonly #prepares = new Map<number, PendingPrepare>();
  readonly #nested = new Map<number, AbortController>();
  #outgoing: ParentMessage[] = [];
  readonly #transfer = new Set<ArrayBuffer>();
  #flushScheduled = false;
  #busy: boolean | undefined;
  /** Set while the worker is being terminated; settles once it has exited and `#onExit` ran. */
  #dying: Promise<void> | undefined;
  /** The worker is being terminated because an aborted run did not stop: whatever else it held is innocent. */
  #dyingForAbort = false;
  /** Runs that arrived while the worker was being terminated, in arrival order. */
  #held: PendingRun[] = [];
  #closedWith: Error | undefined;

  constructor(index: number, settings: SlotSettings) {
    this.#index = index;
    this.#settings = settings;
  }

  /** Sends a run to this slot's worker, starting one if needed. */
  dispatch(run: PendingRun): void {
    if (this.#closedWith) {
      this.#settle(run, undefined, this.#closedWith);
      return;
    }
    if (this.#dying) {
      this.#held.push(run);
      return;
    }
    const worker = this.#ensureWorker();
    const handle = this.#handleFor(run.ref);
    run.seq = this.#sent++;
    this.#runs.set(run.id, run);
    const { request, options } = run;
    this.#outgoing.push({
      type: 'run',
      id: run.id,
      handle,
      mode: request.mode,
      input: request.input,
      with: request.with,
      label: request.label,
      attempt: request.attempt ?? 1,
      taskId: options.taskId,
      settle: request.settle ?? false,
      // The worker moves the buffers of its output for either flag; only `transfer` moves the input's.
      transfer: (request.transfer ?? false) || (request.transferOutput ?? false),
    });
    if (request.transfer && worker.canTransfer) collectTransferables(request.input, this.#transfer);
    this.#scheduleFlush();
  }

  /** Resolves refs in this slot's worker. */
  prepare(id: number, refs: ReadonlyArray<{ fn: SendableRef; label: string }>): Promise<void> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    if (this.#dying) return this.#dying.then(() => this.prepare(id, refs));
    this.#ensureWorker();
    const handles = refs.map((r) => this.#handleFor(r.fn));
    this.#outgoing.push({ type: 'prepare', id, handles, labels: refs.map((r) => r.label) });
    this.#scheduleFlush();
    return new Promise<void>((resolve, reject) => {
      this.#prepares.set(id, { label: refs[0]?.label ?? 'prepare', refs, resolve, reject });
    });
  }

  /**
   * The run's signal aborted: tell the worker. A run the worker has not taken yet is dropped there
   * and rejects now; a started one rejects with `reason` once the worker reports it settled, or
   * once the worker was terminated because it did not settle within `abortGraceMs`.
   */
  abort(run: PendingRun, reason: Error): void {
    const held = this.#held.indexOf(run);
    if (held >= 0) {
      this.#held.splice(held, 1);
      run.abortedWith = reason;
      this.#settle(run, undefined, reason);
      return;
    }
    if (!this.#runs.has(run.id) || run.abortedWith !== undefined) return;
    run.abortedWith = reason;
    this.#outgoing.push({ type: 'abort', id: run.id });
    this.#scheduleFlush();
    if (run.seq >= this.#started()) this.#settle(run, undefined, reason);
    const check = (): void => {
      if (!this.#runs.has(run.id) || !this.#worker) return;
      if (run.seq < this.#started()) {
        void this.#terminate(`was terminated because ${run.request.label} did not stop within ${this.#settings.abortGraceMs} ms of being aborted`, true);
      } else {
        run.timer = setTimeout(check, this.#settings.abortGraceMs);
      }
    };
    run.timer = setTimeout(check, this.#settings.abortGraceMs);
  }

  /** Stops the worker and rejects everything pending with `error`. */
  close(error: Error): Promise<void> {
    this.#closedWith = error;
    for (const run of [...this.#runs.values(), ...this.#held]) this.#settle(run, undefined, error);
    this.#runs.clear();
    this.#held = [];
    for (const prepare of this.#prepares.values()) prepare.reject(error);
    this.#prepares.clear();
    return this.#terminate('was closed');
  }

  #ensureWorker(): SpawnedWorker {
    if (this.#worker) return this.#worker;
    const worker: SpawnedWorker = this.#settings.spawn(this.#index, {
      onBatch: (batch) => {
        if (this.#worker === worker) {
          this.#receive(batch);
          this.#syncBusy();
        }
      },
      onExit: (code, reason) => {
        if (this.#worker === worker) this.#onExit(worker, code, reason);
      },
    });
    this.#worker = worker;
    this.#busy = undefined;
    this.#handles = new HandleTable();
    this.#sent = 0;
    this.#startedFromMessages = 0;
    this.#heardFrom = false;
    this.#exitReason = undefined;
    return worker;
  }

  #handleFor(ref: SendableRef): number {
    let handle = this.#handles.get(ref);
    if (handle === undefined) {
      handle = this.#handles.add(ref);
      this.#outgoing.push({ type: 'define', handle, ref });
    }
    return handle;
  }

  #started(): number {
    return this.#worker?.readStarted?.() ?? this.#startedFromMessages;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#flush());
  }

  /** Refs the worker while anything is pending on it, unrefs it when idle. */
  #syncBusy(): void {
    const busy = this.#runs.size + this.#prepares.size + this.#nested.size + this.#held.length > 0;
    if (busy === this.#busy || !this.#worker) return;
    this.#busy = busy;
    this.#worker.setBusy(busy);
  }

  #flush(): void {
    this.#flushScheduled = false;
    this.#syncBusy();
    const worker = this.#worker;
    if (!worker || this.#outgoing.length === 0) return;
    const batch: Batch<ParentMessage> = { type: 'batch', messages: this.#outgoing };
    const transfer = [...this.#transfer];
    this.#outgoing = [];
    this.#transfer.clear();
    try {
      worker.post(batch, transfer);
    } catch (error) {
      for (const message of batch.messages) {
        const run = message.type === 'run' ? this.#runs.get(message.id) : undefined;
        if (run) {
          this.#runs.delete(run.id);
          this.#settle(run, undefined, error as Error);
        }
      }
      void this.#terminate(`could not be sent a message (${(error as Error).message})`);
    }
  }

  #receive(batch: Batch<WorkerMessage>): void {
    this.#heardFrom = true;
    for (const message of batch.messages) {
      switch (message.type) {
        case 'done':
        case 'failed': {
          const run = this.#runs.get(message.id);
          if (!run) break;
          this.#runs.delete(message.id);
          if (run.abortedWith !== undefined) {
            this.#settle(run, undefined, run.abortedWith);
          } else if (message.type === 'done') {
            const value = run.request.settle && Array.isArray(message.value) ? decodeItems(message.value as EncodedItemResult[]) : message.value;
            this.#settle(run, { value, startedAt: message.startedAt, endedAt: message.endedAt });
          } else {
            this.#settle(run, undefined, deserializeError(message.error));
          }
          break;
        }
        case 'prepared': {
          const prepare = this.#prepares.get(message.id);
          this.#prepares.delete(message.id);
          if (message.error) prepare?.reject(deserializeError(message.error));
          else prepare?.resolve();
          break;
        }
        case 'started':
          this.#startedFromMessages = message.count;
          break;
        case 'fatal':
          this.#exitReason ??= `hit an uncaught error: ${message.error.message}`;
          break;
        case 'submit':
          this.#submit(message.id, message.parentTaskId, message.request);
          break;
        case 'submit-abort':
          this.#nested.get(message.id)?.abort(new CancelledError('the nested task was aborted inside its worker'));
          break;
      }
    }
  }

  #settle(run: PendingRun, outcome: TaskOutcome | undefined, error?: Error): void {
    if (run.timer) clearTimeout(run.timer);
    if (run.settled) return;
    run.settled = true;
    if (error) run.reject(error);
    else run.resolve(outcome as TaskOutcome);
  }

  #submit(id: number, parentTaskId: number, request: TaskRequest): void {
    const handler = this.#settings.nested();
    let parent: PendingRun | undefined;
    for (const run of this.#runs.values()) if (run.options.taskId === parentTaskId) parent = run;
    stampDescendant(request, parent?.request, this);
    const controller = new AbortController();
    this.#nested.set(id, controller);
    const reply = (outcome?: TaskOutcome, error?: SerializedError): void => {
      this.#nested.delete(id);
      this.#outgoing.push(error ? { type: 'submit-result', id, error } : { type: 'submit-result', id, ...(outcome ? { outcome } : {}) });
      this.#scheduleFlush();
    };
    if (!handler) {
      reply(undefined, serializeError(new Error(`${request.label}: nested work was submitted, but no scheduler installed a nested submit handler`)));
      return;
    }
    handler(parentTaskId, request, controller.signal).then(
      (outcome) => reply(outcome),
      (error: unknown) => reply(undefined, serializeError(error)),
    );
  }

  /** Terminates the worker once; `forAbort` when it is because an aborted run did not stop. */
  #terminate(reason: string, forAbort = false): Promise<void> {
    if (!this.#worker) return Promise.resolve();
    if (this.#dying) return this.#dying;
    this.#exitReason = reason;
    this.#dyingForAbort = forAbort;
    // The spawner reports the exit (`#onExit`) before this settles, so waiters find the slot ready.
    this.#dying = this.#worker.terminate().catch(() => undefined);
    return this.#dying;
  }

  #onExit(worker: SpawnedWorker, code: number | null, spawnerReason: string): void {
    const started = worker.readStarted?.() ?? this.#startedFromMessages;
    const reason = this.#exitReason ?? spawnerReason;
    const madeProgress = started > 0 || this.#heardFrom;
    const innocent = this.#dyingForAbort;
    this.#worker = undefined;
    this.#dying = undefined;
    this.#dyingForAbort = false;
    for (const controller of this.#nested.values()) controller.abort(new CancelledError(`the worker of slot ${this.#index} ${reason}`));
    this.#nested.clear();
    const prepares = [...this.#prepares];
    this.#prepares.clear();
    const resend: PendingRun[] = [];
    for (const run of this.#runs.values()) {
      if (run.settled) {
        if (run.timer) clearTimeout(run.timer);
      } else if (run.abortedWith !== undefined) {
        this.#settle(run, undefined, run.abortedWith);
      } else if (!innocent && (run.seq < started || !madeProgress)) {
        this.#settle(run, undefined, new WorkerCrashedError(run.request.label, this.#index, code, reason));
      } else {
        resend.push(run);
      }
    }
    this.#runs.clear();
    this.#outgoing = [];
    this.#transfer.clear();
    resend.push(...this.#held);
    this.#held = [];
    for (const [id, prepare] of prepares) {
      if (!innocent) prepare.reject(new WorkerCrashedError(prepare.label, this.#index, code, reason));
      else this.prepare(id, prepare.refs).then(() => prepare.resolve(), (error: unknown) => prepare.reject(error as Error));
    }
    for (const run of resend) this.dispatch(run);
  }
}

function decodeItems(items: EncodedItemResult[]): ItemResult[] {
  return items.map((item) => (item.ok ? item : { ok: false, error: deserializeError(item.error) }));
}
