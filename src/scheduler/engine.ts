/**
 * The engine: one scheduler, its slots, the backends behind them and an event stream — long-lived,
 * shared by every run that uses it (DESIGN.md principle 1: one scheduler, one set of slots).
 *
 * An executor owns one engine, started on its first run and reused by every later run, so
 * concurrent runs of one executor compete for the same slots in FIFO/FAIR order. Runs without an
 * executor, and `parallelMap` outside any run, use the process-wide {@link defaultEngine}. Work
 * nested inside a run asks {@link Engine.current} for the engine it runs under, so a `parallelMap`
 * inside a step shares its run's slots. Workers start lazily and are reused by every step, retry,
 * run and `parallelMap`; idle workers do not keep the process alive.
 *
 * Engine options are built from a resolved config in exactly one place, {@link engineOptionsFrom}.
 */
import { EventStream } from '../events.js';
import type { BackendKind, TaskEvent } from '../events.js';
import { resolveConfig, type ResolvedConfig } from '../config/index.js';
import { BackendSet } from '../runtime/backend-set.js';
import { currentEngineContext, currentTaskRecord, withContext } from './context.js';
import { UnknownPoolError } from './errors.js';
import { Task } from './task.js';
import { TaskScheduler, type PoolConfig, type SchedulingMode } from './index.js';

/** How to build an engine. Resolved values: build them with {@link engineOptionsFrom}. */
export interface EngineOptions {
  /** Number of slots: leaf tasks that run at once. */
  slots: number;
  /** Backend for tasks that do not name one. */
  backend: BackendKind;
  mode?: SchedulingMode;
  pools?: Record<string, PoolConfig>;
  /** Attempts for a task whose worker crashed (scheduler level). */
  maxFailures?: number;
  maxOldGenerationSizeMb?: number | null;
  abortGraceMs?: number;
  /** Receives every task event of the engine. @default a new EventStream */
  events?: EventStream;
  /** The settings the engine was built from. @default `resolveConfig()` */
  config?: ResolvedConfig;
}

/** What a caller (an executor, a test) fixes about an engine; everything else comes from the config. */
export interface EngineOverrides {
  slots?: number;
  backend?: BackendKind;
  mode?: SchedulingMode;
  pools?: Record<string, PoolConfig>;
  events?: EventStream;
}

/**
 * The one place where engine options are derived from settings: slots, backend, scheduling mode,
 * pools, task attempts, worker heap limit and abort grace, each from its `weft.*` key unless
 * `overrides` fixes it. The returned options keep the config (`engine.config`).
 *
 * @example
 * ```ts
 * const engine = new Engine(engineOptionsFrom(resolveConfig(), { slots: 2, backend: 'async' }));
 * ```
 */
export function engineOptionsFrom(config: ResolvedConfig, overrides: EngineOverrides = {}): EngineOptions {
  const maxOld = config.get('weft.worker.maxOldGenerationSizeMb');
  return {
    slots: overrides.slots ?? config.get('weft.execution.executor.parallelism'),
    backend: overrides.backend ?? config.get('weft.execution.backend'),
    mode: overrides.mode ?? config.get('weft.scheduler.mode'),
    pools: overrides.pools ?? config.get('weft.scheduler.pools'),
    maxFailures: config.get('weft.task.maxFailures'),
    abortGraceMs: config.get('weft.worker.abortGraceMs'),
    ...(maxOld !== null ? { maxOldGenerationSizeMb: maxOld } : {}),
    ...(overrides.events ? { events: overrides.events } : {}),
    config,
  };
}

/**
 * The jobs of one run (or one top-level `parallelMap`) on a shared engine: task events of those jobs
 * (and a dataflow job's `job.*` / `stage.*` events) are forwarded to the run's own event stream, so
 * concurrent runs never see each other's tasks.
 */
export class JobScope {
  readonly #engine: Engine;
  readonly #jobIds = new Set<number>();
  readonly #stop: (() => void) | undefined;

