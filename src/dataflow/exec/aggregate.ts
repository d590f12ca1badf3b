/**
 * Keyed aggregation in two phases, as Spark's combiner and Flink's pre-aggregation do: the
 * `partial` phase folds each task's records per key into small entries before the hash exchange,
 * the `final` phase merges the entries of every upstream task for the keys it owns.
 *
 * An entry is `[key, first, accumulators]`: `first` is the first record of the key (the record
 * template of Flink-style `keyBy().sum(1)`; `null` when the output style does not use it),
 * accumulators one number (or value) per aggregation; `avg` keeps `[sum, count]`.
 *
 * Every record of a task goes through {@link Aggregator.addRecord}, so its state is laid out for
 * that loop: a key maps to a slot once, and numeric accumulators live in typed arrays indexed by
 * slot (see accumulators.ts) instead of one boxed object per key.
 */
import { UsageError, describeValue } from '../../errors.js';
import type { AggDef } from '../plan/logical.js';
import type { Batch } from '../batch/index.js';
import { accumulatorColumn, type AccumulatorColumn } from './accumulators.js';
import { distinctKeyColumn, entryBatch, firstColumns } from './entry-batch.js';
import { groupKey, type KeyFn } from './keys.js';

const COUNT = Symbol('count');

/** A partial aggregate entry, the unit that crosses the exchange. */
export type AggEntry = [key: unknown, first: unknown, accs: unknown[]];

/** Folds records (partial) or entries (final) per key, then emits entries or finished records. */
export class Aggregator {
  readonly #aggs: readonly AggDef[];
  readonly #name: string;
  readonly #keepFirst: boolean;
  /** Group key (equal keys by value, see `groupKey`) → slot, in first-seen order. */
  readonly #slots = new Map<unknown, number>();
  readonly #keys: unknown[] = [];
  readonly #firsts: unknown[] = [];
  readonly #columns: AccumulatorColumn[];
  /** Per aggregation: the field it reads, or {@link COUNT} (count folds 1 per record). */
  readonly #fields: Array<string | number | undefined | typeof COUNT>;
  /** Per aggregation: whether its values must be numbers (`sum`, `avg`). */
  readonly #numeric: boolean[];

  /**
   * @param keepFirst - whether entries carry each key's first record (only Flink-style
   *   `keyBy().sum()` outputs it); `null` stands in otherwise, so the exchange carries less.
   */
  constructor(aggs: readonly AggDef[], name: string, keepFirst = true) {
    this.#aggs = aggs;
    this.#name = name;
    this.#keepFirst = keepFirst;
    this.#columns = aggs.map((agg) => accumulatorColumn(agg.kind));
    this.#fields = aggs.map((agg) => (agg.kind === 'count' ? COUNT : agg.field));
    this.#numeric = aggs.map((agg) => agg.kind === 'sum' || agg.kind === 'avg');
  }

