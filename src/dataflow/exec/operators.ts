/**
 * The operators of a task's chain: open (built here) → process (`push`, one batch of records at a
 * time, synchronously) → close (flush what an operator held back, e.g. aggregation state). Chained
 * operators call each other directly, the way Flink chains operators into one task.
 *
 * Records are what user functions see: plain objects for typed rows (materialised lazily, batch by
 * batch), or the values themselves. A typed batch is kept as is when it goes straight to the task's
 * output (count, collect, write) without any operator touching it.
 */
import { UsageError } from '../../errors.js';
import type { TaskContext, UserFunction } from '../../runtime/index.js';
import { isValueBatch, rowsOf, type Batch } from '../batch/index.js';
import { Aggregator, type AggEntry } from './aggregate.js';
import { TypedPartialAggregator, typedAggregationApplies } from './typed-aggregate.js';
import { compareKeys, compileKey, groupKey, type KeyFn } from './keys.js';
import type { FnSpec, KeySpec, OpSpec } from './task-spec.js';

/** Where an operator sends its output. */
export interface RecordSink {
  push(records: unknown[]): void;
  /** A whole batch, untouched (only for the task output, which may keep it columnar). */
  pushBatch(batch: Batch): void;
}

/**
 * Pushing returns a promise only when a user function did (async functions are awaited batch by
 * batch; synchronous ones keep the whole path synchronous).
 */
export type Pushed = void | Promise<void>;

/** The head of a chain: what the task's input is pushed into. */
export interface Chain {
  push(records: unknown[]): Pushed;
  pushBatch(batch: Batch): Pushed;
  close(): Pushed;
}

interface Operator {
  push(records: unknown[]): Pushed;
  /** A typed batch, for operators with a columnar fast path; others get its rows through `push`. */
  pushBatch?(batch: Batch): Pushed;
  /** Flushes held-back records downstream, then closes the next operator. */
  close(): Pushed;
}

