/**
 * Typed values straight from bytes: numbers, booleans and ISO-8601 timestamps parsed without
 * creating a string (strings are interned by their bytes in `byte-interner.ts`).
 *
 * Numbers take the exact fast path (Clinger): up to 15 significant digits and no exponent give a
 * mantissa below 2^53 divided once by an exact power of ten, which is correctly rounded; anything
 * else falls back to `Number(text)`, so results always equal `Number()`'s.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Parses a decimal number (`-12`, `3.25`, `.5`, `1e-3`) from `buf[start, end)`; NaN when it is not one. */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = buf[i];
  if (first === 45 || first === 43) {
    negative = first === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
  }
  if (i < end && buf[i] === 46) {
    for (i++; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      digits++;
      fraction++;
    }
  }
  if (digits === 0) return NaN;
  if (i < end) {
    const c = buf[i];
    if (c !== 101 && c !== 69) return NaN;
    return slowNumber(buf, start, end);
  }
  if (digits > 15) return slowNumber(buf, start, end);
  const value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
  return negative ? -value : value;
}

function slowNumber(buf: Uint8Array, start: number, end: number): number {
  const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

/** Parses `true` / `false` (any letter case) from bytes: 1, 0, or -1 when it is neither. */
export function parseBoolBytes(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 4 && (buf[start]! | 32) === 116 && (buf[start + 1]! | 32) === 114 && (buf[start + 2]! | 32) === 117 && (buf[start + 3]! | 32) === 101) return 1;
  if (n === 5 && (buf[start]! | 32) === 102 && (buf[start + 1]! | 32) === 97 && (buf[start + 2]! | 32) === 108 && (buf[start + 3]! | 32) === 115 && (buf[start + 4]! | 32) === 101) return 0;
  return -1;
}

function digitsAt(buf: Uint8Array, i: number, count: number, end: number): number {
  if (i + count > end) return -1;
  const a = buf[i]! - 48;
  const b = buf[i + 1]! - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  if (count === 2) return a * 10 + b;
  const c = buf[i + 2]! - 48;
  const d = buf[i + 3]! - 48;
  if (c < 0 || c > 9 || d < 0 || d > 9) return -1;
  return a * 1000 + b * 100 + c * 10 + d;
}

/**
 * Parses an ISO-8601 date or date-time from bytes to epoch milliseconds: `YYYY-MM-DD`, then
 * optionally `T` or a space, `HH:MM[:SS[.fff]]`, and `Z` or `±HH[:MM]`. A time without a zone is
 * UTC (never the machine's local zone, so results do not depend on where a task runs). NaN when invalid.
 */
export function parseIsoBytes(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 10 || buf[start + 4] !== 45 || buf[start + 7] !== 45) return NaN;
  const days = daysOfDate(buf, start, end);
  if (Number.isNaN(days)) return NaN;
  let i = start + 10;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  if (i < end && (buf[i] === 84 || buf[i] === 32)) {
    hour = digitsAt(buf, i + 1, 2, end);
    minute = buf[i + 3] === 58 ? digitsAt(buf, i + 4, 2, end) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
    i += 6;
    if (i < end && buf[i] === 58) {
      second = digitsAt(buf, i + 1, 2, end);
      if (second < 0 || second > 59) return NaN;
      i += 3;
      if (i < end && (buf[i] === 46 || buf[i] === 44)) {
        let scale = 100;
        for (i++; i < end; i++) {
          const d = buf[i]! - 48;
          if (d < 0 || d > 9) break;
          ms += d * scale;
          scale /= 10;
        }
        ms = Math.floor(ms);
      }
    }
  }
  let offset = 0;
  if (i < end) {
    const c = buf[i];
    if (c === 90 || c === 122) i++;
    else if (c === 43 || c === 45) {
      const oh = digitsAt(buf, i + 1, 2, end);
      if (oh < 0) return NaN;
      i += 3;
      let om = 0;
      if (i < end && buf[i] === 58) i++;
      if (i < end) {
        om = digitsAt(buf, i, 2, end);
        if (om < 0) return NaN;
        i += 2;
      }
      offset = (c === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
    }
  }
  if (i !== end) return NaN;
  return (days * 86_400 + hour * 3600 + minute * 60 + second) * 1000 + ms - offset;
}

/**
 * {@link parseIsoBytes} of the 19 bytes at `buf[start]` into `out[row]`, when they are exactly a
 * date-time without fraction or zone (`YYYY-MM-DDTHH:MM:SS`, or a space for the `T`), the most
 * common form; false (and `out` untouched) for anything else, valid or not (the caller then finds
 * the field's end and calls parseIsoBytes). The value goes straight into the column: returned from
 * a call the hot loop does not inline, a millisecond timestamp (no small integer) would be boxed
 * into a new heap number on every row.
 */
export function parseIsoDateTime19Into(buf: Uint8Array, start: number, out: Float64Array, row: number): boolean {
  const sep = buf[start + 10];
  if (buf[start + 4] !== 45 || buf[start + 7] !== 45 || (sep !== 84 && sep !== 32) || buf[start + 13] !== 58 || buf[start + 16] !== 58) return false;
  const end = start + 19;
  const days = daysOfDate(buf, start, end);
  const hour = digitsAt(buf, start + 11, 2, end);
  const minute = digitsAt(buf, start + 14, 2, end);
  const second = digitsAt(buf, start + 17, 2, end);
  if (Number.isNaN(days) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  out[row] = (days * 86_400 + hour * 3600 + minute * 60 + second) * 1000;
  return true;
}

/** The last valid `YYYY-MM-DD` parsed and its day number: timestamps in a file are mostly clustered, so most rows repeat it. */
const lastDate = new Uint8Array(10);
let lastDays = Number.NaN;

/** Days since 1970-01-01 of the `YYYY-MM-DD` at `buf[start]` (dashes already checked), NaN when invalid. */
function daysOfDate(buf: Uint8Array, start: number, end: number): number {
  if (!Number.isNaN(lastDays)) {
    let k = 0;
    while (k < 10 && buf[start + k] === lastDate[k]) k++;
    if (k === 10) return lastDays;
  }
  const year = digitsAt(buf, start, 4, end);
  const month = digitsAt(buf, start + 5, 2, end);
  const day = digitsAt(buf, start + 8, 2, end);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  for (let k = 0; k < 10; k++) lastDate[k] = buf[start + k]!;
  lastDays = daysFromCivil(year, month, day);
  return lastDays;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** {@link parseIsoBytes} for a string (schema inference, NDJSON). */
export function parseIsoText(text: string): number {
  const bytes = Buffer.from(text, 'latin1');
  return parseIsoBytes(bytes, 0, bytes.length);
}
