/**
 * The operators of a task's chain: open (built here) → process (one record at a time,
 * synchronously) → close (flush what an operator held back, e.g. aggregation state). Chained
 * operators call each other directly, record by record, the way Flink chains operators into one
 * task and Beam's operators `process` an element: a record goes through every map, flatMap and
 * filter into the next aggregation without an intermediate array per operator.
 *
 * Input arrives batch by batch; {@link Operator.flush} marks the end of a batch. A user function
 * that returns a promise makes its operator hold the rest of the batch: the operator keeps calling
 * the function for the batch's records (so async functions of one batch run concurrently, as
 * before), and at `flush` awaits them and passes the results on in input order. Synchronous
 * functions never create a promise.
 *
 * Records are what user functions see: plain objects for typed rows (materialised lazily, row by
 * row), or the values themselves. A typed batch is kept as is when it goes straight to the task's
 * output (count, collect, write) without any operator touching it.
 */
import { UsageError } from '../../errors.js';
import type { TaskContext, UserFunction } from '../../runtime/index.js';
import { isValueBatch, rowReader, type Batch } from '../batch/index.js';
import { Aggregator, type AggEntry } from './aggregate.js';
import { ENTRY_KEY_FIELD, entryAccField, entryFirstReader, forEachEntry, isEntryBatch } from './entry-batch.js';
import { TypedPartialAggregator, typedAggregationApplies } from './typed-aggregate.js';
import { compareKeys, compileKey, groupKey, type KeyFn } from './keys.js';
import type { AggDef } from '../plan/logical.js';
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
  push(records: readonly unknown[]): Pushed;
  pushBatch(batch: Batch): Pushed;
  close(): Pushed;
}

