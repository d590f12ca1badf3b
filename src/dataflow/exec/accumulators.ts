/**
 * The accumulators of a keyed aggregation, one column per aggregation with a value per key slot.
 * Sums, counts, averages and numeric min/max live in `Float64Array`s, so folding a record adds
 * into an array instead of boxing a new number into a per-key object; `first`/`last` (any value)
 * and min/max over non-numbers (strings, booleans, dates, bigints) keep plain arrays. Each column
 * folds, merges and finishes exactly as the generic rules below say, so every layout gives the
 * same results. min/max compare with `compareKeys`, the total order `sortBy` uses (numbers before
 * strings, `NaN` after every other number, dates by time).
 *
 * | kind        | fold `v` (null and undefined are skipped, except by `last`) | merge `b` into `a`   |
 * |-------------|--------------------------------------------------------------|----------------------|
 * | sum, count  | `a + v` (count folds 1)                                      | `a + b`              |
 * | avg         | `[s + v, n + 1]`                                             | `[s1 + s2, n1 + n2]` |
 * | min / max   | `v` when nothing yet or `v` before / after `a` (`compareKeys`) | the same with `b`  |
 * | first       | `v` when nothing yet                                         | `a`, else `b`        |
 * | last        | `v`                                                          | `b`, else `a`        |
 */
import type { Column } from '../batch/index.js';
import type { AggDef } from '../plan/logical.js';
import { valueColumn } from './entry-batch.js';
import { compareKeys } from './keys.js';

/** One aggregation's state for every key slot of an aggregator. */
export interface AccumulatorColumn {
  /** Makes room for `slot` (slots are created in order, from 0). */
  ensure(slot: number): void;
  /** Folds one input value into the slot. */
  fold(slot: number, value: unknown): void;
  /** Sets a new slot from a partial accumulator (as `entry` gives it). */
  set(slot: number, acc: unknown): void;
  /** Merges a partial accumulator into the slot. */
  merge(slot: number, acc: unknown): void;
  /** The slot's partial accumulator, the form that crosses the exchange. */
  entry(slot: number): unknown;
  /** The slot's finished value (`null` when nothing was folded). */
  result(slot: number): unknown;
  /** The partial accumulators of slots `[0, n)` as one column: `valueColumn` of their `entry`s. */
  column(n: number): Column;
}

/** The column for an aggregation kind. */
export function accumulatorColumn(kind: AggDef['kind']): AccumulatorColumn {
  switch (kind) {
    case 'sum':
    case 'count':
      return new SumColumn();
    case 'avg':
      return new AvgColumn();
    case 'min':
    case 'max':
      return new ExtremeColumn(kind);
    case 'first':
    case 'last':
      return new ValueColumn(kind);
  }
}

const INITIAL_CAPACITY = 1024;

function grown(array: Float64Array<ArrayBuffer>, slot: number): Float64Array<ArrayBuffer> {
  if (slot < array.length) return array;
  const next = new Float64Array(Math.max(slot + 1, array.length * 2));
  next.set(array);
  return next;
}

/** Sums and counts. */
class SumColumn implements AccumulatorColumn {
  #values = new Float64Array(INITIAL_CAPACITY);

  ensure(slot: number): void {
    this.#values = grown(this.#values, slot);
  }

  fold(slot: number, value: unknown): void {
    if (value === null || value === undefined) return;
    this.#values[slot]! += value as number;
  }

  set(slot: number, acc: unknown): void {
    this.#values[slot] = acc as number;
  }

  merge(slot: number, acc: unknown): void {
    this.#values[slot]! += acc as number;
  }

  entry(slot: number): unknown {
    return this.#values[slot];
  }

  result(slot: number): unknown {
    return this.#values[slot];
  }

  column(n: number): Column {
    return n === 0 ? valueColumn(0, () => undefined) : { type: 'float64', values: this.#values.slice(0, n) };
  }
}

/** Averages: a sum and a count per slot. */
class AvgColumn implements AccumulatorColumn {
  #sums = new Float64Array(INITIAL_CAPACITY);
  #counts = new Float64Array(INITIAL_CAPACITY);