  /** Partial phase: one input record. */
  addRecord(record: unknown, key: unknown): void {
    const slot = this.#slotOf(key, record, true);
    const columns = this.#columns;
    for (let a = 0; a < columns.length; a++) {
      const field = this.#fields[a];
      columns[a]!.fold(slot, field === COUNT ? 1 : fieldOf(record, field, this.#name, this.#numeric[a]!, this.#aggs[a]!.kind));
    }
  }

  /** Partial phase: every record of a batch, keyed by `key`. */
  addRecords(records: readonly unknown[], key: KeyFn): void {
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      this.addRecord(record, key(record));
    }
  }

  /** Final phase: one entry from an upstream task (entries arrive in upstream partition order). */
  addEntry(entry: AggEntry): void {
    const [key, first, accs] = entry;
    const known = this.#slots.size;
    const slot = this.#slotOf(key, first);
    const columns = this.#columns;
    if (slot === known) for (let a = 0; a < columns.length; a++) columns[a]!.set(slot, accs[a]);
    else for (let a = 0; a < columns.length; a++) columns[a]!.merge(slot, accs[a]);
  }

  /** The partial entries, one per key, in first-seen order. */
  entries(): AggEntry[] {
    const out = new Array<AggEntry>(this.#keys.length);
    const columns = this.#columns;
    for (let s = 0; s < out.length; s++) {
      const accs = new Array<unknown>(columns.length);
      for (let a = 0; a < columns.length; a++) accs[a] = columns[a]!.entry(s);
      out[s] = [this.#keys[s], this.#keepFirst ? this.#firsts[s] : null, accs];
    }
    return out;
  }

  /**
   * The partial entries as one entry batch (entry-batch.ts): exactly `entriesBatch(entries())`,
   * built from the accumulator columns without an entry per key.
   */
  entryBatch(): Batch {
    const n = this.#keys.length;
    const key = distinctKeyColumn(this.#keys);
    const firsts = this.#keepFirst ? firstColumns(this.#firsts, { values: this.#keys, column: key }) : undefined;
    return entryBatch({ length: n, key, firsts, accs: this.#columns.map((column) => column.column(n)) });
  }

  /** The finished records, one per key, in first-seen order. */
  results(style: 'record' | 'row' | 'pair', keyName: string): unknown[] {
    const out = new Array<unknown>(this.#keys.length);
    const columns = this.#columns;
    const aggs = this.#aggs;
    for (let s = 0; s < out.length; s++) {
      const key = this.#keys[s];
      if (style === 'pair') out[s] = [key, columns[0]!.result(s)];
      else if (style === 'row') {
        const row: Record<string, unknown> = { [keyName]: key };
        for (let a = 0; a < aggs.length; a++) row[aggs[a]!.as] = columns[a]!.result(s);
        out[s] = row;
      } else out[s] = replaceFields(this.#firsts[s], aggs, columns.map((c) => c.result(s)));
    }
    return out;
  }

  /**
   * The slot of a key, a new one (the next in order) for a key not seen before.
   * @param record - `first` is an input record: the aggregator keeps a shallow copy of it (see {@link ownCopy}).
   */
  #slotOf(key: unknown, first: unknown, record = false): number {
    const gk = groupKey(key, this.#name);
    let slot = this.#slots.get(gk);
    if (slot !== undefined) return slot;
    slot = this.#keys.length;
    this.#slots.set(gk, slot);
    this.#keys.push(key);
    if (this.#keepFirst) this.#firsts.push(record ? ownCopy(first) : first);
    const columns = this.#columns;
    for (let a = 0; a < columns.length; a++) columns[a]!.ensure(slot);
    return slot;
  }
}

/** The field an aggregation reads; only `sum` and `avg` (`numeric`) insist on numbers. */
function fieldOf(record: unknown, field: string | number | undefined, name: string, numeric: boolean, kind: string): unknown {
  if (record === null || typeof record !== 'object') {
    throw new UsageError(`${name}: expected records with field ${JSON.stringify(field)} (objects or tuples), got ${record === null ? 'null' : typeof record} ${JSON.stringify(record)}`);
  }
  const value = (record as Record<string | number, unknown>)[field!];
  if (numeric && value !== null && value !== undefined && typeof value !== 'number' && typeof value !== 'bigint') {
    throw new UsageError(
      `${name}: expected field ${JSON.stringify(field)} to be a number for ${kind}(), got ${describeValue(value)}. ` +
        'Only sum and avg need numbers; use min, max, first or last for other values, or convert the field with map() first.',
    );
  }
  return value;
}

/**
 * A shallow copy of a record the aggregator keeps as a key's first record. The output is the same
 * ({@link replaceFields} copies it shallowly anyway), but a function that returns one reused
 * object for every record (Flink's object-reuse pattern) no longer rewrites the first records
 * already kept; and the objects a user function allocates all stay short-lived, which is what
 * V8's young generation is built for.
 */
function ownCopy(record: unknown): unknown {
  if (Array.isArray(record)) return record.slice();
  if (record !== null && typeof record === 'object' && Object.getPrototypeOf(record) === Object.prototype) return { ...record };
  return record;
}

/** Flink's keyed sum/min/max: the first record of the key with the aggregated fields replaced. */
export function replaceFields(first: unknown, aggs: readonly AggDef[], values: unknown[]): unknown {
  if (Array.isArray(first)) {
    const copy = [...(first as unknown[])];
    aggs.forEach((agg, a) => (copy[agg.field as number] = values[a]));
    return copy;
  }
  const copy = { ...(first as Record<string, unknown>) };
  aggs.forEach((agg, a) => (copy[String(agg.field)] = values[a]));
  return copy;
}

/** Partial entries' key reader, for the hash exchange after a partial aggregation. */
export const entryKey: KeyFn = (entry) => (entry as AggEntry)[0];
