/**
 * The code that runs inside a worker thread or child process (one file for both). It receives
 * batches of messages from the main thread, resolves function handles (importing user modules or
 * compiling checked lambdas), runs tasks in arrival order — synchronous bodies one at a time,
 * asynchronous ones interleaved — and answers with batched results.
 *
 * Crash accounting: before a task starts, the worker counts it (a shared Int32 for threads, a
 * `started` message for processes), so that when the worker dies the main thread knows which tasks
 * were running (rejected) and which had not started (re-sent to the replacement).
 */
import { abortReason } from './abort-reason.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { SerializedError } from '../errors.js';
import type { BackendKind } from '../events.js';
import type { TaskOutcome, TaskRequest } from './backend.js';
import type { UserFunction } from './function-ref.js';
import type { Batch, EncodedItemResult, ParentMessage, RunMessage, SendableRef, WorkerInit, WorkerMessage } from './protocol.js';
import type { TaskContext } from './task-runner.js';
import { CancelledError, UsageError, deserializeError, serializeError } from '../errors.js';
import { UnsupportedFunctionError } from './errors.js';
import { resolveFunction } from './function-resolver.js';
import { assertSendable } from './sendable.js';
import { invokeTask, isThenable } from './task-runner.js';
import { collectTransferables } from './transfer.js';
import { installWorkerHost } from './worker-host.js';
import { LazyAbortController } from './lazy-abort.js';

interface Channel {
  post(batch: Batch<WorkerMessage>, transfer: ArrayBuffer[]): void;
  onMessage(listener: (batch: Batch<ParentMessage>) => void): void;
}

/**
 * The context user code gets in this worker. A class, not an object literal with a `get signal()`:
 * V8 gives every such literal its own hidden class, which costs microseconds per task and keeps
 * garbage alive (the same fix as the in-process backend's context).
 */
class WorkerTaskContext implements TaskContext {
  readonly attempt: number;
  readonly label: string;
  readonly with: unknown;
  readonly slot: number;
  readonly backend: BackendKind;
  readonly taskId: number;
  readonly #abort: LazyAbortController;

  constructor(abort: LazyAbortController, message: RunMessage, slot: number, backend: BackendKind) {
    this.#abort = abort;
    this.attempt = message.attempt;
    this.label = message.label;
    this.with = message.with;
    this.slot = slot;
    this.backend = backend;
    this.taskId = message.taskId;
  }

  /** Made on first read: most short tasks never look at it. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }
}

interface HandleState {
  ref: SendableRef;
  fn?: UserFunction;
  loading?: Promise<UserFunction>;
}

/** Slice of the queue run before the worker looks at its inbox again (lets aborts through). */
const PUMP_SLICE_MS = 5;

class WorkerRuntime {
  readonly #channel: Channel;
  readonly #backend: BackendKind;
  readonly #slot: number;
  readonly #startedCell: Int32Array | undefined;
  readonly #handles = new Map<number, HandleState>();
  readonly #queue: RunMessage[] = [];
  #queueHead = 0;
  readonly #dropped = new Set<number>();
  /** The cancellation of each task running here, by run id. */
  readonly #running = new Map<number, LazyAbortController>();
  #startedCount = 0;
  #outgoing: WorkerMessage[] = [];
  readonly #outgoingTransfer = new Set<ArrayBuffer>();
  #flushScheduled = false;
  #pumpScheduled = false;
  #blocked = false;
  readonly #taskIds = new AsyncLocalStorage<number>();
  readonly #submits = new Map<number, { resolve: (outcome: TaskOutcome) => void; reject: (error: Error) => void }>();
  #nextSubmitId = 0;

  constructor(channel: Channel, init: WorkerInit) {
    this.#channel = channel;
    this.#backend = init.backend;
    this.#slot = init.slot;
    this.#startedCell = init.started ? new Int32Array(init.started) : undefined;
    channel.onMessage((batch) => this.#receive(batch));
    installWorkerHost({
      backend: this.#backend,
      slot: this.#slot,
      submit: (request, signal) => this.#submit(request, signal),
    });
  }

  #receive(batch: Batch<ParentMessage>): void {
    for (const message of batch.messages) {
      switch (message.type) {
        case 'define':
          this.#handles.set(message.handle, { ref: message.ref });
          break;
        case 'run':
          this.#queue.push(message);
          break;
        case 'prepare':
          void this.#prepare(message.id, message.handles, message.labels);
          break;
        case 'abort':
          this.#abort(message.id);
          break;
        case 'submit-result':
          this.#submitResult(message.id, message.outcome, message.error);
          break;
      }
    }
    this.#pump();
  }

