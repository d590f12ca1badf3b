/**
 * Keyed aggregation in two phases, as Spark's combiner and Flink's pre-aggregation do: the
 * `partial` phase folds each task's records per key into small entries before the hash exchange,
 * the `final` phase merges the entries of every upstream task for the keys it owns.
 *
 * An entry is `[key, first, accumulators]`: `first` is the first record of the key (the record
 * template of Flink-style `keyBy().sum(1)`), accumulators one number (or value) per aggregation;
 * `avg` keeps `[sum, count]`.
 */
import { UsageError } from '../../errors.js';
import type { AggDef } from '../plan/logical.js';
import { groupKey, type KeyFn } from './keys.js';

/** A partial aggregate entry, the unit that crosses the exchange. */
export type AggEntry = [key: unknown, first: unknown, accs: unknown[]];

/** Per-key state of one task. */
interface State {
  key: unknown;
  first: unknown;
  accs: unknown[];
}

/** Folds records (partial) or entries (final) per key, then emits entries or finished records. */
export class Aggregator {
  readonly #aggs: readonly AggDef[];
  readonly #states = new Map<unknown, State>();
  readonly #name: string;

  constructor(aggs: readonly AggDef[], name: string) {
    this.#aggs = aggs;
    this.#name = name;
  }

  /** Partial phase: one input record. */
  addRecord(record: unknown, key: unknown): void {
    const gk = groupKey(key);
    let state = this.#states.get(gk);
    if (!state) {
      state = { key, first: record, accs: this.#aggs.map(initial) };
      this.#states.set(gk, state);
    }
    const accs = state.accs;
    for (let a = 0; a < this.#aggs.length; a++) {
      const agg = this.#aggs[a]!;
      accs[a] = fold(agg, accs[a], agg.kind === 'count' ? 1 : fieldOf(record, agg.field, this.#name));
    }
  }

  /** Final phase: one entry from an upstream task (entries arrive in upstream partition order). */
  addEntry(entry: AggEntry): void {
    const [key, first, accs] = entry;
    const gk = groupKey(key);
    const state = this.#states.get(gk);
    if (!state) {
      this.#states.set(gk, { key, first, accs: [...accs] });
      return;
    }
    for (let a = 0; a < this.#aggs.length; a++) state.accs[a] = merge(this.#aggs[a]!, state.accs[a], accs[a]);
  }

  /** The partial entries, one per key, in first-seen order. */
  entries(): AggEntry[] {
    return [...this.#states.values()].map((s) => [s.key, s.first, s.accs]);
  }

  /** The finished records, one per key, in first-seen order. */
  results(style: 'record' | 'row' | 'pair', keyName: string): unknown[] {
    const out: unknown[] = [];
    for (const state of this.#states.values()) {
      const values = state.accs.map((acc, a) => finish(this.#aggs[a]!, acc));
      if (style === 'pair') out.push([state.key, values[0]]);
      else if (style === 'row') {
        const row: Record<string, unknown> = { [keyName]: state.key };
        this.#aggs.forEach((agg, a) => (row[agg.as] = values[a]));
        out.push(row);
      } else out.push(replaceFields(state.first, this.#aggs, values));
    }
    return out;
  }
}

function initial(agg: AggDef): unknown {
  switch (agg.kind) {
    case 'sum':
    case 'count':
      return 0;
    case 'avg':
      return [0, 0];
    default:
      return undefined;
  }
}

function fold(agg: AggDef, acc: unknown, value: unknown): unknown {
  switch (agg.kind) {
    case 'count':
      return (acc as number) + 1;
    case 'sum':
      return value === null || value === undefined ? acc : (acc as number) + (value as number);
    case 'avg': {
      if (value === null || value === undefined) return acc;
      const [s, n] = acc as [number, number];
      return [s + (value as number), n + 1];
    }
    case 'min':
      return value === null || value === undefined ? acc : acc === undefined || (value as number) < (acc as number) ? value : acc;
    case 'max':
      return value === null || value === undefined ? acc : acc === undefined || (value as number) > (acc as number) ? value : acc;
    case 'first':
      return acc === undefined ? value : acc;
    case 'last':
      return value;
  }
}

function merge(agg: AggDef, a: unknown, b: unknown): unknown {
  switch (agg.kind) {
    case 'count':
    case 'sum':
      return (a as number) + (b as number);
    case 'avg': {
      const [s1, n1] = a as [number, number];
      const [s2, n2] = b as [number, number];
      return [s1 + s2, n1 + n2];
    }
    case 'min':
      return b === undefined ? a : a === undefined || (b as number) < (a as number) ? b : a;
    case 'max':
      return b === undefined ? a : a === undefined || (b as number) > (a as number) ? b : a;
    case 'first':
      return a === undefined ? b : a;
    case 'last':
      return b === undefined ? a : b;
  }
}

function finish(agg: AggDef, acc: unknown): unknown {
  if (agg.kind === 'avg') {
    const [s, n] = acc as [number, number];
    return n === 0 ? null : s / n;
  }
  return acc === undefined ? null : acc;
}

function fieldOf(record: unknown, field: string | number | undefined, name: string): unknown {
  if (record === null || typeof record !== 'object') {
    throw new UsageError(`${name}: expected records with field ${JSON.stringify(field)} (objects or tuples), got ${record === null ? 'null' : typeof record} ${JSON.stringify(record)}`);
  }
  const value = (record as Record<string | number, unknown>)[field!];
  if (value !== null && value !== undefined && typeof value !== 'number' && typeof value !== 'bigint') {
    throw new UsageError(`${name}: expected field ${JSON.stringify(field)} to be a number, got ${typeof value} ${JSON.stringify(value)}`);
  }
  return value;
}

/** Flink's keyed sum/min/max: the first record of the key with the aggregated fields replaced. */
function replaceFields(first: unknown, aggs: readonly AggDef[], values: unknown[]): unknown {
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
