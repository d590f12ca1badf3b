/**
 * The running state of one aggregate call for one group: add values row by row, merge partial
 * states from other partitions, read the result. NULLs are skipped by every aggregate except
 * `FIRST`/`LAST` (which return the first/last value as it is) and `COUNT(*)` (which counts rows).
 * An aggregate over no values is NULL, a count 0.
 */
import type { DataType } from '../data-types.js';
import type { AggregateKind } from './aggregate-functions.js';
import { comparatorFor, keyFor, type Comparator } from './values.js';

/** The state of one aggregate for one group. */
export interface Accumulator {
  /** Adds one row's argument value (`null` for NULL; any value for `COUNT(*)`). */
  add(value: unknown): void;
  /** Adds the state of `other`, an accumulator of the same kind that saw later rows. */
  merge(other: Accumulator): void;
  /** The aggregate's value so far. */
  result(): unknown;
}

/**
 * A fresh accumulator for an aggregate of `kind` over values of `type` (the checked type of its
 * argument); `star` for `COUNT(*)`.
 * @example
 * const sum = createAccumulator('sum', 'integer');
 * for (const v of [1, null, 2]) sum.add(v);
 * sum.result(); // 3
 */
export function createAccumulator(kind: AggregateKind, type: DataType, star = false): Accumulator {
  switch (kind) {
    case 'count':
      return new Count(star);
    case 'count_distinct':
      return new CountDistinct(keyFor(type));
    case 'sum':
      return new Sum(false);
    case 'avg':
      return new Sum(true);
    case 'min':
      return new Extreme(comparatorFor(type), 1);
    case 'max':
      return new Extreme(comparatorFor(type), -1);
    case 'first':
      return new Pick(true);
    case 'last':
      return new Pick(false);
  }
}

class Count implements Accumulator {
  readonly #star: boolean;
  #count = 0;
  constructor(star: boolean) {
    this.#star = star;
  }
  add(value: unknown): void {
    if (this.#star || value !== null) this.#count++;
  }
  merge(other: Accumulator): void {
    this.#count += (other as Count).#count;
  }
  result(): unknown {
    return this.#count;
  }
}

class CountDistinct implements Accumulator {
  readonly #key: (value: unknown) => unknown;
  readonly #seen = new Set<unknown>();
  constructor(key: (value: unknown) => unknown) {
    this.#key = key;
  }
  add(value: unknown): void {
    if (value !== null) this.#seen.add(this.#key(value));
  }
  merge(other: Accumulator): void {
    for (const key of (other as CountDistinct).#seen) this.#seen.add(key);
  }
  result(): unknown {
    return this.#seen.size;
  }
}

class Sum implements Accumulator {
  readonly #average: boolean;
  #sum = 0;
  #count = 0;
  constructor(average: boolean) {
    this.#average = average;
  }
  add(value: unknown): void {
    if (value === null) return;
    this.#sum += value as number;
    this.#count++;
  }
  merge(other: Accumulator): void {
    this.#sum += (other as Sum).#sum;
    this.#count += (other as Sum).#count;
  }
  result(): unknown {
    if (this.#count === 0) return null;
    return this.#average ? this.#sum / this.#count : this.#sum;
  }
}

class Extreme implements Accumulator {
  readonly #compare: Comparator;
  readonly #sign: 1 | -1;
  #best: unknown = null;
  constructor(compare: Comparator, sign: 1 | -1) {
    this.#compare = compare;
    this.#sign = sign;
  }
  add(value: unknown): void {
    if (value !== null && (this.#best === null || this.#sign * this.#compare(value, this.#best) < 0)) this.#best = value;
  }
  merge(other: Accumulator): void {
    this.add((other as Extreme).#best);
  }
  result(): unknown {
    return this.#best;
  }
}

class Pick implements Accumulator {
  readonly #first: boolean;
  #seen = false;
  #value: unknown = null;
  constructor(first: boolean) {
    this.#first = first;
  }
  add(value: unknown): void {
    if (this.#first && this.#seen) return;
    this.#seen = true;
    this.#value = value;
  }
  merge(other: Accumulator): void {
    const picked = other as Pick;
    if (picked.#seen) this.add(picked.#value);
  }
  result(): unknown {
    return this.#value;
  }
}
