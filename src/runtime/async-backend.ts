/**
 * The in-process backend: tasks run on the main thread's event loop. It is the reference every
 * other backend must agree with, and the only one that runs closures (`local` refs) as they are.
 * It cannot interrupt synchronous code, so on abort it rejects at once and aborts `ctx.signal`.
 */
import type { NestedSubmitHandler, RunOptions, TaskOutcome, TaskRequest, WorkerBackend } from './backend.js';
import type { FunctionRef, UserFunction } from './function-ref.js';
import { abortReason } from './abort-reason.js';
import { CancelledError } from '../errors.js';
import { resolveFunction } from './function-resolver.js';
import { invokeTask } from './task-runner.js';

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
  #running = new Set<AbortController>();
  #resolved = new WeakMap<object, UserFunction>();

  constructor(options: AsyncBackendOptions) {
    this.slots = options.slots;
  }

  async prepare(refs: ReadonlyArray<{ fn: FunctionRef; label: string }>, signal?: AbortSignal): Promise<void> {
    for (const { fn, label } of refs) {
      signal?.throwIfAborted();
      await this.#resolve(fn, label);
    }
  }

  async #resolve(ref: FunctionRef, label: string): Promise<UserFunction> {
    if (ref.kind === 'local') return ref.fn;
    const cached = this.#resolved.get(ref);
    if (cached) return cached;
    const fn = await resolveFunction(ref, label, { typescript: false });
    this.#resolved.set(ref, fn);
    return fn;
  }

  run(request: TaskRequest, options: RunOptions): Promise<TaskOutcome> {
    if (this.#closed) return Promise.reject(new CancelledError(`${request.label}: the async backend is closed`));
    const { signal } = options;
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const controller = new AbortController();
    this.#running.add(controller);
    return new Promise<TaskOutcome>((resolve, reject) => {
      const onAbort = (): void => {
        controller.abort(signal.reason);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const finish = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.#running.delete(controller);
      };
      controller.signal.addEventListener('abort', () => reject(abortReason(controller.signal)), { once: true });
      this.#execute(request, options, controller.signal).then(
        (outcome) => {
          finish();
          resolve(outcome);
        },
        (error: unknown) => {
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  async #execute(request: TaskRequest, options: RunOptions, signal: AbortSignal): Promise<TaskOutcome> {
    const fn = await this.#resolve(request.fn, request.label);
    const startedAt = Date.now();
    const ctx = {
      signal,
      attempt: request.attempt ?? 1,
      label: request.label,
      with: request.with,
      slot: options.slot,
      backend: this.kind,
      taskId: options.taskId,
    };
    const value: unknown = await invokeTask(fn, request.mode, request.input, ctx, request.settle ?? false);
    return { value, startedAt, endedAt: Date.now() };
  }

  setNestedSubmitHandler(_handler: NestedSubmitHandler): void {
    // Nested work started in this thread calls the scheduler directly.
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const controller of this.#running) controller.abort(new CancelledError('the async backend was closed'));
    this.#running.clear();
    return Promise.resolve();
  }
}
