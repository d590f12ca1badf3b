/**
 * Conforming values to a declared type, the way Flowman conforms a mapping's output to a relation's
 * schema (and Spark casts): values that can be read as the type are converted (`"42"` → 42 for an
 * integer, `"2013-01-01"` → a `Date` for a date), values that cannot become `null`. Used when rows
 * are written to a relation with a declared schema and when a declared schema is applied to what a
 * read returns.
 */
import type { DataType } from '../data-types.js';
import { parseTyped } from './partition-values.js';

/** `value` as `type`: a number, string, boolean or `Date`; `null` when it cannot be read as one. */
export function conformValue(type: DataType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      if (value instanceof Date) return value.toISOString();
      return scalarText(value);
    case 'integer':
    case 'long':
      return toInteger(type, value);
    case 'double': {
      const n = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      return Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      return typeof value === 'number' ? value !== 0 : (parseTyped('boolean', value) ?? null);
    case 'date':
    case 'timestamp':
      return toTime(type, value);
  }
}

function toInteger(type: DataType, value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) return null;
  const whole = Math.trunc(n);
  if (type === 'integer' && (whole < -(2 ** 31) || whole > 2 ** 31 - 1)) return null;
  return Number.isSafeInteger(whole) ? whole : null;
}

function toTime(type: 'date' | 'timestamp', value: unknown): Date | null {
  let time: Date | undefined;
  if (value instanceof Date) time = Number.isNaN(value.getTime()) ? undefined : value;
  else if (typeof value === 'number' && Number.isFinite(value)) time = new Date(value);
  else if (typeof value === 'string') time = parseTyped('timestamp', value) as Date | undefined;
  if (time === undefined) return null;
  return type === 'date' ? new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate())) : time;
}

/** A value as text: strings as they are, numbers and booleans by `String`, anything else as JSON. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}
