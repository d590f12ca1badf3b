/**
 * `ExecutionEnvironment` — where datasets come from and where their jobs run (Flink's
 * `StreamExecutionEnvironment`, Spark's `SparkSession`).
 *
 * An environment owns one engine (slots, scheduler, backends) for all its jobs, started on the
 * first action: actions called concurrently are concurrent jobs sharing those slots, FIFO or FAIR
 * by pool. Inside a pipeline step it uses the run's own engine instead. Idle workers do not keep
 * the process alive; `close()` stops them at once.
 */
import { resolveConfig, type ResolvedConfig } from '../config/index.js';
import { CancelledError, UsageError, describeValue } from '../errors.js';
import type { BackendKind, EventStream } from '../events.js';
import { isLoadingUserModule, isWeftWorker } from '../runtime/index.js';
import { Engine, defaultEngine } from '../scheduler/engine.js';
import { Dataset } from './dataset.js';
import { IterableSource, type IterableInput } from './sources/iterable-source.js';
import { runJob, type Action, type JobStats } from './exec/job-runner.js';
import { jobStarting, type JobWatch } from './job-observers.js';
import { TASK_FUNCTION_REF } from './exec/run-task.js';
import { explainPlan } from './plan/explain.js';
import { functionSpecs } from './plan/function-specs.js';
import type { LogicalNode, NewNode, SourceDef } from './plan/logical.js';
import { planPhysical, type PhysicalPlan } from './plan/physical.js';

let explainSink: ((text: string) => void) | undefined;

/**
 * Explain mode (`weft explain`): while set, every action prints its job's plan to `write` and
 * returns an empty result (0 rows, no records) without running anything.
 */
export function setExplainMode(write: ((text: string) => void) | undefined): void {
  explainSink = write;
}

function describeAction(action: Action): string {
  return action.kind === 'write' ? `write${action.format === 'json' ? 'Json' : action.format === 'csv' ? 'Csv' : 'Parquet'}(${action.path})` : action.kind === 'collect' && action.limit !== undefined ? `first(${action.limit})` : `${action.kind}()`;
}

/** Claims the read-once iterable sources of a plan for a job (throws when one was read before). */
function claimIterables(plan: PhysicalPlan, jobId: number): void {
  for (const stage of plan.stages) {
    if (stage.input.kind === 'source' && stage.input.node.source.kind === 'iterable') stage.input.node.source.iterable.claim(jobId);
  }
}

/** Options of {@link ExecutionEnvironment.create}. */
export interface EnvironmentOptions {
  /** Default parallelism of this environment's operators (below `setParallelism`, above `-p` and config). */
  parallelism?: number;
  /** Default max parallelism (key groups) of this environment's operators: 1 to 32768. */
  maxParallelism?: number;
  /** Where tasks run. @default `weft.execution.backend` */
  backend?: BackendKind;
  /** Slots: tasks running at once across all jobs. @default `weft.execution.executor.parallelism` */
  slots?: number;
  /** Settings. @default `resolveConfig()` */
  config?: ResolvedConfig;
  /** Receives the `job.*`, `stage.*` and `task.*` events of every job. */
  events?: EventStream;
}

/** Options of the file sources (`readCsv`, `readText`, …); see docs/dataflow.md for every field. */
export type ReadOptions = Readonly<Record<string, unknown>>;

/** Entry point of the data plane. */
export class ExecutionEnvironment {
  readonly config: ResolvedConfig;
  readonly backend: BackendKind;
  #parallelism: number | undefined;
  #maxParallelism: number | undefined;
  readonly #slots: number;
  readonly #events: EventStream | undefined;
  /** True when the environment was created with its own slots, backend, config or events. */
  readonly #ownEngine: boolean;
  #engine: Engine | undefined;
  #nextNodeId = 0;
  /** Counters of the jobs this environment ran, newest last. */
  readonly jobs: JobStats[] = [];

  private constructor(options: EnvironmentOptions) {
    this.config = options.config ?? resolveConfig();
    this.backend = options.backend ?? this.config.get('weft.execution.backend');
    this.#slots = options.slots ?? this.config.get('weft.execution.executor.parallelism');
    this.#events = options.events;
    this.#ownEngine = options.slots !== undefined || options.backend !== undefined || options.config !== undefined || options.events !== undefined;
    if (options.parallelism !== undefined) this.setParallelism(options.parallelism);
    if (options.maxParallelism !== undefined) this.setMaxParallelism(options.maxParallelism);
  }