  constructor(engine: Engine, events: EventStream | undefined) {
    this.#engine = engine;
    const forwards = events !== undefined && events !== engine.events && TASK_TYPES.some((t) => events.wants(t));
    this.#stop = forwards
      ? engine.events.on('*', (event) => {
          if (JOB_EVENT.test(event.type) && this.#jobIds.has((event as TaskEvent).jobId)) events.emit(event);
        })
      : undefined;
  }

  /** A new job id on the engine's scheduler, counted as this scope's. */
  newJobId(): number {
    const id = this.#engine.scheduler.newJobId();
    this.#jobIds.add(id);
    scopesOf(this.#engine).set(id, this);
    return id;
  }

  /** Stops forwarding events. */
  close(): void {
    this.#stop?.();
    const scopes = scopesOf(this.#engine);
    for (const id of this.#jobIds) scopes.delete(id);
  }
}

const TASK_TYPES = ['task.started', 'task.succeeded', 'task.failed', 'job.started', 'job.succeeded', 'job.failed', 'stage.started', 'stage.succeeded', 'stage.failed'] as const;
/** Events that belong to a job id: its tasks, and a dataflow job's own and its stages' events. */
const JOB_EVENT = /^(?:task|job|stage)\./;

/** Per engine, the scope of each live job id: how in-process nested work finds its run. */
const jobScopes = new WeakMap<Engine, Map<number, JobScope>>();

function scopesOf(engine: Engine): Map<number, JobScope> {
  let scopes = jobScopes.get(engine);
  if (scopes === undefined) jobScopes.set(engine, (scopes = new Map<number, JobScope>()));
  return scopes;
}

/** One scheduler, its backends and its event stream, shared by every run that uses it. */
export class Engine {
  readonly scheduler: TaskScheduler;
  readonly backends: BackendSet;
  /** Every task event of this engine; each run sees its own through a {@link JobScope}. */
  readonly events: EventStream;
  readonly slots: number;
  readonly defaultBackend: BackendKind;
  /** The settings this engine was built from. */
  readonly config: ResolvedConfig;
  /** The scheduling pools it knows, `default` included. */
  readonly pools: readonly string[];
  #closed = false;

  constructor(options: EngineOptions) {
    this.config = options.config ?? resolveConfig();
    this.slots = options.slots;
    this.defaultBackend = options.backend;
    this.events = options.events ?? new EventStream();
    this.pools = [...new Set(['default', ...Object.keys(options.pools ?? {})])];
    this.backends = new BackendSet(options.backend, {
      slots: options.slots,
      ...(options.maxOldGenerationSizeMb != null ? { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } : {}),
      ...(options.abortGraceMs !== undefined ? { abortGraceMs: options.abortGraceMs } : {}),
    });
    this.scheduler = new TaskScheduler({
      backend: this.backends,
      slots: options.slots,
      events: this.events,
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.pools ? { pools: options.pools } : {}),
      ...(options.maxFailures !== undefined ? { maxFailures: options.maxFailures } : {}),
    });
  }

  /** An engine built from `config` (see {@link engineOptionsFrom}). */
  static fromConfig(config: ResolvedConfig, overrides: EngineOverrides = {}): Engine {
    return new Engine(engineOptionsFrom(config, overrides));
  }

  /** The engine whose work is running in this async context, if any. */
  static current(): Engine | undefined {
    const engine = currentEngineContext()?.engine;
    return engine instanceof Engine ? engine : undefined;
  }

  /**
   * The job scope of the run whose work is running here, if any: the scope owning the job of the
   * task whose code runs here (a slot freed by one run may start another run's task, so the async
   * context alone can name the wrong run), else the async context's.
   */
  static currentScope(): JobScope | undefined {
    const context = currentEngineContext();
    const engine = context?.engine;
    if (!(engine instanceof Engine)) return undefined;
    const record = currentTaskRecord();
    if (record instanceof Task && record.owner === engine.scheduler) {
      const scope = jobScopes.get(engine)?.get(record.taskSet.jobId);
      if (scope !== undefined) return scope;
    }
    return context?.scope instanceof JobScope ? context.scope : undefined;
  }

  /** True once {@link Engine.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `fn` with this engine as {@link Engine.current} (and `scope` as the run's jobs) for everything it starts. */
  run<T>(fn: () => T, scope?: JobScope): T {
    return withContext({ engine: this, scope }, fn);
  }

  /**
   * Throws the {@link UnknownPoolError} when `pool` is set and not one of this engine's pools.
   * Runs call it before any step starts.
   */
  checkPool(pool: string | undefined): void {
    if (pool !== undefined && !this.pools.includes(pool)) throw new UnknownPoolError(pool, this.pools);
  }

  /** Creates an engine, runs `fn` under it and closes it, whatever happens. */
  static async with<T>(options: EngineOptions, fn: (engine: Engine) => Promise<T>): Promise<T> {
    const engine = new Engine(options);
    try {
      return await engine.run(() => fn(engine));
    } finally {
      await engine.close();
    }
  }

  /** Stops every worker. Queued work is cancelled. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (fallback === this) fallback = undefined;
    await this.scheduler.close();
  }
}

let fallback: Engine | undefined;

/**
 * The process-wide engine used by runs without an executor and by `parallelMap` outside any run,
 * built on first use from `resolveConfig()` (the current directory and environment). Every such
 * call shares its slots and workers. Closing it makes the next call build a fresh one.
 */
export function defaultEngine(): Engine {
  fallback ??= Engine.fromConfig(resolveConfig());
  return fallback;
}
