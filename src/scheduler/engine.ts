/**
 * The engine of one run: the scheduler, its slots, the backends behind them and the event stream.
 *
 * Everything that runs work — a pipeline's steps, a `parallelMap` inside a step, later a dataflow
 * job's tasks — asks {@link Engine.current} for the engine it runs under and submits there, so a run
 * has one set of slots, one FIFO/FAIR order and one event stream however its work is nested.
 * Workers start lazily on first use and are reused by every step, retry and `parallelMap`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventStream } from '../events.js';
import type { BackendKind } from '../events.js';
import { BackendSet } from '../runtime/backend-set.js';
import { TaskScheduler, type PoolConfig, type SchedulingMode } from './index.js';

/** How to build an engine. Resolved values: callers fill them from config and user options. */
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
  events?: EventStream;
}

const current = new AsyncLocalStorage<Engine>();

/** One run's scheduler, backends and event stream. */
export class Engine {
  readonly scheduler: TaskScheduler;
  readonly backends: BackendSet;
  readonly events: EventStream;
  readonly slots: number;
  readonly defaultBackend: BackendKind;
  #closed = false;

  constructor(options: EngineOptions) {
    this.slots = options.slots;
    this.defaultBackend = options.backend;
    this.events = options.events ?? new EventStream();
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

  /** The engine whose work is running in this async context, if any. */
  static current(): Engine | undefined {
    return current.getStore();
  }

  /** Runs `fn` with this engine as {@link Engine.current} for everything it starts. */
  run<T>(fn: () => T): T {
    return current.run(this, fn);
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
    await this.scheduler.close();
  }
}
