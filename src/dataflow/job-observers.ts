/**
 * Job observers: one process-wide way to hear of, and gate, the jobs of every
 * `ExecutionEnvironment` (Spark's `SparkListener.onJobStart` / `onJobEnd`, plus a veto).
 *
 * Why not the `job.*` events? Those go to one engine's event stream, where progress views and the
 * run history read them; they start once a job is planned and has an id, so they cannot refuse it,
 * and listening to them changes what the job does (malformed-row warnings go quiet when someone
 * listens). An observer instead hears of every action that is about to run a job, whichever
 * environment or engine runs it, before it is planned: it may refuse it, and it is told how it
 * ended with the same `JobStats` that `env.jobs` keeps. `weft run` records a job module's jobs
 * this way (cli/job-recorder.ts).
 *
 * With no observer, an action pays one `Set.size` check.
 */
import { CancelledError } from '../errors.js';
import type { ExecutionEnvironment } from './environment.js';
import type { JobStats } from './exec/job-runner.js';

/** A job about to start, as an observer hears of it. */
export interface StartingJob {
  /** The action: `count()`, `collect()`, `first(5)`, `writeCsv(out/counts)` … */
  readonly action: string;
  /** The environment whose action it is. */
  readonly environment: ExecutionEnvironment;
}

/** A job that succeeded. */
export interface SucceededJob {
  readonly status: 'succeeded';
  readonly jobId: number;
  /** Its counters, as `env.jobs` keeps them. */
  readonly stats: JobStats;
  /** Rows of the action's result: counted, collected or written. */
  readonly rows: number;
}

/** A job that failed, was cancelled, or was refused by an observer. */
export interface FailedJob {
  /** `cancelled` when what the action rejects with is a `CancelledError` or was caused by one. */
  readonly status: 'failed' | 'cancelled';
  /** `null` for a job refused, or failing, before it took a job id (in planning, say). */
  readonly jobId: number | null;
  /** What the action rejects with. */
  readonly error: unknown;
}

/** How an observed job ended. */
export type EndedJob = SucceededJob | FailedJob;

/** Told how one job ended. A listener that throws is reported on the console and never changes the action's result. */
export type JobEndListener = (ended: EndedJob) => void;

/**
 * Called, synchronously, when an action is about to run a job: before it is planned, before it
 * takes a job id. Throwing refuses the job: the action rejects with what was thrown and nothing
 * runs. Returning a function asks to be told how the job ended.
 */
export type JobObserver = (job: StartingJob) => JobEndListener | void;

const observers = new Set<{ readonly observer: JobObserver }>();

/**
 * Observes the jobs of every environment in this process (this thread: workers have their own)
 * until the returned function is called. Every action that runs a job is observed — not those of
 * `weft explain`, which run none. Observers are asked in the order they subscribed; the first that
 * throws refuses the job, and the observers asked before it are told it ended with that error.
 * Unsubscribing stops the observer hearing of new jobs; the jobs it already heard of still tell it
 * how they end.
 *
 * @example
 * ```ts
 * const stop = observeJobs(({ action }) => {
 *   const started = Date.now();
 *   return (ended) => console.error(`${action} ${ended.status} after ${Date.now() - started} ms`);
 * });
 * try {
 *   await env.fromCollection([1, 2, 3]).count();
 * } finally {
 *   stop();
 * }
 * ```
 */
export function observeJobs(observer: JobObserver): () => void {
  const entry = { observer };
  observers.add(entry);
  return () => void observers.delete(entry);
}

/** @internal One observed job, from its start to its end: what the environment tells its observers. */
export class JobWatch {
  /** The scheduler's job id, once the job has taken one. */
  jobId: number | null = null;
  readonly #action: string;
  readonly #listeners: JobEndListener[] = [];

  constructor(action: string) {
    this.#action = action;
  }

  /** Tells `listener` how the job ends. */
  listen(listener: JobEndListener): void {
    this.#listeners.push(listener);
  }

  /** The job succeeded with `value`, the action's result. */
  succeeded(stats: JobStats, value: unknown): void {
    const rows = typeof value === 'number' ? value : Array.isArray(value) ? value.length : 0;
    this.#end({ status: 'succeeded', jobId: stats.jobId, stats, rows });
  }

  /** The action rejects with `error`: cancelled when a `CancelledError` is the error or its cause. */
  failed(error: unknown): void {
    this.#end({ status: isCancellation(error) ? 'cancelled' : 'failed', jobId: this.jobId, error });
  }

  #end(ended: EndedJob): void {
    for (const listener of this.#listeners) {
      try {
        listener(ended);
      } catch (error) {
        console.error(`weft: a job observer threw when ${this.#action} ${ended.status}:`, error);
      }
    }
  }
}

/**
 * @internal Tells every observer that `environment` is about to run the job of `action`; `undefined`
 * when nobody observes. Throws an observer's refusal, after telling the observers asked before it.
 */
export function jobStarting(environment: ExecutionEnvironment, action: string): JobWatch | undefined {
  if (observers.size === 0) return undefined;
  const watch = new JobWatch(action);
  const job: StartingJob = { action, environment };
  // The observers of this job are those subscribed now, whatever they subscribe or unsubscribe meanwhile.
  for (const { observer } of [...observers]) {
    let listener: JobEndListener | void;
    try {
      listener = observer(job);
    } catch (refusal) {
      watch.failed(refusal);
      throw refusal;
    }
    if (typeof listener === 'function') watch.listen(listener);
  }
  return watch;
}

/** True for a `CancelledError`, or an error caused by one (a job whose tasks were cancelled). */
function isCancellation(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof CancelledError) return true;
  }
  return false;
}
