/**
 * The columnar fast path of the partial (combiner) aggregation: when the key is a field held in a
 * string, float64 or int32 column and every aggregated field is a float64 or int32 column, a typed
 * batch is folded straight from its columns — dictionary ids map to group slots, accumulators are
 * Float64Arrays — without building one row object. It folds in record order and keeps keys in
 * first-seen order, so its entries are exactly the generic {@link Aggregator}'s (same floats, same
 * order). Consecutive batches often share one string dictionary (a CSV split's, see
 * byte-interner.ts): the dictionary id → slot map is then kept from batch to batch (see
 * dictionary-slots.ts). A batch it cannot read hands its state over to a generic aggregator for
 * the rest of the task (see {@link TypedPartialAggregator.toAggregator}).
 */
import { rowAt, type Batch, type Column, type Field, type Validity } from '../batch/index.js';
import type { AggDef } from '../plan/logical.js';
import { Aggregator, replaceFields, type AggEntry } from './aggregate.js';
import { DictionarySlots } from './dictionary-slots.js';
import { distinctKeyColumn, entryBatch, firstColumns, valueColumn } from './entry-batch.js';

/** Aggregations the fast path folds; `first`/`last` keep the generic path. */
const TYPED_KINDS: ReadonlySet<AggDef['kind']> = new Set(['sum', 'count', 'min', 'max', 'avg']);

/** Whether the typed path can ever apply to these aggregations (a cheap check made once per operator). */
export function typedAggregationApplies(aggs: readonly AggDef[]): boolean {
  return aggs.every((a) => TYPED_KINDS.has(a.kind) && (a.kind === 'count' || a.field !== undefined));
}

/** How a batch gives the first record of its rows. */
export type FirstReader = (batch: Batch) => (row: number) => unknown;

const rowItself: FirstReader = (batch) => (row) => rowAt(batch, row);

function hasNaN(values: Float64Array | Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (values[i] !== values[i]) return true;
  return false;
}

/** A float64 or int32 column, as the folds read it. */
interface NumberColumn {
  readonly values: Float64Array | Int32Array;
  readonly validity?: Validity;
}

/** Folds typed batches per key into typed accumulators. */
export class TypedPartialAggregator {
  readonly #aggs: readonly AggDef[];
  readonly #field: string;
  readonly #name: string;
  /** Group key (as the generic path groups: SameValueZero of the key value) → slot. */
  readonly #slots = new Map<unknown, number>();
  readonly #keys: unknown[] = [];
  readonly #firsts: unknown[] = [];
  /** Per aggregation: sum / count / min / max per slot (avg: its sum). */
  #values: Float64Array[];
  /** Per aggregation: rows folded per slot (avg's count; min/max: 0 means not seen). */
  #counts: Float64Array[];
  #capacity = 1024;
  readonly #keepFirst: boolean;
  /** Scratch: the slot of each row of the batch being folded. */
  #rowSlots = new Int32Array(0);
  /** The slots of the last string dictionary's ids. */
  readonly #slotById = new DictionarySlots();
  readonly #firstReader: FirstReader;
  /** The first record of a row of the batch being folded. */
  #firstOf: (row: number) => unknown = () => null;

  /**
   * @param keepFirst - whether entries carry each key's first record (see {@link Aggregator}).
   * @param firstReader - how a batch gives a row's first record: the row itself, or (for a
   *   final phase folding entry batches) the entry's first record.
   */
  constructor(aggs: readonly AggDef[], field: string, name: string, keepFirst = true, firstReader: FirstReader = rowItself) {
    this.#aggs = aggs;
    this.#field = field;
    this.#name = name;
    this.#keepFirst = keepFirst;
    this.#firstReader = firstReader;
    this.#values = aggs.map(() => new Float64Array(this.#capacity));
    this.#counts = aggs.map(() => new Float64Array(this.#capacity));
  }

