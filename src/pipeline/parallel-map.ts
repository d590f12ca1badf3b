/**
 * `parallelMap` — items inside one step, in parallel (flowyml's `parallel_map`), as tasks on the one
 * scheduler.
 *
 * Items travel in chunks, so 100k tiny items cost a few dozen messages, not 100k round trips.
 * Inside a pipeline run (or inside a thread/process step) the chunks go to the run's own scheduler
 * and slots; the caller's slot is released while it waits, so nesting cannot deadlock. Outside a
 * run, every call shares the process-wide default engine (its workers start once). Results come back in input order; async
 * iterables are consumed with backpressure.
 */
import { availableParallelism } from 'node:os';
import { TimeoutError, UsageError, describeValue } from '../errors.js';
import type { BackendKind } from '../events.js';
import { resolveConfig, type ResolvedConfig } from '../config/index.js';
import {
  currentWorkerHost,
  isLoadingUserModule,
  toFunctionRef,
  type ItemResult,
  type TaskContext,
  type TaskOutcome,
  type TaskRequest,
} from '../runtime/index.js';
import { Engine, defaultEngine } from '../scheduler/engine.js';

/**
 * The context a `parallelMap` function receives: the task context plus the item's `index` in the
 * input, and `with`, the values passed in `options.with`.
 */
export type MapContext<C> = Omit<TaskContext, 'with'> & { with: C; index: number };

/**
 * A function mapped over items: `fn(item, ctx)`. The same shape as a step, so a function declared
 * with `step()` can be mapped too.
 */
export type MapFunction<T, R, C> = (item: T, ctx: MapContext<C>) => R | Promise<R>;

/** Options of {@link parallelMap}. */
export interface ParallelMapOptions<C = undefined> {
  /** Chunks in flight at once. @default the run's slots, or twice the default engine's slots outside a run */
  maxWorkers?: number;
  /** Where the chunks run. @default the run's backend, or 'thread' outside a run */
  backend?: BackendKind;
  /** Items per task. @default automatic: about 4 chunks per worker for arrays, 256 for iterables, 1 on 'async' */
  chunkSize?: number;
  /** Aborting it stops the map; running chunks are stopped. */
  signal?: AbortSignal;
  /** Time limit for the whole map. */
  timeoutMs?: number;
  /** Return one `{ ok, value } | { ok: false, error }` per item instead of rejecting at the first failure. */
  settle?: boolean;
  /** Values the function needs from outside, visible as `ctx.with` (functions sent as source cannot capture them). */
  with?: C;
  /** Move ArrayBuffers in items and results instead of copying them (thread backend). */
  transfer?: boolean;
  /** Names the map in errors and events. @default `parallelMap(<function name>)` */
  label?: string;
}

type Submit = (request: TaskRequest, signal: AbortSignal) => Promise<TaskOutcome>;

/**
 * Maps `fn` over `items` in parallel. Results are in input order. The first failure rejects with an
 * error naming the item's index (`item 17 failed: …`), unless `settle` is set.
 *
 * @example
 * ```ts
 * const squares = await parallelMap((x: number) => x * x, [1, 2, 3], { maxWorkers: 2 });
 * const big = await parallelMap((x: number, ctx) => x > ctx.with.threshold, values, { with: { threshold: 10 } });
 * ```
 */
export function parallelMap<T, R, C = undefined>(
  fn: MapFunction<T, R, C>,
  items: Iterable<T> | AsyncIterable<T>,
  options: ParallelMapOptions<C> & { settle: true },
): Promise<Array<ItemResult>>;
export function parallelMap<T, R, C = undefined>(
  fn: MapFunction<T, R, C>,
  items: Iterable<T> | AsyncIterable<T>,
  options?: ParallelMapOptions<C>,
): Promise<Array<Awaited<R>>>;
export async function parallelMap<T, R, C>(
  fn: MapFunction<T, R, C>,
  items: Iterable<T> | AsyncIterable<T>,
  options: ParallelMapOptions<C> = {},
): Promise<unknown[]> {
  if (typeof fn !== 'function') throw new UsageError(`parallelMap: expected a function as the first argument, got ${describeValue(fn)}`);
  if (items == null || (typeof (items as Iterable<T>)[Symbol.iterator] !== 'function' && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] !== 'function')) {
    throw new UsageError(`parallelMap: expected an array or (async) iterable of items, got ${describeValue(items)}`);
  }
  checkPositive(options.maxWorkers, 'maxWorkers');
  checkPositive(options.chunkSize, 'chunkSize');
  checkPositive(options.timeoutMs, 'timeoutMs');
  const label = options.label ?? `parallelMap(${fn.name || 'λ'})`;

  if (isLoadingUserModule()) {
    throw new UsageError(
      `${label} was called at the top level of a module while a weft worker imported that module to find its steps; ` +
        'the worker would start the map again inside itself. Move the call into a function (e.g. a step or main()), ' +
        "or guard it with `if (!isWeftWorker()) { … }` (isWeftWorker is exported by 'weft').",
    );
  }

  const host = currentWorkerHost();
  if (host) {
    const backend = options.backend ?? 'thread';
    const chunkSize = options.chunkSize ?? workerConfig().get('weft.parallelMap.chunkSize');
    return mapChunks(fn, items, options, label, backend, options.maxWorkers ?? availableParallelism(), chunkSize, (request, signal) =>
      host.submit(request, signal),
    );
  }
  const inRun = Engine.current();
  const engine = inRun ?? defaultEngine();
  const backend = options.backend ?? (inRun ? engine.defaultBackend : 'thread');
  const jobId = Engine.currentScope()?.newJobId() ?? engine.scheduler.newJobId();
  const taskSet = engine.scheduler.createTaskSet({ name: label, jobId });
  // Inside a run the caller's slot is released while it waits; outside one, keep every slot busy.
  const inFlight = options.maxWorkers ?? (inRun ? engine.slots : engine.slots * 2);
  try {
    return await mapChunks(fn, items, options, label, backend, inFlight, options.chunkSize ?? engine.config.get('weft.parallelMap.chunkSize'), (request, signal) =>
      engine.scheduler.submit(taskSet, request, { signal }),
    );
  } finally {
    taskSet.close();
  }
}