/** Runs `then` after `first`, synchronously when `first` was synchronous. */
function after(first: Pushed, then: () => Pushed): Pushed {
  return first instanceof Promise ? first.then(then) : then();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** Applies `fn` to every record; awaits the results only if some are promises. */
function mapRecords(records: unknown[], fn: (record: unknown) => unknown, then: (out: unknown[]) => Pushed): Pushed {
  const out = records.map(fn);
  return out.some(isThenable) ? Promise.all(out).then(then) : then(out);
}

type Call = (...args: unknown[]) => unknown;

/** Builds the chain back to front, so each operator knows the next one. */
export function buildChain(ops: readonly OpSpec[], fns: ReadonlyMap<FnSpec, UserFunction>, ctx: TaskContext, sink: RecordSink): Chain {
  let next: Operator = { push: (records) => sink.push(records), close: () => undefined };
  for (let i = ops.length - 1; i >= 0; i--) next = createOperator(ops[i]!, fns, ctx, next);
  const head = next;
  return {
    push: (records) => head.push(records),
    pushBatch: (batch) => {
      if (ops.length === 0) return sink.pushBatch(batch);
      if (head.pushBatch !== undefined && !isValueBatch(batch)) return head.pushBatch(batch);
      return head.push(isValueBatch(batch) ? ((batch.columns[0] as unknown as { values: unknown[] }).values) : rowsOf(batch));
    },
    close: () => head.close(),
  };
}

function fnContext(spec: FnSpec, ctx: TaskContext): TaskContext {
  return { ...ctx, with: spec.with };
}

function keyFn(key: KeySpec, fns: ReadonlyMap<FnSpec, UserFunction>, ctx: TaskContext): KeyFn {
  return compileKey(key, key.kind === 'fn' ? fns.get(key.fn) : undefined, key.kind === 'fn' ? fnContext(key.fn, ctx) : ctx);
}

function createOperator(spec: OpSpec, fns: ReadonlyMap<FnSpec, UserFunction>, ctx: TaskContext, next: Operator): Operator {
  switch (spec.op) {
    case 'map': {
      const fn = fns.get(spec.fn) as Call;
      const c = fnContext(spec.fn, ctx);
      return { push: (records) => mapRecords(records, (r) => fn(r, c), (out) => next.push(out)), close: () => next.close() };
    }
    case 'filter': {
      const fn = fns.get(spec.fn) as Call;
      const c = fnContext(spec.fn, ctx);
      return {
        push: (records) => mapRecords(records, (r) => fn(r, c), (keep) => next.push(records.filter((_, i) => keep[i] === true))),
        close: () => next.close(),
      };
    }
    case 'flatMap': {
      const fn = fns.get(spec.fn) as Call;
      const c = fnContext(spec.fn, ctx);
      return {
        push: (records) =>
          mapRecords(records, (r) => fn(r, c), (produced) => {
            const out: unknown[] = [];
            for (const items of produced) {
              if (items === null || items === undefined || typeof (items as Iterable<unknown>)[Symbol.iterator] !== 'function') {
                throw new UsageError(`${spec.name}: expected the function to return an iterable (e.g. an array), got ${items === null ? 'null' : typeof items}`);
              }
              for (const v of items as Iterable<unknown>) out.push(v);
            }
            return next.push(out);
          }),
        close: () => next.close(),
      };
    }
    case 'aggregate':
      return aggregateOperator(spec, spec.key, keyFn(spec.key, fns, ctx), next);
    case 'reduce':
      return reduceOperator(spec, keyFn(spec.key, fns, ctx), fns.get(spec.fn) as Call, fnContext(spec.fn, ctx), next);
    case 'distinct': {
      const seen = new Map<unknown, unknown>();
      return {
        push: (records) => {
          for (const r of records) {
            const gk = groupKey(r);
            if (!seen.has(gk)) seen.set(gk, r);
          }
        },
        close: () => after(next.push([...seen.values()]), () => next.close()),
      };
    }
    case 'sort': {
      const key = keyFn(spec.key, fns, ctx);
      const held: Array<{ k: unknown; r: unknown }> = [];
      const sign = spec.descending ? -1 : 1;
      return {
        push: (records) => {
          for (const r of records) held.push({ k: key(r), r });
        },
        close: () => {
          held.sort((a, b) => sign * compareKeys(a.k, b.k));
          return after(next.push(held.map((h) => h.r)), () => next.close());
        },
      };
    }
  }
}

function aggregateOperator(spec: Extract<OpSpec, { op: 'aggregate' }>, keySpec: KeySpec, key: KeyFn, next: Operator): Operator {
  const keyName = spec.keyName;
  const close = (entries: unknown[]): Pushed => after(next.push(entries), () => next.close());
  if (spec.phase === 'final') {
    const aggregator = new Aggregator(spec.aggs, spec.name);
    return {
      push: (records) => {
        for (const e of records) aggregator.addEntry(e as AggEntry);
      },
      close: () => close(aggregator.results(spec.style, keyName)),
    };
  }
  // Partial phase: typed batches fold column-wise while they can; the first batch or record that
  // cannot hands the state to the generic aggregator for the rest of the task.
  let typed =
    keySpec.kind === 'field' && typeof keySpec.field === 'string' && typedAggregationApplies(spec.aggs)
      ? new TypedPartialAggregator(spec.aggs, keySpec.field, spec.name)
      : undefined;
  let generic: Aggregator | undefined;
  const toGeneric = (): Aggregator => {
    generic ??= typed?.toAggregator() ?? new Aggregator(spec.aggs, spec.name);
    typed = undefined;
    return generic;
  };
  const push = (records: unknown[]): void => {
    const aggregator = toGeneric();
    for (const r of records) aggregator.addRecord(r, key(r));
  };
  return {
    push,
    pushBatch: (batch) => {
      if (typed === undefined || !typed.addBatch(batch)) push(rowsOf(batch));
    },
    close: () => close(typed !== undefined ? typed.entries() : toGeneric().entries()),
  };
}

function reduceOperator(spec: Extract<OpSpec, { op: 'reduce' }>, key: KeyFn, fn: Call, c: TaskContext, next: Operator): Operator {
  const state = new Map<unknown, [unknown, unknown]>();
  const add = (k: unknown, value: unknown): void => {
    const gk = groupKey(k);
    const current = state.get(gk);
    if (current === undefined) state.set(gk, [k, value]);
    else current[1] = fn(current[1], value, c);
  };
  return {
    push:
      spec.phase === 'partial'
        ? (records) => {
            for (const r of records) add(key(r), r);
          }
        : (records) => {
            for (const e of records) add((e as [unknown, unknown])[0], (e as [unknown, unknown])[1]);
          },
    close: () => after(next.push(spec.phase === 'partial' ? [...state.values()] : [...state.values()].map(([, v]) => v)), () => next.close()),
  };
}
