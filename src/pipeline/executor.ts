/**
 * Executors decide how many steps run at once and where: `SequentialExecutor` (one at a time,
 * in-process, like flowyml's default) and `ParallelExecutor` (independent steps at the same time on
 * `maxWorkers` slots of the `thread`, `process` or `async` backend).
 */
import { availableParallelism } from 'node:os';
import { UsageError, describeValue } from '../errors.js';
import type { BackendKind } from '../events.js';
import { resolveConfig } from '../config/index.js';
import type { PoolConfig, SchedulingMode } from '../scheduler/index.js';
import type { Pipeline, PipelineExecutor } from './pipeline.js';
import type { PipelineResult } from './result.js';
import type { RunOptions } from './run-options.js';
import { runPipeline } from './run-pipeline.js';

const BACKENDS: readonly BackendKind[] = ['async', 'thread', 'process'];

/** Options of {@link ParallelExecutor}. */
export interface ParallelExecutorOptions {
  /** Steps (leaf tasks) running at once. @default the number of available cores */
  maxWorkers?: number;
  /** Where steps run. @default 'thread' */
  backend?: BackendKind;
  /** Scheduling mode between pools (`FIFO` or `FAIR`). @default from config `weft.scheduler.mode` */
  mode?: SchedulingMode;
  /** Pools for FAIR scheduling. @default from config `weft.scheduler.pools` */
  pools?: Record<string, PoolConfig>;
}

/** Runs independent steps at the same time on `maxWorkers` slots. */
export class ParallelExecutor implements PipelineExecutor {
  readonly maxWorkers: number;
  readonly backend: BackendKind;
  readonly #options: ParallelExecutorOptions;

  constructor(options: ParallelExecutorOptions = {}) {
    this.maxWorkers = checkWorkers(options.maxWorkers ?? availableParallelism(), 'ParallelExecutor maxWorkers');
    this.backend = checkBackend(options.backend ?? 'thread', 'ParallelExecutor backend');
    this.#options = options;
  }

  execute(pipeline: Pipeline, options: RunOptions): Promise<PipelineResult> {
    return runPipeline(pipeline, options, {
      slots: this.maxWorkers,
      backend: this.backend,
      ...(this.#options.mode ? { mode: this.#options.mode } : {}),
      ...(this.#options.pools ? { pools: this.#options.pools } : {}),
    });
  }
}

/** Runs one step at a time, in-process by default. */
export class SequentialExecutor implements PipelineExecutor {
  readonly maxWorkers = 1;
  readonly backend: BackendKind;

  constructor(options: { backend?: BackendKind } = {}) {
    this.backend = checkBackend(options.backend ?? 'async', 'SequentialExecutor backend');
  }

  execute(pipeline: Pipeline, options: RunOptions): Promise<PipelineResult> {
    return runPipeline(pipeline, options, { slots: 1, backend: this.backend });
  }
}

/** The executor `pipeline.run()` uses when none is given: from `weft.execution.*` settings. */
export function defaultExecutor(options: RunOptions): PipelineExecutor {
  const config = options.config ?? resolveConfig();
  return new ParallelExecutor({
    maxWorkers: config.get('weft.execution.executor.parallelism'),
    backend: config.get('weft.execution.backend'),
  });
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