async function mapChunks<T, R, C>(
  fn: MapFunction<T, R, C>,
  items: Iterable<T> | AsyncIterable<T>,
  options: ParallelMapOptions<C>,
  label: string,
  backend: BackendKind,
  inFlightLimit: number,
  configuredChunkSize: number | null,
  submit: Submit,
): Promise<unknown[]> {
  // Inside a worker the function must be findable by another worker, never a local closure.
  const ref = toFunctionRef(fn, label, currentWorkerHost() && backend === 'async' ? 'thread' : backend);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) throw options.signal.reason;
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(new TimeoutError(`${label} ran longer than ${options.timeoutMs} ms`, options.timeoutMs!)), options.timeoutMs);

  const chunkSize = configuredChunkSize ?? autoChunkSize(items, backend, inFlightLimit);
  const results: unknown[] = Array.isArray(items) ? new Array<unknown>(items.length) : [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;

  const send = (chunk: T[], offset: number): void => {
    const request: TaskRequest = {
      fn: ref,
      mode: 'map',
      input: { items: chunk, offset },
      label,
      backend,
      ...(options.with !== undefined ? { with: options.with } : {}),
      ...(options.settle ? { settle: true } : {}),
      ...(options.transfer ? { transfer: true } : {}),
    };
    const done = submit(request, controller.signal).then(
      (outcome) => {
        const values = outcome.value as unknown[];
        for (let i = 0; i < values.length; i++) results[offset + i] = values[i];
      },
      (error: unknown) => {
        if (!failure) {
          failure = { error };
          controller.abort(error);
        }
      },
    );
    const tracked = done.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  const waitForRoom = async (): Promise<boolean> => {
    while (inFlight.size >= inFlightLimit) await Promise.race(inFlight);
    return !failure && !controller.signal.aborted;
  };
  let count = 0;
  try {
    if (Array.isArray(items)) {
      count = items.length;
      for (let offset = 0; offset < count; offset += chunkSize) {
        if (!(await waitForRoom())) break;
        send((items as T[]).slice(offset, offset + chunkSize), offset);
      }
    } else {
      let chunk: T[] = [];
      let offset = 0;
      for await (const item of items) {
        if (failure || controller.signal.aborted) break;
        chunk.push(item);
        count++;
        if (chunk.length < chunkSize) continue;
        if (!(await waitForRoom())) break;
        send(chunk, offset);
        chunk = [];
        offset = count;
      }
      if (chunk.length > 0 && !failure && !controller.signal.aborted) send(chunk, offset);
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
    if (controller.signal.aborted) throw controller.signal.reason;
    results.length = count;
    return results;
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (!controller.signal.aborted) controller.abort();
  }
}

function autoChunkSize(items: unknown, backend: BackendKind, workers: number): number {
  if (backend === 'async') return 1;
  if (Array.isArray(items)) return Math.max(1, Math.ceil(items.length / (workers * 4)));
  return 256;
}

let inWorker: ResolvedConfig | undefined;
/** Inside a worker there is no engine: its settings are resolved once per worker. */
function workerConfig(): ResolvedConfig {
  inWorker ??= resolveConfig();
  return inWorker;
}

function checkPositive(value: unknown, name: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new UsageError(`parallelMap: expected \`${name}\` to be a whole number from 1 and up, got ${describeValue(value)}`);
  }
}