  ensure(slot: number): void {
    this.#sums = grown(this.#sums, slot);
    this.#counts = grown(this.#counts, slot);
  }

  fold(slot: number, value: unknown): void {
    if (value === null || value === undefined) return;
    this.#sums[slot]! += value as number;
    this.#counts[slot]! += 1;
  }

  set(slot: number, acc: unknown): void {
    const [s, n] = acc as [number, number];
    this.#sums[slot] = s;
    this.#counts[slot] = n;
  }

  merge(slot: number, acc: unknown): void {
    const [s, n] = acc as [number, number];
    this.#sums[slot]! += s;
    this.#counts[slot]! += n;
  }

  entry(slot: number): unknown {
    return [this.#sums[slot], this.#counts[slot]];
  }

  result(slot: number): unknown {
    const n = this.#counts[slot]!;
    return n === 0 ? null : this.#sums[slot]! / n;
  }

  column(n: number): Column {
    return valueColumn(n, (slot) => this.entry(slot));
  }
}

/** Minimum or maximum: numbers in a typed array until a non-number (string, boolean, date, bigint) or `NaN` arrives. */
class ExtremeColumn implements AccumulatorColumn {
  readonly #max: boolean;
  #values = new Float64Array(INITIAL_CAPACITY);
  #seen = new Float64Array(INITIAL_CAPACITY);
  /** Every slot's value (`undefined`: nothing yet), once a value did not fit the typed array. */
  #boxed: unknown[] | undefined;

  constructor(kind: 'min' | 'max') {
    this.#max = kind === 'max';
  }

  ensure(slot: number): void {
    if (this.#boxed !== undefined) return;
    this.#values = grown(this.#values, slot);
    this.#seen = grown(this.#seen, slot);
  }

  fold(slot: number, value: unknown): void {
    if (value === null || value === undefined) return;
    this.merge(slot, value);
  }

  set(slot: number, acc: unknown): void {
    this.merge(slot, acc);
  }

  merge(slot: number, value: unknown): void {
    if (value === undefined) return;
    if (this.#boxed === undefined && typeof value === 'number' && value === value) {
      const current = this.#values[slot]!;
      if (this.#seen[slot] === 0 || (this.#max ? value > current : value < current)) {
        this.#values[slot] = value;
        this.#seen[slot] = 1;
      }
      return;
    }
    const boxed = (this.#boxed ??= this.#box());
    const a = boxed[slot];
    if (a === undefined || (this.#max ? compareKeys(value, a) > 0 : compareKeys(value, a) < 0)) boxed[slot] = value;
  }

  entry(slot: number): unknown {
    if (this.#boxed !== undefined) return this.#boxed[slot];
    return this.#seen[slot] === 0 ? undefined : this.#values[slot];
  }

  result(slot: number): unknown {
    return this.entry(slot) ?? null;
  }

  column(n: number): Column {
    return valueColumn(n, (slot) => this.entry(slot));
  }

  #box(): unknown[] {
    const boxed: unknown[] = [];
    for (let s = 0; s < this.#seen.length; s++) boxed.push(this.#seen[s] === 0 ? undefined : this.#values[s]);
    return boxed;
  }
}

/** First or last value, of any type. */
class ValueColumn implements AccumulatorColumn {
  readonly #last: boolean;
  readonly #values: unknown[] = [];

  constructor(kind: 'first' | 'last') {
    this.#last = kind === 'last';
  }

  ensure(slot: number): void {
    while (this.#values.length <= slot) this.#values.push(undefined);
  }

  fold(slot: number, value: unknown): void {
    if (this.#last || this.#values[slot] === undefined) this.#values[slot] = value;
  }

  set(slot: number, acc: unknown): void {
    this.#values[slot] = acc;
  }

  merge(slot: number, acc: unknown): void {
    if (this.#last ? acc !== undefined : this.#values[slot] === undefined) this.#values[slot] = acc;
  }

  entry(slot: number): unknown {
    return this.#values[slot];
  }

  result(slot: number): unknown {
    return this.#values[slot] ?? null;
  }

  column(n: number): Column {
    return valueColumn(n, (slot) => this.#values[slot]);
  }
}
