/**
 * The in-process backend: tasks run on the main thread's event loop. It is the reference every
 * other backend must agree with, and the only one that runs closures (`local` refs) as they are.
 * It cannot interrupt synchronous code, so on abort it rejects at once and aborts `ctx.signal`.
 */
import type { NestedSubmitHandler, RunOptions, RunSink, TaskOutcome, TaskRequest, WorkerBackend } from './backend.js';
import type { FunctionRef, UserFunction } from './function-ref.js';
import { abortError } from './abort-reason.js';
import { abortSourceOf } from './lazy-abort.js';
import { CancelledError } from '../errors.js';
import { resolveFunction } from './function-resolver.js';
import { InProcessRun, RunningList } from './in-process-run.js';

/** One settled promise whose reactions defer a call by a microtask, without a promise of its own per task. */
const settled = Promise.resolve();

/** Options of the in-process backend. */
export interface AsyncBackendOptions {
  /** How many tasks the scheduler runs at once. */
  slots: number;
}

/** Runs tasks in this thread. */
export class AsyncBackend implements WorkerBackend {
  readonly kind = 'async' as const;
  readonly slots: number;
  #closed = false;
  readonly #running = new RunningList();
  #resolved = new WeakMap<object, UserFunction>();

  constructor(options: AsyncBackendOptions) {
    this.slots = options.slots;
  }

  async prepare(refs: ReadonlyArray<{ fn: FunctionRef; label: string }>, signal?: AbortSignal): Promise<void> {
    for (const { fn, label } of refs) {
      signal?.throwIfAborted();
      const resolved = this.#resolve(fn, label);
      if (resolved instanceof Promise) await resolved;
    }
  }

  /** The function of `ref`: at once for a closure or a module function resolved before, else once imported. */
  #resolve(ref: FunctionRef, label: string): UserFunction | Promise<UserFunction> {
    if (ref.kind === 'local') return ref.fn;
    const cached = this.#resolved.get(ref);
    if (cached) return cached;
    return resolveFunction(ref, label, { typescript: false }).then((fn) => {
      this.#resolved.set(ref, fn);
      return fn;
    });
  }

  run(request: TaskRequest, options: RunOptions): Promise<TaskOutcome> {
    return new Promise<TaskOutcome>((resolve, reject) => this.start(request, options, { succeeded: resolve, failed: reject }));
  }

  start(request: TaskRequest, options: RunOptions, sink: RunSink): void {
    const outer = options.abort ?? abortSourceOf(options.signal);
    const refused = this.#closed
      ? new CancelledError(`${request.label}: the async backend is closed`)
      : outer.aborted
        ? abortError(outer.reason)
        : undefined;
    if (refused !== undefined) {
      void settled.then(() => sink.failed(refused));
      return;
    }
    const fn = this.#resolve(request.fn, request.label);
    const run = new InProcessRun(request, options, outer, this.#running, sink);
    if (fn instanceof Promise) {
      fn.then(
        (resolved) => run.callIn(resolved),
        (error: unknown) => run.fail(error),
      );
      return;
    }
    // Called after a microtask even when the function is known, so user code never runs inside
    // the scheduler's dispatch; every run started before that microtask shares it.
    run.fn = fn;
    if (this.#batch.push(run) === 1) void settled.then(this.#startBatch);
  }

  /** Runs started in this dispatch, waiting for their shared microtask. */
  #batch: InProcessRun[] = [];

  readonly #startBatch = (): void => {
    const batch = this.#batch;
    this.#batch = [];
    for (const run of batch) run.start();
  };

  setNestedSubmitHandler(_handler: NestedSubmitHandler): void {
    // Nested work started in this thread calls the scheduler directly.
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#running.abortAll(new CancelledError('the async backend was closed'));
    return Promise.resolve();
  }
}
