/**
 * Typed partition values. A partition value arrives as whatever a project file or a command line
 * holds (`2013`, `"2013"`, `"2013-01-01"`, `true`) and is turned once into the JavaScript value of
 * its column's type — a number, a string, a boolean, or a `Date` (UTC midnight for dates) — so
 * that filters compare like with like and folder names have one canonical spelling.
 */
import { ProjectError } from '../errors.js';
import type { DataType } from '../data-types.js';
import type { PartitionColumn } from './relation.js';

const INTEGER_TEXT = /^[+-]?\d+$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** What each type expects, for messages: `expected an integer for partition column year, …`. */
const EXPECTED: Record<DataType, string> = {
  string: 'a string',
  integer: 'an integer (-2147483648 to 2147483647)',
  long: 'an integer',
  double: 'a number',
  boolean: 'true or false',
  date: 'a date like 2013-01-01',
  timestamp: 'a timestamp like 2013-01-01T10:00:00Z',
};

/** A short quotation of a raw value: `"20x3"`, `2013`, `true`. */
function quote(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw);
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? 'an invalid Date' : raw.toISOString();
  if (raw === null || raw === undefined) return String(raw);
  if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
  return typeof raw === 'object' ? 'an object' : typeof raw;
}

/** The error for a value that does not fit its column. */
export function partitionValueError(column: PartitionColumn, raw: unknown): ProjectError {
  return new ProjectError(`expected ${EXPECTED[column.type]} for partition column ${column.name}, got ${quote(raw)}`, { code: 'WEFT_PARTITION_VALUE' });
}

/**
 * The typed value of `raw` for `column`: numbers for integer, long and double, strings, booleans,
 * and `Date` for date (UTC midnight) and timestamp. Typed values pass through unchanged.
 *
 * @throws {ProjectError} saying what the column expects and what arrived, e.g.
 *   `expected an integer … for partition column year, got "20x3"`.
 * @example
 * parsePartitionValue({ name: 'day', type: 'date' }, '2013-01-01') // → Date 2013-01-01T00:00:00Z
 */
export function parsePartitionValue(column: PartitionColumn, raw: unknown): unknown {
  const value = parseTyped(column.type, raw);
  if (value === undefined) throw partitionValueError(column, raw);
  return value;
}

/** {@link parsePartitionValue} without the error: `undefined` when `raw` does not fit `type`. */
export function parseTyped(type: DataType, raw: unknown): unknown {
  if (raw === null || raw === undefined) return undefined;
  switch (type) {
    case 'string':
      return typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
    case 'integer':
    case 'long': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && INTEGER_TEXT.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
      if (!Number.isSafeInteger(n)) return undefined;
      return type === 'integer' && (n < INT32_MIN || n > INT32_MAX) ? undefined : n === 0 ? 0 : n;
    }
    case 'double': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
      return undefined;
    case 'date':
      return parseDate(raw);
    case 'timestamp':
      return parseTimestamp(raw);
  }
}

function parseDate(raw: unknown): Date | undefined {
  if (raw instanceof Date) {
    const ms = raw.getTime();
    return Number.isNaN(ms) ? undefined : new Date(Date.UTC(raw.getUTCFullYear(), raw.getUTCMonth(), raw.getUTCDate()));
  }
  if (typeof raw !== 'string') return undefined;
  const m = DATE_TEXT.exec(raw.trim());
  if (!m) return undefined;
  return utcDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** A UTC midnight, or undefined when the day does not exist (2013-02-30). */
function utcDate(year: number, month: number, day: number): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

function parseTimestamp(raw: unknown): Date | undefined {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : new Date(raw.getTime());
  if (typeof raw !== 'string') return undefined;
  const m = TIMESTAMP_TEXT.exec(raw.trim());
  if (!m) return undefined;
  const day = utcDate(Number(m[1]), Number(m[2]), Number(m[3]));
  const [hours, minutes, seconds] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (day === undefined || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  return new Date(day.getTime() + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis - zoneOffsetMs(m[8]));
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
}

/**
 * The canonical text of a typed value: `2013`, `2013-01-01`, `2013-01-01T10:00:00Z` (milliseconds
 * only when not zero), `true`, the string itself. Folder names, resources and state keys use it.
 */
export function formatPartitionValue(type: DataType, value: unknown): string {
  switch (type) {
    case 'date':
      return (value as Date).toISOString().slice(0, 10);
    case 'timestamp': {
      const iso = (value as Date).toISOString();
      return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
    }
    default:
      return String(value);
  }
}

/** Orders two typed values of one type (numbers and dates by value, strings by code point, false < true). */
export function comparePartitionValues(a: unknown, b: unknown): number {
  const x = a instanceof Date ? a.getTime() : typeof a === 'boolean' ? Number(a) : a;
  const y = b instanceof Date ? b.getTime() : typeof b === 'boolean' ? Number(b) : b;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const s = String(x);
  const t = String(y);
  return s < t ? -1 : s > t ? 1 : 0;
}
