/**
 * How a user function is called, the same in every backend (DESIGN.md principle 6: the async
 * backend is the reference, the others must agree): `fn(input, ctx)` in `call` mode, and
 * `fn(item, ctx)` per item in `map` mode with `ctx.index` the item's position in the whole input,
 * results in order. One shape for both, so a `step()` function can be mapped too.
 */
import type { BackendKind } from '../events.js';
import type { CallMode, ItemResult } from './backend.js';
import type { UserFunction } from './function-ref.js';
import { ItemFailedError } from './errors.js';
import { UsageError } from '../errors.js';

/** What a user function receives as its last argument. */
export interface TaskContext {
  /** Aborted when the task is cancelled or times out; long work should check it. */
  signal: AbortSignal;
  /** 1 for the first try. */
  attempt: number;
  /** The task label, e.g. `step "score"`. */
  label: string;
  /** The values passed explicitly with `{ with: { … } }`. */
  with: unknown;
  /** The scheduler slot the task holds. */
  slot: number;
  /** Where the task runs. */
  backend: BackendKind;
  /** The scheduler's task id. */
  taskId: number;
  /** `map` mode: the item's position in the whole input (`parallelMap`). */
  index?: number;
}

type Invocable = (...args: unknown[]) => unknown;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Calls `fn` as the mode says. Returns the value directly when every call was synchronous (so a
 * worker can run short tasks without a promise per task), else a promise.
 */
export function invokeTask(fn: UserFunction, mode: CallMode, input: unknown, ctx: TaskContext, settle: boolean): unknown {
  const call = fn as unknown as Invocable;
  if (mode === 'call') return call(input, ctx);
  const { items, offset } = mapInput(input, ctx.label);
  const results: unknown[] = new Array<unknown>(items.length);
  // One context per chunk; items run one after another, so its index can move along.
  // `signal` may be a getter of the context's class, which a spread would not copy.
  const itemCtx: TaskContext = { ...ctx, signal: ctx.signal, index: offset };
  for (let i = 0; i < items.length; i++) {
    let value: unknown;
    try {
      itemCtx.index = offset + i;
      value = call(items[i], itemCtx);
    } catch (error) {
      if (!settle) throw new ItemFailedError(offset + i, error);
      results[i] = { ok: false, error: asError(error) } satisfies ItemResult;
      continue;
    }
    if (isPromiseLike(value)) return finishAsync(call, items, offset, itemCtx, settle, results, i, value);
    results[i] = settle ? ({ ok: true, value } satisfies ItemResult) : value;
  }
  return results;
}

async function finishAsync(
  call: Invocable,
  items: readonly unknown[],
  offset: number,
  ctx: TaskContext,
  settle: boolean,
  results: unknown[],
  from: number,
  pending: PromiseLike<unknown>,
): Promise<unknown[]> {
  for (let i = from; i < items.length; i++) {
    try {
      ctx.index = offset + i;
      const value = i === from ? await pending : await call(items[i], ctx);
      results[i] = settle ? ({ ok: true, value } satisfies ItemResult) : value;
    } catch (error) {
      if (!settle) throw new ItemFailedError(offset + i, error);
      results[i] = { ok: false, error: asError(error) } satisfies ItemResult;
    }
  }
  return results;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function mapInput(input: unknown, label: string): { items: readonly unknown[]; offset: number } {
  const candidate = input as { items?: unknown; offset?: unknown } | null;
  if (candidate === null || typeof candidate !== 'object' || !Array.isArray(candidate.items)) {
    throw new UsageError(`${label}: a \`map\` task expects input \`{ items: unknown[], offset?: number }\`, got ${typeof input}`);
  }
  return { items: candidate.items as unknown[], offset: typeof candidate.offset === 'number' ? candidate.offset : 0 };
}

/** Awaits `value` if it is a promise. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return isPromiseLike(value);
}
