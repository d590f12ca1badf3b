/**
 * What `weft run` knows about the jobs a dataflow job module ran: each action, its counters (the
 * `JobStats` the data plane keeps in `ExecutionEnvironment.jobs`), its duration and how it ended.
 * The same record feeds `--json` and the report printed after Ctrl-C; after the first Ctrl-C it
 * also refuses every new action, so a `main` that goes on after a cancelled job starts nothing more.
 *
 * It is a job observer of the data plane (dataflow/job-observers.ts): told of every action of every
 * environment before it runs (and refusing it once stopped), then of how it ended.
 */
import { observeJobs, type EndedJob, type StartingJob } from '../dataflow/index.js';
import { CancelledError } from '../errors.js';

/** How a job ended. */
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One action of a job module, as `weft run --json` prints it. */
export interface JobRecord {
  /** The scheduler's job id; `null` for an action that failed before it took one (in planning, say). */
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

/** Records the jobs of the job module running now. Install before `main`, uninstall after. */
export class JobRecorder {
  readonly jobs: JobRecord[] = [];
  #stopped: Error | undefined;
  #unsubscribe: (() => void) | undefined;
  #idle: Array<() => void> = [];

  /** Starts recording every action of every environment. */
  install(): void {
    this.#unsubscribe ??= observeJobs((job) => this.#starting(job));
  }

  /** Stops recording new actions (those already started are still recorded as they end). */
  uninstall(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
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

  #starting(job: StartingJob): (ended: EndedJob) => void {
    if (this.#stopped) throw new CancelledError(`${job.action} was not started: ${this.#stopped.message}`);
    const started = Date.now();
    const record: JobRecord = {
      job: null,
      action: job.action,
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
    return (ended) => {
      record.job = ended.jobId;
      if (ended.status === 'succeeded') {
        const { stats } = ended;
        Object.assign(record, { stages: stats.stages, tasks: stats.tasks, rows: ended.rows, rowsRead: stats.rowsRead });
      } else {
        const message = (ended.error as { message?: unknown } | null | undefined)?.message;
        record.error = typeof message === 'string' ? message : String(ended.error);
      }
      this.#end(record, started, ended.status);
    };
  }

  #end(record: JobRecord, started: number, status: JobStatus): void {
    const ended = Date.now();
    record.status = status;
    record.endedAt = new Date(ended).toISOString();
    record.durationMs = ended - started;
    if (!this.jobs.some((j) => j.status === 'running')) for (const resolve of this.#idle.splice(0)) resolve();
  }
}