  /** Folds a typed batch; false (and nothing folded) when its columns do not fit the fast path. */
  addBatch(batch: Batch): boolean {
    const fields = batch.schema.fields;
    const keyIndex = fields.findIndex((f) => f.name === this.#field);
    if (keyIndex < 0) return false;
    const keyColumn = batch.columns[keyIndex]!;
    if (keyColumn.type !== 'string' && keyColumn.type !== 'float64' && keyColumn.type !== 'int32') return false;
    const valueColumns: Array<NumberColumn | undefined> = [];
    for (const agg of this.#aggs) {
      if (agg.kind === 'count') {
        valueColumns.push(undefined);
        continue;
      }
      const c = fields.findIndex((f) => f.name === String(agg.field));
      const column = c < 0 ? undefined : batch.columns[c];
      if (column === undefined || (column.type !== 'float64' && column.type !== 'int32')) return false;
      // min/max order NaN after every number (accumulators.ts), which `<` cannot: the generic path does.
      if ((agg.kind === 'min' || agg.kind === 'max') && column.type === 'float64' && hasNaN(column.values, batch.length)) return false;
      valueColumns.push(column);
    }
    if (this.#keepFirst) this.#firstOf = this.#firstReader(batch);
    const slots = this.#slotsOf(batch, keyColumn);
    for (let a = 0; a < this.#aggs.length; a++) this.#fold(this.#aggs[a]!.kind, a, slots, batch.length, valueColumns[a]);
    return true;
  }

  /** The slot of every row of the batch (in a scratch array reused by the next batch), creating slots for new keys in first-seen order. */
  #slotsOf(batch: Batch, column: Exclude<Column, { type: 'any' | 'bool' | 'timestamp' }>): Int32Array {
    const n = batch.length;
    if (this.#rowSlots.length < n) this.#rowSlots = new Int32Array(n);
    const out = this.#rowSlots;
    const validity = column.validity;
    if (column.type === 'string') {
      const { indices, dictionary } = column;
      const byId = this.#slotById.of(dictionary);
      for (let i = 0; i < n; i++) {
        if (validity !== undefined && (validity[i >> 3]! & (1 << (i & 7))) === 0) {
          out[i] = this.#slot(null, null, i);
          continue;
        }
        const id = indices[i]!;
        let slot = byId[id]!;
        if (slot < 0) byId[id] = slot = this.#slot(dictionary[id], dictionary[id], i);
        out[i] = slot;
      }
      return out;
    }
    const values = column.values;
    for (let i = 0; i < n; i++) {
      const valid = validity === undefined || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
      const key = valid ? values[i]! : null;
      // The generic path's group key: numbers as they are, with -0 grouped as 0 (a Map does that).
      out[i] = this.#slot(key, key, i);
    }
    return out;
  }

  #slot(groupKey: unknown, key: unknown, row: number): number {
    let slot = this.#slots.get(groupKey);
    if (slot !== undefined) return slot;
    slot = this.#keys.length;
    this.#slots.set(groupKey, slot);
    this.#keys.push(key);
    // Each key's first record, as the generic entries carry it (Flink-style `keyBy().sum()` outputs it).
    this.#firsts.push(this.#keepFirst ? this.#firstOf(row) : null);
    if (slot >= this.#capacity) this.#grow();
    return slot;
  }

  #grow(): void {
    this.#capacity *= 2;
    const grow = (array: Float64Array): Float64Array => {
      const next = new Float64Array(this.#capacity);
      next.set(array);
      return next;
    };
    this.#values = this.#values.map(grow);
    this.#counts = this.#counts.map(grow);
  }

  #fold(kind: AggDef['kind'], a: number, slots: Int32Array, n: number, column: NumberColumn | undefined): void {
    const acc = this.#values[a]!;
    const seen = this.#counts[a]!;
    if (column === undefined) {
      for (let i = 0; i < n; i++) acc[slots[i]!]! += 1;
      return;
    }
    const values = column.values;
    const validity = column.validity;
    for (let i = 0; i < n; i++) {
      if (validity !== undefined && (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
      const s = slots[i]!;
      const v = values[i]!;
      if (kind === 'sum' || kind === 'avg') {
        acc[s]! += v;
        seen[s]! += 1;
      } else if (seen[s] === 0 || (kind === 'min' ? v < acc[s]! : v > acc[s]!)) {
        acc[s] = v;
        seen[s] = 1;
      }
    }
  }

  /** The partial entries, one per key in first-seen order — what the generic aggregator's `entries()` gives. */
  entries(): AggEntry[] {
    const out: AggEntry[] = [];
    for (let s = 0; s < this.#keys.length; s++) {
      const accs = this.#aggs.map((agg, a): unknown => {
        const value = this.#values[a]![s]!;
        const seen = this.#counts[a]![s]!;
        if (agg.kind === 'avg') return [value, seen];
        if (agg.kind === 'min' || agg.kind === 'max') return seen === 0 ? undefined : value;
        return value;
      });
      out.push([this.#keys[s], this.#firsts[s], accs]);
    }
    return out;
  }

  /**
   * The partial entries as one entry batch (entry-batch.ts): exactly `entriesBatch(entries())`,
   * built from the accumulator arrays without an entry object per key.
   */
  entryBatch(): Batch {
    const n = this.#keys.length;
    const accs = this.#aggs.map((agg, a): Column => {
      const values = this.#values[a]!;
      const seen = this.#counts[a]!;
      if (agg.kind === 'avg') return { type: 'any', values: Array.from({ length: n }, (_, s) => [values[s], seen[s]]) };
      if ((agg.kind === 'min' || agg.kind === 'max') && !seen.subarray(0, n).every((x) => x !== 0)) return valueColumn(n, (s) => (seen[s] === 0 ? undefined : values[s]));
      return { type: 'float64', values: values.slice(0, n) };
    });
    return entryBatch({ length: n, key: distinctKeyColumn(this.#keys), firsts: this.#keepFirst ? firstColumns(this.#firsts) : undefined, accs });
  }

  /**
   * The finished records, one per key in first-seen order, for sums and counts (whose result is
   * their accumulator): Flink-style `record`s (the key's first record with the aggregated fields
   * replaced) or `[key, value]` pairs — what the generic aggregator's `results` gives.
   */
  records(style: 'record' | 'pair', aggs: readonly AggDef[]): unknown[] {
    const out = new Array<unknown>(this.#keys.length);
    const values = this.#values;
    if (style === 'pair') {
      for (let s = 0; s < out.length; s++) out[s] = [this.#keys[s], values[0]![s]];
      return out;
    }
    const fields = aggs.map((agg) => agg.field);
    for (let s = 0; s < out.length; s++) {
      const first = this.#firsts[s];
      if (!Array.isArray(first)) {
        out[s] = replaceFields(first, aggs, values.map((v) => v[s]));
        continue;
      }
      // A tuple (the common `keyBy(0).sum(1)`): copied, with the aggregated elements replaced.
      const copy = first.slice();
      for (let a = 0; a < fields.length; a++) copy[fields[a] as number] = values[a]![s];
      out[s] = copy;
    }
    return out;
  }

  /**
   * The finished rows as one typed batch — `keyName`, then each aggregation's `as` — in first-seen
   * order; for sums and counts, whose result is their accumulator (a final phase that merges
   * partial sums and counts by summing them).
   */
  rowsBatch(keyName: string): Batch {
    const n = this.#keys.length;
    const fields: Field[] = [];
    const columns: Column[] = [];
    const key = valueColumn(n, (s) => this.#keys[s]);
    fields.push({ name: keyName, type: key.type, nullable: true });
    columns.push(key);
    this.#aggs.forEach((agg, a) => {
      fields.push({ name: agg.as, type: 'float64', nullable: true });
      columns.push({ type: 'float64', values: this.#values[a]!.slice(0, n) });
    });
    return { schema: { fields }, length: n, columns };
  }

  /** A generic aggregator holding this one's state, for a task whose later batches need the generic path. */
  toAggregator(): Aggregator {
    const aggregator = new Aggregator(this.#aggs, this.#name, this.#keepFirst);
    for (const entry of this.entries()) aggregator.addEntry(entry);
    return aggregator;
  }
}