  /** Creates an environment. */
  static create(options: EnvironmentOptions = {}): ExecutionEnvironment {
    return new ExecutionEnvironment(options);
  }

  /** Default parallelism of this environment's operators. */
  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1) {
      throw new UsageError(`ExecutionEnvironment: expected a parallelism that is a whole number from 1 and up, got ${describeValue(parallelism)}`);
    }
    this.#parallelism = parallelism;
    return this;
  }

  /** Default max parallelism of this environment's operators. */
  setMaxParallelism(maxParallelism: number): this {
    if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > 32768) {
      throw new UsageError(`ExecutionEnvironment: expected a max parallelism from 1 to 32768, got ${describeValue(maxParallelism)}`);
    }
    this.#maxParallelism = maxParallelism;
    return this;
  }

  // ---- sources ---------------------------------------------------------------------------

  /** Lines of text files (paths, directories or globs), one record per line. */
  readText(paths: string | readonly string[], options: ReadOptions = {}): Dataset<string> {
    return this.#files('text', paths, options);
  }

  /** Rows of CSV files as objects, typed by a schema or by inference. */
  readCsv<T = Record<string, unknown>>(paths: string | readonly string[], options: ReadOptions = {}): Dataset<T> {
    return this.#files('csv', paths, options);
  }

  /** Objects of NDJSON files (one JSON object per line). */
  readJson<T = Record<string, unknown>>(paths: string | readonly string[], options: ReadOptions = {}): Dataset<T> {
    return this.#files('ndjson', paths, options);
  }

  /** Rows of Parquet files, one split per row group. */
  readParquet<T = Record<string, unknown>>(paths: string | readonly string[], options: ReadOptions = {}): Dataset<T> {
    return this.#files('parquet', paths, options);
  }

  /** An in-memory collection. */
  fromCollection<T>(values: Iterable<T>): Dataset<T> {
    return this.#source({ kind: 'collection', values: [...values] });
  }

  /**
   * An (async) iterable, read while a job runs: `batchRows` records per task, pulled only when a
   * task slot is free (bounded memory; `first(n)` stops reading once it has its records). A generator
   * or stream can be read by one action only; pass a factory `() => iterable` to read a fresh one in
   * every action.
   *
   * @example
   * ```ts
   * env.fromIterable(() => readLines(file)).filter(isError).first(10);
   * ```
   */
  fromIterable<T>(iterable: IterableInput<T>, options: { batchRows?: number } = {}): Dataset<T> {
    if (iterable === null || (typeof iterable !== 'function' && typeof iterable !== 'object')) {
      throw new UsageError(`fromIterable: expected an iterable, an async iterable or a function that returns one, got ${describeValue(iterable)}`);
    }
    const batchRows = options.batchRows ?? this.config.get('weft.dataflow.batchRows') ?? undefined;
    return this.#source({ kind: 'iterable', iterable: new IterableSource(iterable as IterableInput<unknown>, batchRows) });
  }

  // ---- jobs ------------------------------------------------------------------------------

  /**
   * @internal Plans and runs the job of an action; `signal` stops it. Job observers
   * (job-observers.ts) hear of it before it is planned, may refuse it, and hear how it ended.
   */
  async execute(node: LogicalNode, action: Action, signal?: AbortSignal): Promise<unknown> {
    // A worker importing a user module to find its functions must not run the module's jobs again.
    if (isWeftWorker() && isLoadingUserModule()) return action.kind === 'collect' ? [] : 0;
    if (explainSink) {
      explainSink(this.explain(node, describeAction(action)));
      return action.kind === 'collect' ? [] : 0;
    }
    const watch = jobStarting(this, describeAction(action));
    try {
      const { value, stats } = await this.#runJob(node, action, signal, watch);
      watch?.succeeded(stats, value);
      return value;
    } catch (error) {
      watch?.failed(error);
      throw error;
    }
  }

  /** Plans and runs the job; `watch` learns its id as soon as it takes one. */
  async #runJob(node: LogicalNode, action: Action, signal: AbortSignal | undefined, watch: JobWatch | undefined): Promise<{ value: unknown; stats: JobStats }> {
    const plan = this.#plan(node);
    const fnSpecs = functionSpecs(plan, this.backend);
    const engine = this.#engineForJob();
    // FIFO: the job id is taken at submission, before anything is awaited, so concurrent actions
    // are ordered as they were called. A run's scope forwards the job's events to the run's stream.
    const jobId = Engine.currentScope()?.newJobId() ?? engine.scheduler.newJobId();
    if (watch) watch.jobId = jobId;
    claimIterables(plan, jobId);
    if (signal?.aborted === true) throw new CancelledError(`job ${jobId} (${describeAction(action)}) was cancelled before it started`, { cause: signal.reason });
    await engine.backends.prepare(
      [{ fn: TASK_FUNCTION_REF, label: 'dataflow task' }, ...[...fnSpecs.values()].filter((s) => s.exported === undefined).map((s) => ({ fn: s.ref, label: s.label }))].filter(
        (r) => r.fn.kind === 'module',
      ),
    );
    const events = engine.events;
    const { value, stats } = await runJob(plan, action, {
      scheduler: engine.scheduler,
      jobId,
      backend: this.backend,
      fnSpecs,
      maxFailures: this.config.get('weft.task.maxFailures'),
      batchRows: this.config.get('weft.dataflow.batchRows'),
      signal,
      events,
      actionName: describeAction(action),
    });
    this.jobs.push(stats);
    // Malformed-row counts are on the job.succeeded event; the console hears of them only when nobody listens.
    if (stats.malformedSkipped + stats.malformedQuarantined > 0 && !events.wants('job.succeeded')) {
      const first = stats.malformed[0];
      console.warn(
        `weft: job ${stats.jobId} ${stats.malformedSkipped > 0 ? `skipped ${stats.malformedSkipped}` : `quarantined ${stats.malformedQuarantined}`} malformed row(s)` +
          (first ? `; first at ${first.file}:${first.line}: ${first.message}` : ''),
      );
    }
    return { value, stats };
  }

  /** @internal The plan of an action on a node, for `Dataset.explain()`; `action` titles it, e.g. `collect()`. */
  explain(node: LogicalNode, action = 'count()'): string {
    const plan = this.#plan(node);
    functionSpecs(plan, this.backend);
    return explainPlan(plan, action);
  }

  /** Stops this environment's own workers (an environment with default settings shares the process-wide engine, which stays). */
  async close(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    await engine?.close();
  }

  /** @internal */
  nextNodeId(): number {
    return this.#nextNodeId++;
  }

  /** @internal A dataset ending in a new node. */
  dataset<R>(node: NewNode): Dataset<R> {
    return new Dataset<R>(this, { ...node, id: this.nextNodeId() });
  }

  #files<T>(format: 'text' | 'csv' | 'ndjson' | 'parquet', paths: string | readonly string[], options: ReadOptions): Dataset<T> {
    const list = typeof paths === 'string' ? [paths] : [...paths];
    if (list.length === 0 || list.some((p) => typeof p !== 'string' || p === '')) {
      throw new UsageError(`read ${format}: expected a path, directory or glob (or a list of them), got ${describeValue(paths)}`);
    }
    return this.#source({ kind: 'files', format, paths: list, options });
  }

  #source<T>(source: SourceDef): Dataset<T> {
    return this.dataset<T>({ op: 'source', source });
  }

  #plan(node: LogicalNode): PhysicalPlan {
    return planPhysical(node, { parallelism: this.#parallelism, maxParallelism: this.#maxParallelism }, this.config);
  }

  #engineForJob(): Engine {
    const current = Engine.current();
    if (current) return current;
    // Like one SparkContext per application: environments with default settings share the process-wide engine.
    if (!this.#ownEngine) return defaultEngine();
    this.#engine ??= Engine.fromConfig(this.config, {
      slots: this.#slots,
      backend: this.backend,
      ...(this.#events ? { events: this.#events } : {}),
    });
    return this.#engine;
  }
}
