/**
 * Dates and timestamps as expressions see them: JS `Date`s, dates at UTC midnight, every field
 * read and written in UTC so that results never depend on the machine's time zone. Parsing of the
 * ISO forms (literals, `CAST`) and of `yyyyMMdd`-style patterns (`TO_DATE`, `TO_TIMESTAMP`).
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

const DATE_TEXT = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ].*)?)?)?$/s;
const TIMESTAMP_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch milliseconds of a valid UTC date-time, or `null` when a field is out of range (Feb 30). */
export function utcTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back.
  if (year < 100) date.setUTCFullYear(year);
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? date.getTime() : null;
}

/**
 * Epoch milliseconds of a date written `yyyy`, `yyyy-M`, `yyyy-M-d`, or `yyyy-M-d` followed by
 * `T` or a space and anything (Spark's `CAST(s AS DATE)`); `null` when malformed.
 */
export function parseDateText(text: string): number | null {
  const m = DATE_TEXT.exec(text.trim());
  if (!m) return null;
  return utcTime(Number(m[1]), m[2] === undefined ? 1 : Number(m[2]), m[3] === undefined ? 1 : Number(m[3]));
}

/**
 * Epoch milliseconds of a timestamp written `yyyy-M-d[(T| )H:mm[:ss[.fraction]]][Z|±hh[:mm]]`;
 * without a zone it is UTC. Fractions beyond milliseconds are truncated. `null` when malformed.
 */
export function parseTimestampText(text: string): number | null {
  const m = TIMESTAMP_TEXT.exec(text.trim());
  if (!m) return null;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const time = utcTime(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  if (time === null) return null;
  return time - zoneOffsetMs(m[8]);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return (zone.startsWith('-') ? -1 : 1) * minutes * 60_000;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `yyyy-MM-dd` of a date, in UTC. */
export function formatDate(date: Date): string {
  const year = date.getUTCFullYear();
  const y = year >= 0 && year < 10_000 ? String(year).padStart(4, '0') : String(year);
  return `${y}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
}

/** `yyyy-MM-dd HH:mm:ss` (plus `.SSS` when not zero) of a timestamp, in UTC, as Spark prints them. */
export function formatTimestamp(date: Date): string {
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
  return `${formatDate(date)} ${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}${fraction}`;
}

/** The UTC midnight at or before `time`. */
export function truncateToDay(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** The pattern letters `TO_DATE` and `TO_TIMESTAMP` understand, with the digits each reads. */
const PATTERN_FIELDS: Readonly<Record<string, { readonly field: number; readonly regex: (count: number) => string }>> = {
  y: { field: 0, regex: (n) => (n === 4 ? '(\\d{4})' : n === 2 ? '(\\d{2})' : '(\\d{1,4})') },
  M: { field: 1, regex: (n) => (n >= 2 ? '(\\d{2})' : '(\\d{1,2})') },
  d: { field: 2, regex: (n) => (n >= 2 ? '(\\d{2})' : '(\\d{1,2})') },
  H: { field: 3, regex: (n) => (n >= 2 ? '(\\d{2})' : '(\\d{1,2})') },
  m: { field: 4, regex: (n) => (n >= 2 ? '(\\d{2})' : '(\\d{1,2})') },
  s: { field: 5, regex: (n) => (n >= 2 ? '(\\d{2})' : '(\\d{1,2})') },
  S: { field: 6, regex: (n) => `(\\d{${n}})` },
};

/** A compiled date pattern: text → epoch milliseconds, or `null` when the text does not fit. */
export type DatePatternParser = (text: string) => number | null;

/**
 * Compiles a Java-style pattern such as `yyyyMMdd`, `dd.MM.yyyy HH:mm:ss` or `yyyy-MM-dd'T'HH:mm`.
 * Letters `y M d H m s S` are fields; text in single quotes and every non-letter is literal.
 * Throws an `Error` naming the first unsupported letter (the caller adds the position).
 */
export function compileDatePattern(pattern: string): DatePatternParser {
  const fields: number[] = [];
  let regex = '^';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] ?? '';
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = end === -1 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      regex += literal === '' ? "'" : escapeRegExp(literal);
      i = end === -1 ? pattern.length : end + 1;
      continue;
    }
    let count = 1;
    while (pattern[i + count] === c) count++;
    const spec = PATTERN_FIELDS[c];
    if (spec) {
      regex += spec.regex(count);
      fields.push(spec.field);
    } else if (/[A-Za-z]/.test(c)) {
      throw new Error(`unsupported letter \`${c}\` in date pattern ${JSON.stringify(pattern)}; use y, M, d, H, m, s, S and quote literal text in ''`);
    } else {
      regex += escapeRegExp(c.repeat(count));
    }
    i += count;
  }
  return datePatternParser(new RegExp(`${regex}$`), fields);
}

function datePatternParser(regex: RegExp, fields: readonly number[]): DatePatternParser {
  const values = [1970, 1, 1, 0, 0, 0, 0];
  return (text) => {
    const m = regex.exec(text);
    if (!m) return null;
    values.fill(0);
    values[0] = 1970;
    values[1] = 1;
    values[2] = 1;
    for (let k = 0; k < fields.length; k++) {
      const raw = m[k + 1] ?? '0';
      const field = fields[k] ?? 0;
      // Two-digit years are 2000–2099, fractions are read as milliseconds.
      values[field] = field === 0 && raw.length === 2 ? 2000 + Number(raw) : field === 6 ? Number(raw.slice(0, 3).padEnd(3, '0')) : Number(raw);
    }
    return utcTime(values[0] ?? 1970, values[1] ?? 1, values[2] ?? 1, values[3] ?? 0, values[4] ?? 0, values[5] ?? 0, values[6] ?? 0);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
