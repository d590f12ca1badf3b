/**
 * `CAST(x AS type)`: which conversions exist and what they do. Like Spark without ANSI mode, a
 * value that does not convert (a malformed string, a number out of range) gives NULL rather than
 * failing the job; unlike Spark, out-of-range numbers give NULL instead of wrapping around.
 */
import type { DataType } from '../data-types.js';
import { parseDateText, parseTimestampText, truncateToDay } from './dates.js';
import { isNumberType, isTemporalType, type ExprType } from './types.js';
import { stringifierFor } from './values.js';

/** Converts a non-null value; returns `null` when it does not convert. */
export type Conversion = (value: unknown) => unknown;

const INTEGER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DOUBLE_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_DOUBLE: Readonly<Record<string, number>> = { nan: NaN, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };
const TRUE_TEXT = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE_TEXT = new Set(['f', 'false', 'n', 'no', '0']);
/** Integers lie in [-limit, limit). */
const INT_LIMIT = 2 ** 31;
const LONG_LIMIT = 2 ** 63;

/** True when `CAST` from `from` to `to` exists (dates do not convert to numbers or booleans). */
export function canCast(from: ExprType, to: DataType): boolean {
  if (from === to || from === 'null' || from === 'string' || to === 'string') return true;
  if (isTemporalType(from) && isTemporalType(to)) return true;
  // Timestamps and numbers convert through epoch seconds, as in Spark; dates do not.
  if (from === 'timestamp') return isNumberType(to);
  if (to === 'timestamp') return isNumberType(from);
  if (from === 'date' || to === 'date') return false;
  return true;
}

/** The conversion from `from` to `to` (which {@link canCast} allows). */
export function conversion(from: ExprType, to: DataType): Conversion {
  if (from === to || from === 'null') return (value) => value;
  switch (to) {
    case 'string':
      return stringifierFor(from);
    case 'integer':
    case 'long':
      return toIntegral(from, to === 'integer' ? INT_LIMIT : LONG_LIMIT);
    case 'double':
      return toDouble(from);
    case 'boolean':
      return from === 'string' ? (value) => stringToBoolean(value as string) : (value) => value !== 0;
    case 'date':
      return from === 'string' ? nullableDate(parseDateText) : (value) => new Date(truncateToDay((value as Date).getTime()));
    case 'timestamp':
      if (from === 'string') return nullableDate(parseTimestampText);
      if (from === 'date') return (value) => value;
      return (value) => secondsToTimestamp(from === 'boolean' ? Number(value) : (value as number));
  }
}

function toIntegral(from: ExprType, limit: number): Conversion {
  const inRange = (n: number): number | null => {
    if (Number.isNaN(n)) return null;
    const t = Math.trunc(n) || 0;
    return t >= -limit && t < limit ? t : null;
  };
  switch (from) {
    case 'string':
      return (value) => {
        const text = (value as string).trim();
        return INTEGER_TEXT.test(text) ? inRange(Number(text)) : null;
      };
    case 'boolean':
      return (value) => (value === true ? 1 : 0);
    case 'timestamp':
      return (value) => inRange(Math.floor((value as Date).getTime() / 1000));
    default:
      return (value) => inRange(value as number);
  }
}

function toDouble(from: ExprType): Conversion {
  switch (from) {
    case 'string':
      return (value) => stringToDouble(value as string);
    case 'boolean':
      return (value) => (value === true ? 1 : 0);
    case 'timestamp':
      return (value) => (value as Date).getTime() / 1000;
    default:
      return (value) => value;
  }
}

function stringToDouble(value: string): number | null {
  const text = value.trim();
  if (DOUBLE_TEXT.test(text)) return Number(text);
  return SPECIAL_DOUBLE[text.toLowerCase()] ?? null;
}

function stringToBoolean(value: string): boolean | null {
  const text = value.trim().toLowerCase();
  return TRUE_TEXT.has(text) ? true : FALSE_TEXT.has(text) ? false : null;
}

function nullableDate(parse: (text: string) => number | null): Conversion {
  return (value) => {
    const time = parse(value as string);
    return time === null ? null : new Date(time);
  };
}

function secondsToTimestamp(seconds: number): Date | null {
  const ms = seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(Math.floor(ms)) : null;
}
