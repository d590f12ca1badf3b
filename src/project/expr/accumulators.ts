/**
 * The state of one aggregate call for one group, as PLAIN DATA — numbers, arrays and values — so a
 * partial state can cross the dataflow engine's exchange between tasks and workers (a class
 * instance would lose its prototype). Add values row by row, merge partial states from other
 * partitions (the earlier partition's state first), read the result. NULLs are skipped by every
 * aggregate except `FIRST`/`LAST` (which return the first/last value as it is) and `COUNT(*)`
 * (which counts rows). An aggregate over no values is NULL, a count 0.
 */
import type { DataType } from '../data-types.js';
import type { AggregateKind } from './aggregate-functions.js';
import { comparatorFor, keyFor, type Comparator } from './values.js';

/** A plain-data state (a number, an array, a value). */
export type AggregateState = unknown;

/** The operations of one aggregate over plain states. */
export interface Accumulator {
  /** The state before any value. */
  initial(): AggregateState;
  /** The state after one more row's argument value (`null` for NULL; any value for `COUNT(*)`). */
  add(state: AggregateState, value: unknown): AggregateState;
  /** The state of `a` followed by `b` (a partial state of later rows). */
  merge(a: AggregateState, b: AggregateState): AggregateState;
  /** The aggregate's value. */
  result(state: AggregateState): unknown;
}

/**
 * The operations of an aggregate of `kind` over values of `type` (the checked type of its
 * argument); `star` for `COUNT(*)`.
 * @example
 * ```ts
 * const sum = createAccumulator('sum', 'integer');
 * sum.result(sum.add(sum.add(sum.initial(), 1), 2)); // 3
 * ```
 */
export function createAccumulator(kind: AggregateKind, type: DataType, star = false): Accumulator {
  switch (kind) {
    case 'count':
      return count(star);
    case 'count_distinct':
      return countDistinct(keyFor(type));
    case 'sum':
      return sum(false);
    case 'avg':
      return sum(true);
    case 'min':
      return extreme(comparatorFor(type), 1);
    case 'max':
      return extreme(comparatorFor(type), -1);
    case 'first':
      return pick(true);
    case 'last':
      return pick(false);
  }
}

function count(star: boolean): Accumulator {
  return {
    initial: () => 0,
    add: (s, value) => (star || value !== null ? (s as number) + 1 : s),
    merge: (a, b) => (a as number) + (b as number),
    result: (s) => s,
  };
}

/** State: the distinct keys seen, as an array. */
function countDistinct(key: (value: unknown) => unknown): Accumulator {
  return {
    initial: () => [],
    add: (s, value) => {
      if (value === null) return s;
      const list = s as unknown[];
      const k = key(value);
      if (!list.includes(k)) list.push(k);
      return list;
    },
    merge: (a, b) => [...new Set([...(a as unknown[]), ...(b as unknown[])])],
    result: (s) => (s as unknown[]).length,
  };
}

/** State: `[sum, count]`. */
function sum(average: boolean): Accumulator {
  return {
    initial: () => [0, 0],
    add: (s, value) => {
      if (value === null) return s;
      const [total, n] = s as [number, number];
      return [total + (value as number), n + 1];
    },
    merge: (a, b) => {
      const [t1, n1] = a as [number, number];
      const [t2, n2] = b as [number, number];
      return [t1 + t2, n1 + n2];
    },
    result: (s) => {
      const [total, n] = s as [number, number];
      return n === 0 ? null : average ? total / n : total;
    },
  };
}

/** State: the best value so far, or null. */
function extreme(compare: Comparator, sign: 1 | -1): Accumulator {
  const add = (s: AggregateState, value: unknown): AggregateState => (value !== null && (s === null || sign * compare(value, s) < 0) ? value : s);
  return { initial: () => null, add, merge: add, result: (s) => s };
}

/** State: `[seen, value]`. */
function pick(first: boolean): Accumulator {
  return {
    initial: () => [false, null],
    add: (s, value) => (first && (s as [boolean, unknown])[0] ? s : [true, value]),
    merge: (a, b) => {
      const [seenA] = a as [boolean, unknown];
      const [seenB] = b as [boolean, unknown];
      if (!seenB) return a;
      return first && seenA ? a : b;
    },
    result: (s) => (s as [boolean, unknown])[1],
  };
}