interface Operator {
  /** One record. */
  add(record: unknown): void;
  /** A typed batch, for operators with a columnar fast path; others get its rows through `add`. */
  addBatch?(batch: Batch): void;
  /** End of an input batch: passes on what the operator held back for async results, in order. */
  flush(): Pushed;
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

type Call = (...args: unknown[]) => unknown;

/** Builds the chain back to front, so each operator knows the next one. */
export function buildChain(ops: readonly OpSpec[], fns: ReadonlyMap<FnSpec, UserFunction>, ctx: TaskContext, sink: RecordSink): Chain {
  let next: Operator = sinkOperator(sink);
  for (let i = ops.length - 1; i >= 0; i--) next = createOperator(ops[i]!, fns, ctx, next);
  const head = next;
  const push = (records: readonly unknown[]): Pushed => {
    for (let i = 0; i < records.length; i++) head.add(records[i]);
    return head.flush();
  };
  return {
    push,
    pushBatch: (batch) => {
      if (ops.length === 0) return sink.pushBatch(batch);
      if (isValueBatch(batch)) return push((batch.columns[0] as { values: readonly unknown[] }).values);
      if (head.addBatch !== undefined) head.addBatch(batch);
      else {
        const row = rowReader(batch);
        for (let i = 0; i < batch.length; i++) head.add(row(i));
      }
      return head.flush();
    },
    close: () => head.close(),
  };
}

/**
 * Records the sink takes at a time. The chain's records go to the task output in arrays of at most
 * this many (and at the end of each input batch), so a flatMap that turns one batch into many
 * records does not hold them all: held that long, they outlive the young generation's collections
 * and are copied into the old one (a `flatMap(split).count()` spent 40% of its time so).
 */
const SINK_CHUNK = 4096;

/** The end of the chain: records collect into arrays for the task output; a typed batch goes as it is. */
function sinkOperator(sink: RecordSink): Operator {
  let records: unknown[] = [];
  const flush = (): void => {
    if (records.length === 0) return;
    const full = records;
    records = [];
    sink.push(full);
  };
  const addBatch = (batch: Batch): void => {
    flush();
    sink.pushBatch(batch);
  };
  const add = (record: unknown): void => {
    records.push(record);
    if (records.length >= SINK_CHUNK) flush();
  };
  return { add, addBatch, flush, close: flush };
}

/** Emits `records` downstream as one batch. */
function emit(next: Operator, records: readonly unknown[]): Pushed {
  for (let i = 0; i < records.length; i++) next.add(records[i]);
  return next.flush();
}

function fnContext(spec: FnSpec, ctx: TaskContext): TaskContext {
  return { ...ctx, with: spec.with };
}

function keyFn(key: KeySpec, fns: ReadonlyMap<FnSpec, UserFunction>, ctx: TaskContext): KeyFn {
  return compileKey(key, key.kind === 'fn' ? fns.get(key.fn) : undefined, key.kind === 'fn' ? fnContext(key.fn, ctx) : ctx);
}

function createOperator(spec: OpSpec, fns: ReadonlyMap<FnSpec, UserFunction>, ctx: TaskContext, next: Operator): Operator {
  switch (spec.op) {
    case 'map':
    case 'filter':
    case 'flatMap':
      return userFnOperator(spec, fns.get(spec.fn) as Call, fnContext(spec.fn, ctx), next);
    case 'aggregate':
      return aggregateOperator(spec, spec.key, keyFn(spec.key, fns, ctx), next);
    case 'reduce':
      return reduceOperator(spec, keyFn(spec.key, fns, ctx), fns.get(spec.fn) as Call, fnContext(spec.fn, ctx), next);
    case 'distinct': {
      const seen = new Map<unknown, unknown>();
      return {
        add: (record) => {
          const gk = groupKey(record, spec.name);
          if (!seen.has(gk)) seen.set(gk, record);
        },
        flush: () => undefined,
        close: () => after(emit(next, [...seen.values()]), () => next.close()),
      };
    }
    case 'sort': {
      const key = keyFn(spec.key, fns, ctx);
      const held: Array<{ k: unknown; r: unknown }> = [];
      const sign = spec.descending ? -1 : 1;
      return {
        add: (record) => void held.push({ k: key(record), r: record }),
        flush: () => undefined,
        close: () => {
          held.sort((a, b) => sign * compareKeys(a.k, b.k));
          return after(
            emit(
              next,
              held.map((h) => h.r),
            ),
            () => next.close(),
          );
        },
      };
    }
  }
}

/**
 * map, filter and flatMap: the user function's result goes straight on, record by record, until it
 * returns a promise; from then on the batch's results are held and passed on at `flush`.
 */
function userFnOperator(spec: Extract<OpSpec, { op: 'map' | 'filter' | 'flatMap' }>, fn: Call, c: TaskContext, next: Operator): Operator {
  const pass =
    spec.op === 'map'
      ? (_record: unknown, result: unknown): void => next.add(result)
      : spec.op === 'filter'
        ? (record: unknown, keep: unknown): void => {
            if (keep === true) next.add(record);
          }
        : (_record: unknown, items: unknown): void => emitItems(items, next, spec.name);
  /** Since the first promise of the current batch: its records and their results (or promises). */
  let heldRecords: unknown[] | undefined;
  let heldResults: unknown[] | undefined;
  return {
    add: (record) => {
      const result = fn(record, c);
      if (heldResults === undefined && !isThenable(result)) return pass(record, result);
      (heldRecords ??= []).push(record);
      (heldResults ??= []).push(result);
    },
    flush: () => {
      if (heldResults === undefined) return next.flush();
      const records = heldRecords!;
      const results = heldResults;
      heldRecords = heldResults = undefined;
      return Promise.all(results).then((settled) => {
        for (let i = 0; i < settled.length; i++) pass(records[i], settled[i]);
        return next.flush();
      });
    },
    close: () => next.close(),
  };
}

/** The items a flatMap function returned, one by one. */
function emitItems(items: unknown, next: Operator, name: string): void {
  if (Array.isArray(items)) {
    for (let i = 0; i < items.length; i++) next.add(items[i]);
    return;
  }
  if (items === null || items === undefined || typeof (items as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new UsageError(`${name}: expected the function to return an iterable (e.g. an array), got ${items === null ? 'null' : typeof items}`);
  }
  for (const v of items as Iterable<unknown>) next.add(v);
}

function aggregateOperator(spec: Extract<OpSpec, { op: 'aggregate' }>, keySpec: KeySpec, key: KeyFn, next: Operator): Operator {
  if (spec.phase === 'final') return finalAggregateOperator(spec, next);
  const keepFirst = spec.style === 'record';
  // Partial phase: typed batches fold column-wise while they can; the first batch or record that
  // cannot hands the state to the generic aggregator for the rest of the task.
  let typed =
    keySpec.kind === 'field' && typeof keySpec.field === 'string' && typedAggregationApplies(spec.aggs)
      ? new TypedPartialAggregator(spec.aggs, keySpec.field, spec.name, keepFirst)
      : undefined;
  let generic: Aggregator | undefined;
  const toGeneric = (): Aggregator => {
    generic ??= typed?.toAggregator() ?? new Aggregator(spec.aggs, spec.name, keepFirst);
    typed = undefined;
    return generic;
  };
  return {
    add: (record) => (generic ?? toGeneric()).addRecord(record, key(record)),
    addBatch: (batch) => {
      if (typed !== undefined && typed.addBatch(batch)) return;
      const aggregator = toGeneric();
      const row = rowReader(batch);
      for (let i = 0; i < batch.length; i++) {
        const record = row(i);
        aggregator.addRecord(record, key(record));
      }
    },
    flush: () => undefined,
    close: () => {
      // The state leaves as one entry batch, for the exchange to split column-wise (outputs.ts).
      const state = typed ?? toGeneric();
      if (next.addBatch === undefined) return after(emit(next, state.entries()), () => next.close());
      const entries = state.entryBatch();
      if (entries.length > 0) next.addBatch(entries);
      return after(next.flush(), () => next.close());
    },
  };
}

/**
 * The final phase of an aggregation. Sums and counts (their partial entries are numbers, merged by
 * adding) fold entry batches column-wise while every batch allows it, and leave as one typed batch
 * (Spark-style rows) or as records built from the typed state (Flink-style records, pairs);
 * anything else merges entry by entry into the generic aggregator.
 */
function finalAggregateOperator(spec: Extract<OpSpec, { op: 'aggregate' }>, next: Operator): Operator {
  const { keyName, aggs, style } = spec;
  const summed = aggs.every((a) => a.kind === 'sum' || a.kind === 'count') && (style !== 'row' || !aggs.some((a) => a.as === keyName));
  const sums = aggs.map((a, i): AggDef => ({ kind: 'sum', field: entryAccField(i), as: a.as }));
  let typed = summed ? new TypedPartialAggregator(sums, ENTRY_KEY_FIELD, spec.name, style === 'record', entryFirstReader) : undefined;
  let generic: Aggregator | undefined;
  const toGeneric = (): Aggregator => {
    generic ??= new Aggregator(aggs, spec.name, style === 'record');
    // Partial sums and counts are numbers: the typed state's entries are the generic ones.
    for (const entry of typed?.entries() ?? []) generic.addEntry(entry);
    typed = undefined;
    return generic;
  };
  return {
    add: (entry) => toGeneric().addEntry(entry as AggEntry),
    addBatch: (batch) => {
      if (typed !== undefined && isEntryBatch(batch) && typed.addBatch(batch)) return;
      const aggregator = toGeneric();
      if (isEntryBatch(batch)) forEachEntry(batch, (entry) => aggregator.addEntry(entry));
      else {
        const row = rowReader(batch);
        for (let i = 0; i < batch.length; i++) aggregator.addEntry(row(i) as AggEntry);
      }
    },
    flush: () => undefined,
    close: () => {
      if (typed !== undefined && style !== 'row') return after(emit(next, typed.records(style, aggs)), () => next.close());
      if (typed === undefined || next.addBatch === undefined) return after(emit(next, toGeneric().results(style, keyName)), () => next.close());
      const rows = typed.rowsBatch(keyName);
      if (rows.length > 0) next.addBatch(rows);
      return after(next.flush(), () => next.close());
    },
  };
}

function reduceOperator(spec: Extract<OpSpec, { op: 'reduce' }>, key: KeyFn, fn: Call, c: TaskContext, next: Operator): Operator {
  const state = new Map<unknown, [unknown, unknown]>();
  const add = (k: unknown, value: unknown): void => {
    const gk = groupKey(k, spec.name);
    const current = state.get(gk);
    if (current === undefined) state.set(gk, [k, value]);
    else current[1] = fn(current[1], value, c);
  };
  return {
    add:
      spec.phase === 'partial'
        ? (record) => add(key(record), record)
        : (entry) => add((entry as [unknown, unknown])[0], (entry as [unknown, unknown])[1]),
    flush: () => undefined,
    close: () => after(emit(next, spec.phase === 'partial' ? [...state.values()] : [...state.values()].map(([, v]) => v)), () => next.close()),
  };
}
