/**
 * What `weft run` knows about the jobs a dataflow job module ran: each action, its counters (from
 * `ExecutionEnvironment.jobs`), its duration and how it ended. The same record feeds `--json` and
 * the report printed after Ctrl-C; after the first Ctrl-C it also refuses every new action, so a
 * `main` that goes on after a cancelled job starts nothing more.
 *
 * The data plane has no job listener yet, so while a job module runs this wraps
 * `ExecutionEnvironment.prototype.execute` (the one method every action goes through) and puts it
 * back afterwards. When `dataflow/` grows a listener (job started / ended with its stats), this
 * file becomes a subscriber and nothing else changes.
 */
import { ExecutionEnvironment, type JobStats } from '../dataflow/index.js';
import { CancelledError } from '../errors.js';

/** How a job ended. */
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One action of a job module, as `weft run --json` prints it. */
export interface JobRecord {
  /** The scheduler's job id; `null` for a job that failed before its counters were recorded. */
  job: number | null;
  /** The action: `count()`, `collect()`, `first(5)`, `writeCsv(out/counts)` … */
  action: string;
  status: JobStatus;
  stages: number | null;
  tasks: number | null;
  /** Rows the action produced: the count, the records collected, the rows written. */
  rows: number | null;
  /** Rows its sources read. */
  rowsRead: number | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  error?: string;
}

type Execute = ExecutionEnvironment['execute'];
type ActionShape = { kind?: unknown; limit?: unknown; format?: unknown; path?: unknown };

/** Records the jobs of the job module running now. Install before `main`, uninstall after. */
export class JobRecorder {
  readonly jobs: JobRecord[] = [];
  #stopped: Error | undefined;
  #original: Execute | undefined;
  #idle: Array<() => void> = [];
  readonly #claimed = new WeakSet<JobStats>();

  /** Starts recording every action of every environment. */
  install(): void {
    if (this.#original) return;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with its receiver, and put back
    const original = ExecutionEnvironment.prototype.execute;
    this.#original = original;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper needs both receivers
    const recorder = this;
    ExecutionEnvironment.prototype.execute = function (this: ExecutionEnvironment, ...args: Parameters<Execute>): Promise<unknown> {
      return recorder.#run(this, original, args);
    };
  }

  /** Puts the environment back as it was. */
  uninstall(): void {
    if (this.#original) ExecutionEnvironment.prototype.execute = this.#original;
    this.#original = undefined;
  }

  /** Refuses every action from now on with `reason`. */
  stop(reason: Error): void {
    this.#stopped = reason;
  }

  /** Resolves once no recorded job is running. */
  idle(): Promise<void> {
    if (!this.jobs.some((j) => j.status === 'running')) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #run(env: ExecutionEnvironment, original: Execute, args: Parameters<Execute>): Promise<unknown> {
    if (this.#stopped) throw new CancelledError(`${describeAction(args[1])} was not started: ${this.#stopped.message}`);
    const started = Date.now();
    const record: JobRecord = {
      job: null,
      action: describeAction(args[1]),
      status: 'running',
      stages: null,
      tasks: null,
      rows: null,
      rowsRead: null,
      startedAt: new Date(started).toISOString(),
      endedAt: null,
      durationMs: null,
    };
    this.jobs.push(record);
    const before = env.jobs.length;
    try {
      const value = await original.apply(env, args);
      // Concurrent jobs of one environment push their counters in the order they finish, which is
      // also the order their callers resume in: the first unclaimed entry is this job's.
      const stats = env.jobs.slice(before).find((s) => !this.#claimed.has(s));
      if (stats) {
        this.#claimed.add(stats);
        Object.assign(record, { job: stats.jobId, stages: stats.stages, tasks: stats.tasks, rowsRead: stats.rowsRead });
      }
      record.rows = typeof value === 'number' ? value : Array.isArray(value) ? value.length : null;
      this.#end(record, started, 'succeeded');
      return value;
    } catch (error) {
      const jobId = /^job (\d+) /.exec((error as Error).message ?? '')?.[1];
      if (jobId !== undefined) record.job = Number(jobId);
      record.error = (error as Error).message ?? String(error);
      this.#end(record, started, isCancellation(error) ? 'cancelled' : 'failed');
      throw error;
    }
  }

  #end(record: JobRecord, started: number, status: JobStatus): void {
    const ended = Date.now();
    record.status = status;
    record.endedAt = new Date(ended).toISOString();
    record.durationMs = ended - started;
    if (!this.jobs.some((j) => j.status === 'running')) for (const resolve of this.#idle.splice(0)) resolve();
  }
}

function describeAction(action: unknown): string {
  const a = (action ?? {}) as ActionShape;
  if (a.kind === 'write') {
    const format = a.format === 'json' ? 'Json' : a.format === 'csv' ? 'Csv' : 'Parquet';
    return `write${format}(${String(a.path)})`;
  }
  if (a.kind === 'collect' && typeof a.limit === 'number') return `first(${a.limit})`;
  return `${String(a.kind)}()`;
}

/** True for a `CancelledError`, or an error caused by one (a job whose tasks were cancelled). */
export function isCancellation(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof CancelledError) return true;
  }
  return false;
}
