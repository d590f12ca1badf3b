/**
 * One run of the in-process backend, as a single record: its cancellation (the user's
 * `ctx.signal`, made only if the code reads it), its listener on the scheduler's cancellation, its
 * place in the backend's list of running runs, and the settlement of its promise. One object with
 * methods instead of a controller, a set entry and five closures per run: a no-op step costs
 * about as much as this bookkeeping, so it is kept to the least.
 */
import type { RunOptions, RunSink, TaskRequest } from './backend.js';
import type { UserFunction } from './function-ref.js';
import { abortError } from './abort-reason.js';
import { LazyAbortController, type AbortSource } from './lazy-abort.js';
import { invokeTask, isThenable, type TaskContext } from './task-runner.js';

/** The runs in flight, in an intrusive list (no allocation per add or remove), for `close()`. */
export class RunningList {
  /** @internal */ head: InProcessRun | undefined = undefined;

  /** Aborts every run in flight with `reason`; each leaves the list as it settles. */
  abortAll(reason: Error): void {
    for (let run = this.head; run !== undefined; ) {
      const next = run.next;
      run.abort(reason);
      run = next;
    }
  }
}

/**
 * The context user code gets. A class, not an object literal with a `get signal()`: V8 gives every
 * such literal its own hidden class, which costs microseconds and keeps garbage alive.
 */
class InProcessContext implements TaskContext {
  readonly attempt: number;
  readonly label: string;
  readonly with: unknown;
  readonly slot: number;
  readonly backend = 'async' as const;
  readonly taskId: number;
  readonly #abort: LazyAbortController;

  constructor(abort: LazyAbortController, request: TaskRequest, options: RunOptions) {
    this.#abort = abort;
    this.attempt = request.attempt ?? 1;
    this.label = request.label;
    this.with = request.with;
    this.slot = options.slot;
    this.taskId = options.taskId;
  }

  /** Made on first read. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }
}

/** One in-process run; it is its own `ctx.signal` controller and its scheduler-abort listener. */
export class InProcessRun extends LazyAbortController {
  /** @internal */ prev: InProcessRun | undefined = undefined;
  /** @internal */ next: InProcessRun | undefined = undefined;
  readonly #request: TaskRequest;
  readonly #options: RunOptions;
  readonly #outer: AbortSource;
  readonly #list: RunningList;
  readonly #sink: RunSink;
  #done = false;
  #startedAt = 0;

  constructor(
    request: TaskRequest,
    options: RunOptions,
    outer: AbortSource,
    list: RunningList,
    sink: RunSink,
  ) {
    super();
    this.#request = request;
    this.#options = options;
    this.#outer = outer;
    this.#list = list;
    this.#sink = sink;
    outer.addAbortListener(this);
    const head = list.head;
    this.next = head;
    if (head !== undefined) head.prev = this;
    list.head = this;
  }

  /** The scheduler's cancellation fired: abort `ctx.signal` with its reason. */
  handleEvent(): void {
    this.abort(this.#outer.reason);
  }

  /** Rejects at once (the code cannot be interrupted), then aborts `ctx.signal`. */
  override abort(reason: unknown): void {
    if (this.aborted) return;
    if (!this.#done) {
      this.#finish();
      this.#sink.failed(abortError(reason));
    }
    super.abort(reason);
  }

  /** The function {@link InProcessRun.start} calls. */
  fn: UserFunction | undefined = undefined;

  /** Calls {@link InProcessRun.fn} in the run's async context (its sink's, when it has one). */
  start(): void {
    if (this.#sink.enter !== undefined) this.#sink.enter(this);
    else this.call();
  }

  /** Calls `fn` in the run's async context. */
  callIn(fn: UserFunction): void {
    this.fn = fn;
    this.start();
  }

  /** Calls the user function; its outcome settles the run unless it was aborted first. */
  call(): void {
    const fn = this.fn;
    if (this.#done || fn === undefined) return;
    const request = this.#request;
    const ctx = new InProcessContext(this, request, this.#options);
    this.#startedAt = Date.now();
    let value: unknown;
    try {
      value = invokeTask(fn, request.mode, request.input, ctx, request.settle ?? false);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (isThenable(value)) {
      value.then(
        (settled) => this.#succeed(settled),
        (error: unknown) => this.fail(error),
      );
    } else {
      this.#succeed(value);
    }
  }

  /** The function (or finding it) failed. */
  fail(error: unknown): void {
    if (this.#done) return;
    this.#finish();
    this.#sink.failed(error instanceof Error ? error : new Error(String(error)));
  }

  #succeed(value: unknown): void {
    if (this.#done) return;
    this.#finish();
    this.#sink.succeeded({ value, startedAt: this.#startedAt, endedAt: Date.now() });
  }

  /** Leaves the list of running runs and stops listening to the scheduler; once. */
  #finish(): void {
    this.#done = true;
    this.#outer.removeAbortListener(this);
    const { prev, next } = this;
    if (prev !== undefined) prev.next = next;
    else if (this.#list.head === this) this.#list.head = next;
    if (next !== undefined) next.prev = prev;
    this.prev = this.next = undefined;
  }
}
