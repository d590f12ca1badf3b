/**
 * Fake backends for the scheduler tests: they record which task ran on which slot, in which
 * order, and how many tasks each slot had in flight at most.
 */
import { CancelledError } from '../../src/errors.js';
import type { NestedSubmitHandler, RunOptions, TaskOutcome, TaskRequest, WorkerBackend } from '../../src/runtime/backend.js';

/** One `run` call as a fake backend saw it. */
export interface RunRecord {
  taskId: number;
  slot: number;
  label: string;
  attempt: number;
  signal: AbortSignal;
}

/** Shared recording of runs and per-slot in-flight counts. */
abstract class RecordingBackend implements WorkerBackend {
  readonly kind = 'async' as const;
  readonly runs: RunRecord[] = [];
  readonly maxInFlight: number[];
  readonly inFlight: number[];
  nested: NestedSubmitHandler | undefined;
  closed = false;

  constructor(readonly slots: number) {
    this.maxInFlight = new Array<number>(slots).fill(0);
    this.inFlight = new Array<number>(slots).fill(0);
  }

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  setNestedSubmitHandler(handler: NestedSubmitHandler): void {
    this.nested = handler;
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Labels in start order. */
  get order(): string[] {
    return this.runs.map((run) => run.label);
  }

  run(request: TaskRequest, options: RunOptions): Promise<TaskOutcome> {
    this.runs.push({ taskId: options.taskId, slot: options.slot, label: request.label, attempt: request.attempt ?? 1, signal: options.signal });
    const count = (this.inFlight[options.slot] ?? 0) + 1;
    this.inFlight[options.slot] = count;
    this.maxInFlight[options.slot] = Math.max(this.maxInFlight[options.slot] ?? 0, count);
    const done = (): void => {
      this.inFlight[options.slot] = (this.inFlight[options.slot] ?? 1) - 1;
    };
    const result = this.execute(request, options);
    result.then(done, done);
    return result;
  }

  protected abstract execute(request: TaskRequest, options: RunOptions): Promise<TaskOutcome>;
}

/** Resolves each task at once, reporting a run time of 0 ms. */
export class InstantBackend extends RecordingBackend {
  protected execute(request: TaskRequest): Promise<TaskOutcome> {
    return Promise.resolve({ value: request.input, startedAt: 0, endedAt: 0 });
  }
}

interface Pending {
  record: RunRecord;
  resolve: (outcome: TaskOutcome) => void;
  reject: (error: unknown) => void;
}

/** Settles tasks only when the test says so; rejects with `signal.reason` when aborted. */
export class ManualBackend extends RecordingBackend {
  readonly #pending = new Map<number, Pending>();
  /** Reported run time of every task; ≥ 1 keeps pipelining off. */
  durationMs = 5;

  /** Task ids currently in the backend, in start order. */
  get pendingIds(): number[] {
    return [...this.#pending.keys()];
  }

  /** The pending task with this label. */
  idOf(label: string): number {
    for (const [id, pending] of this.#pending) if (pending.record.label === label) return id;
    throw new Error(`no pending task labelled ${label}; pending: ${[...this.#pending.values()].map((p) => p.record.label).join(', ')}`);
  }

  finish(taskId: number, value: unknown = undefined): void {
    const pending = this.#take(taskId);
    pending.resolve({ value, startedAt: 100, endedAt: 100 + this.durationMs });
  }

  fail(taskId: number, error: unknown): void {
    this.#take(taskId).reject(error);
  }

  override close(): Promise<void> {
    for (const id of [...this.#pending.keys()]) this.fail(id, new CancelledError('backend closed'));
    return super.close();
  }

  protected execute(request: TaskRequest, options: RunOptions): Promise<TaskOutcome> {
    return new Promise<TaskOutcome>((resolve, reject) => {
      const record = this.runs[this.runs.length - 1] as RunRecord;
      this.#pending.set(options.taskId, { record, resolve, reject });
      options.signal.addEventListener('abort', () => {
        if (this.#pending.delete(options.taskId)) reject(options.signal.reason as Error);
      });
    });
  }

  #take(taskId: number): Pending {
    const pending = this.#pending.get(taskId);
    if (pending === undefined) throw new Error(`task ${taskId} is not running`);
    this.#pending.delete(taskId);
    return pending;
  }
}

/** Context passed to the functions an {@link InlineBackend} runs. */
export interface InlineContext {
  taskId: number;
  slot: number;
  attempt: number;
  signal: AbortSignal;
}

/** Runs `local` function refs in-process, like the async backend. */
export class InlineBackend extends RecordingBackend {
  protected async execute(request: TaskRequest, options: RunOptions): Promise<TaskOutcome> {
    if (request.fn.kind !== 'local') throw new Error('InlineBackend runs local functions only');
    const fn = request.fn.fn as unknown as (input: unknown, ctx: InlineContext) => unknown;
    const startedAt = Date.now();
    const value = await fn(request.input, { taskId: options.taskId, slot: options.slot, attempt: request.attempt ?? 1, signal: options.signal });
    return { value, startedAt, endedAt: Math.max(Date.now(), startedAt + 2) };
  }
}

/** A task request running `fn` in-process. */
export function local(label: string, fn: (input: unknown, ctx: InlineContext) => unknown, input: unknown = undefined): TaskRequest {
  return { fn: { kind: 'local', fn: fn as unknown as () => unknown, id: label }, mode: 'call', input, label };
}

/** A request for backends that ignore the function. */
export function req(label: string, input: unknown = undefined): TaskRequest {
  return local(label, () => input, input);
}

/** Lets every pending promise callback and timer-free continuation run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** An error a crashed worker rejects with. */
export function crash(): Error {
  const error = new Error('worker exited with code 1');
  error.name = 'WorkerCrashedError';
  return error;
}
