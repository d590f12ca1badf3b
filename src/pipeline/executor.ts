/**
 * Executors decide how many steps run at once and where: `SequentialExecutor` (one at a time,
 * in-process, like flowyml's default) and `ParallelExecutor` (independent steps at the same time on
 * `maxWorkers` slots of the `thread`, `process` or `async` backend).
 *
 * An executor owns one engine (DESIGN.md principle 1): started on its first run and reused by every
 * later run, so concurrent runs of one executor share its slots, ordered FIFO/FAIR by pool. Close
 * the executor to stop its workers (idle workers never keep the process alive anyway).
 */
import { UsageError, describeValue } from '../errors.js';
import type { BackendKind } from '../events.js';
import { resolveConfig, type ResolvedConfig } from '../config/index.js';
import type { PoolConfig, SchedulingMode } from '../scheduler/index.js';
import { Engine, defaultEngine, type EngineOverrides } from '../scheduler/engine.js';
import type { Pipeline, PipelineExecutor } from './pipeline.js';
import type { PipelineResult } from './result.js';
import type { RunOptions } from './run-options.js';
import { runPipeline } from './run-pipeline.js';

const BACKENDS: readonly BackendKind[] = ['async', 'thread', 'process'];

/** Options of {@link ParallelExecutor}. */
export interface ParallelExecutorOptions {
  /** Steps (leaf tasks) running at once. @default config `weft.execution.executor.parallelism` */
  maxWorkers?: number;
  /** Where steps run. @default 'thread' */
  backend?: BackendKind;
  /** Scheduling mode between pools (`FIFO` or `FAIR`). @default from config `weft.scheduler.mode` */
  mode?: SchedulingMode;
  /** Pools for FAIR scheduling. @default from config `weft.scheduler.pools` */
  pools?: Record<string, PoolConfig>;
  /**
   * Settings the executor's engine is built from. @default the first run's `config`, else `resolveConfig()`
   */
  config?: ResolvedConfig;
}

/** The part shared by both executors: one lazily started engine, reused by every run. */
abstract class EngineExecutor implements PipelineExecutor {
  readonly #config: ResolvedConfig | undefined;
  #engine: Engine | undefined;

  protected constructor(config: ResolvedConfig | undefined) {
    this.#config = config;
  }

  /** What this executor fixes about its engine. */
  protected abstract overrides(): EngineOverrides;

  /** The executor's engine, or undefined before the first run (and after `close()`). */
  get engine(): Engine | undefined {
    return this.#engine;
  }

  execute(pipeline: Pipeline, options: RunOptions): Promise<PipelineResult> {
    if (this.#engine === undefined || this.#engine.closed) {
      this.#engine = Engine.fromConfig(this.#config ?? options.config ?? resolveConfig(), this.overrides());
    }
    return runPipeline(pipeline, options, this.#engine);
  }

  /** Stops the engine's workers; queued work is cancelled. A later run starts a fresh engine. */
  async close(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    await engine?.close();
  }
}

/** Runs independent steps at the same time on `maxWorkers` slots. */
export class ParallelExecutor extends EngineExecutor {
  readonly maxWorkers: number;
  readonly backend: BackendKind;
  readonly #options: ParallelExecutorOptions;

  constructor(options: ParallelExecutorOptions = {}) {
    super(options.config);
    const maxWorkers = options.maxWorkers ?? (options.config ?? resolveConfig()).get('weft.execution.executor.parallelism');
    this.maxWorkers = checkWorkers(maxWorkers, 'ParallelExecutor maxWorkers');
    this.backend = checkBackend(options.backend ?? 'thread', 'ParallelExecutor backend');
    this.#options = options;
  }

  /** The pools given to the constructor, if any (else the config's `weft.scheduler.pools`). */
  get pools(): Readonly<Record<string, PoolConfig>> | undefined {
    return this.#options.pools;
  }

  protected overrides(): EngineOverrides {
    return {
      slots: this.maxWorkers,
      backend: this.backend,
      ...(this.#options.mode ? { mode: this.#options.mode } : {}),
      ...(this.#options.pools ? { pools: this.#options.pools } : {}),
    };
  }
}

/** Runs one step at a time, in-process by default. */
export class SequentialExecutor extends EngineExecutor {
  readonly maxWorkers = 1;
  readonly backend: BackendKind;

  constructor(options: { backend?: BackendKind; config?: ResolvedConfig } = {}) {
    super(options.config);
    this.backend = checkBackend(options.backend ?? 'async', 'SequentialExecutor backend');
  }

  protected overrides(): EngineOverrides {
    return { slots: 1, backend: this.backend };
  }
}

/** Runs a pipeline on a given engine (the process-wide default one, or another that the caller owns). */
class SharedEngineExecutor implements PipelineExecutor {
  readonly #engine: () => Engine;
  constructor(engine: () => Engine) {
    this.#engine = engine;
  }
  execute(pipeline: Pipeline, options: RunOptions): Promise<PipelineResult> {
    return runPipeline(pipeline, options, this.#engine());
  }
}

const byConfig = new WeakMap<ResolvedConfig, PipelineExecutor>();
const onDefault = new SharedEngineExecutor(defaultEngine);

/**
 * The executor `pipeline.run()` uses when none is given: the process-wide {@link defaultEngine}, or,
 * when the run passes its own `config`, one engine per such config (reused by every run given it).
 */
export function defaultExecutor(options: RunOptions): PipelineExecutor {
  const config = options.config;
  if (config === undefined) return onDefault;
  let executor = byConfig.get(config);
  if (executor === undefined) {
    let engine: Engine | undefined;
    executor = new SharedEngineExecutor(() => {
      if (engine === undefined || engine.closed) engine = Engine.fromConfig(config);
      return engine;
    });
    byConfig.set(config, executor);
  }
  return executor;
}

function checkWorkers(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new UsageError(`Expected ${what} to be a whole number from 1 and up, got ${describeValue(value)}`);
  }
  return value;
}

function checkBackend(value: unknown, what: string): BackendKind {
  if (!BACKENDS.includes(value as BackendKind)) {
    throw new UsageError(`Expected ${what} to be one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}, got ${describeValue(value)}`);
  }
  return value as BackendKind;
}
