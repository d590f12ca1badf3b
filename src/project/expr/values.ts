/**
 * How expression values compare and print. Values are plain JS: numbers, strings, booleans, `Date`s
 * and `null`. Strings compare by Unicode code point (as Spark's UTF-8 bytes do, unlike JS `<`,
 * which compares UTF-16 units), dates and timestamps by time, `false` before `true`.
 */
import { formatDate, formatTimestamp } from './dates.js';
import { familyOf, type ExprType } from './types.js';

/** A three-way comparison of two non-null values of one family: negative, zero or positive. */
export type Comparator = (a: unknown, b: unknown) => number;

/** Compares strings by code point. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above U+FFFF: move them above U+E000–FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const compareNumbers: Comparator = (a, b) => {
  const x = a as number;
  const y = b as number;
  return x < y ? -1 : x > y ? 1 : 0;
};
const compareTimes: Comparator = (a, b) => (a as Date).getTime() - (b as Date).getTime();
const compareBooleans: Comparator = (a, b) => Number(a) - Number(b);
const compareStringValues: Comparator = (a, b) => compareStrings(a as string, b as string);

/** The comparator for values of `type` (a family: integer and double share one). */
export function comparatorFor(type: ExprType): Comparator {
  switch (familyOf(type)) {
    case 'number':
      return compareNumbers;
    case 'temporal':
      return compareTimes;
    case 'boolean':
      return compareBooleans;
    default:
      return compareStringValues;
  }
}

/** Equality of two non-null values of `type`: by time for dates, `===` otherwise. */
export function equalityFor(type: ExprType): (a: unknown, b: unknown) => boolean {
  return familyOf(type) === 'temporal' ? (a, b) => (a as Date).getTime() === (b as Date).getTime() : (a, b) => a === b;
}

/** A key under which equal values of `type` are the same `Set`/`Map` key (times for dates). */
export function keyFor(type: ExprType): (value: unknown) => unknown {
  return familyOf(type) === 'temporal' ? (value) => (value as Date).getTime() : (value) => value;
}

/**
 * A double as Spark prints it: `1.0`, `0.25`, `1.0E7`, `1.5E-4` (scientific below 10⁻³ and from 10⁷).
 */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(value);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(value) ? `${value}.0` : String(value);
  const [mantissa = '', exponent = ''] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** Prints non-null values of `type` as `CAST(x AS STRING)` does. */
export function stringifierFor(type: ExprType): (value: unknown) => string {
  switch (type) {
    case 'double':
      return (value) => formatDouble(value as number);
    case 'date':
      return (value) => formatDate(value as Date);
    case 'timestamp':
      return (value) => formatTimestamp(value as Date);
    default:
      return (value) => String(value);
  }
}