  async #prepare(id: number, handles: number[], labels: string[]): Promise<void> {
    try {
      for (let i = 0; i < handles.length; i++) await this.#resolve(handles[i] ?? -1, labels[i] ?? 'task');
      this.#send({ type: 'prepared', id });
    } catch (error) {
      this.#send({ type: 'prepared', id, error: serializeError(error) });
    }
  }

  #resolve(handle: number, label: string): Promise<UserFunction> {
    const state = this.#handles.get(handle);
    if (!state) return Promise.reject(new Error(`weft internal error: function handle ${handle} was never defined`));
    if (state.fn) return Promise.resolve(state.fn);
    state.loading ??= resolveFunction(state.ref, label, { typescript: true }).then(
      (fn) => (state.fn = fn),
      (error: unknown) => {
        delete state.loading;
        throw error;
      },
    );
    return state.loading;
  }

  #abort(id: number): void {
    const running = this.#running.get(id);
    if (running) {
      running.abort(new CancelledError(`task ${id} was aborted`));
      return;
    }
    if (this.#queue.some((m, i) => i >= this.#queueHead && m.id === id)) {
      this.#dropped.add(id);
      this.#send({ type: 'failed', id, error: serializeError(new CancelledError('dropped before it started')) });
    }
  }

  /** Starts queued tasks in order; yields to the inbox every slice so aborts get through. */
  #pump(): void {
    if (this.#blocked) return;
    const deadline = performance.now() + PUMP_SLICE_MS;
    while (this.#queueHead < this.#queue.length) {
      const message = this.#queue[this.#queueHead] as RunMessage;
      const fn = this.#handles.get(message.handle)?.fn;
      if (!fn && !this.#dropped.has(message.id)) {
        this.#blocked = true;
        this.#resolve(message.handle, message.label).then(
          () => this.#unblock(),
          (error: unknown) => {
            this.#take();
            this.#send({ type: 'failed', id: message.id, error: serializeError(error) });
            this.#unblock();
          },
        );
        return;
      }
      this.#take();
      if (this.#dropped.delete(message.id)) continue;
      this.#start(message, fn as UserFunction);
      if (performance.now() > deadline) {
        this.#compact();
        this.#schedulePump();
        return;
      }
    }
    this.#queue.length = 0;
    this.#queueHead = 0;
  }

  /** Drops the consumed head of the queue once it is large, so a never-empty queue does not grow forever. */
  #compact(): void {
    if (this.#queueHead < 1024) return;
    this.#queue.splice(0, this.#queueHead);
    this.#queueHead = 0;
  }

  #unblock(): void {
    this.#blocked = false;
    this.#pump();
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  /** Takes the head of the queue and counts it as started (or dropped) for the main thread. */
  #take(): void {
    this.#queueHead++;
    this.#startedCount++;
    if (this.#startedCell) {
      Atomics.store(this.#startedCell, 0, this.#startedCount);
    } else {
      this.#outgoing.push({ type: 'started', count: this.#startedCount });
      this.#flush();
    }
  }

  #start(message: RunMessage, fn: UserFunction): void {
    const abort = new LazyAbortController();
    this.#running.set(message.id, abort);
    const ctx = new WorkerTaskContext(abort, message, this.#slot, this.#backend);
    const startedAt = Date.now();
    let result: unknown;
    try {
      result = this.#taskIds.run(message.taskId, invokeTask, fn, message.mode, message.input, ctx, message.settle);
    } catch (error) {
      this.#fail(message.id, error);
      return;
    }
    if (isThenable(result)) {
      Promise.resolve(result).then(
        (value) => this.#done(message, value, startedAt),
        (error: unknown) => this.#fail(message.id, error),
      );
    } else {
      this.#done(message, result, startedAt);
    }
  }

  #done(message: RunMessage, value: unknown, startedAt: number): void {
    this.#running.delete(message.id);
    let out = value;
    try {
      if (message.settle && Array.isArray(value)) out = (value as Array<{ ok: boolean; value?: unknown; error?: unknown }>).map(encodeItem);
      assertSendable(out, { label: message.label, path: 'output' });
    } catch (error) {
      this.#send({ type: 'failed', id: message.id, error: serializeError(error) });
      return;
    }
    if (message.transfer) collectTransferables(out, this.#outgoingTransfer);
    this.#send({ type: 'done', id: message.id, value: out, startedAt, endedAt: Date.now() });
  }

  #fail(id: number, error: unknown): void {
    this.#running.delete(id);
    this.#send({ type: 'failed', id, error: serializeError(error) });
  }

  #send(message: WorkerMessage): void {
    this.#outgoing.push(message);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#outgoing.length === 0) return;
    const messages = this.#outgoing;
    const transfer = [...this.#outgoingTransfer];
    this.#outgoing = [];
    this.#outgoingTransfer.clear();
    try {
      this.#channel.post({ type: 'batch', messages }, transfer);
    } catch (error) {
      // A value that passed the sendability walk still failed to clone: fail those tasks instead.
      const failed = messages.map((m): WorkerMessage => (m.type === 'done' ? { type: 'failed', id: m.id, error: serializeError(error) } : m));
      this.#channel.post({ type: 'batch', messages: failed }, []);
    }
  }

  #submit(request: TaskRequest, signal?: AbortSignal): Promise<TaskOutcome> {
    const parentTaskId = this.#taskIds.getStore();
    if (parentTaskId === undefined) {
      return Promise.reject(new UsageError(`${request.label}: submit() must be called while a task runs in this worker`));
    }
    if (request.fn.kind === 'local') {
      return Promise.reject(new UnsupportedFunctionError(request.label, 'a nested task needs a `module` or `source` function reference, got a `local` closure'));
    }
    try {
      assertSendable(request.input, { label: request.label, path: 'input' });
      assertSendable(request.with, { label: request.label, path: 'with' });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const id = this.#nextSubmitId++;
    return new Promise<TaskOutcome>((resolve, reject) => {
      const onAbort = (): void => {
        this.#submits.delete(id);
        this.#send({ type: 'submit-abort', id });
        reject(signal ? abortReason(signal) : new CancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#submits.set(id, {
        resolve: (outcome) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      this.#send({ type: 'submit', id, parentTaskId, request });
    });
  }

  #submitResult(id: number, outcome: TaskOutcome | undefined, error: SerializedError | undefined): void {
    const pending = this.#submits.get(id);
    if (!pending) return;
    this.#submits.delete(id);
    if (error) pending.reject(deserializeError(error));
    else pending.resolve(outcome as TaskOutcome);
  }
}

function encodeItem(item: { ok: boolean; value?: unknown; error?: unknown }): EncodedItemResult {
  return item.ok ? { ok: true, value: item.value } : { ok: false, error: serializeError(item.error) };
}

function threadChannel(): Channel {
  const port = parentPort;
  if (!port) throw new Error('weft worker entry: no parentPort');
  return {
    post: (batch, transfer) => port.postMessage(batch, transfer),
    onMessage: (listener) => port.on('message', listener),
  };
}

function processChannel(): Channel {
  const send = process.send?.bind(process);
  if (!send) throw new Error('weft worker entry: started without an IPC channel');
  process.on('uncaughtException', (error) => {
    const batch: Batch<WorkerMessage> = { type: 'batch', messages: [{ type: 'fatal', error: serializeError(error) }] };
    send(batch, undefined, {}, () => process.exit(70));
    setTimeout(() => process.exit(70), 1000).unref();
  });
  return {
    post: (batch) => {
      send(batch);
    },
    onMessage: (listener) => process.on('message', (message) => listener(message as Batch<ParentMessage>)),
  };
}

if (!isMainThread && parentPort) {
  new WorkerRuntime(threadChannel(), workerData as WorkerInit);
} else if (process.send) {
  const init = JSON.parse(process.env.WEFT_WORKER_INIT ?? '{"backend":"process","slot":0}') as WorkerInit;
  new WorkerRuntime(processChannel(), init);
}
