/**
 * ISO-8601 durations (`P1D`, `PT6H`, `P1M`, `P1Y2M3DT4H5M6.5S`, `P2W`) for job parameters of type
 * `duration`, for the steps of date and timestamp ranges of job arguments, and for the granularity of
 * partition ranges. Calendar parts (years, months, days, weeks) are added in UTC calendar
 * arithmetic, so `P1M` from 31 January gives the last day of February; a series counts each step
 * from its start, so it does not drift (01-31, 02-29, 03-31, …).
 */

/** A parsed ISO-8601 duration. */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  /** Hours, minutes and seconds, in milliseconds. */
  readonly ms: number;
  /** The canonical text. */
  readonly text: string;
}

const PATTERN = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses `text`, or returns undefined when it is not an ISO-8601 duration with at least one part. */
export function parseDuration(text: string): Duration | undefined {
  const trimmed = text.trim().toUpperCase();
  const m = PATTERN.exec(trimmed);
  if (!m || trimmed === 'P' || trimmed.endsWith('T')) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  const duration = { years: n(1), months: n(2), days: n(3) * 7 + n(4), ms: ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000, text: trimmed };
  return duration.years + duration.months + duration.days + duration.ms > 0 ? duration : undefined;
}

/** `date` plus `times` × `duration` (UTC calendar arithmetic; a day-of-month past the month's end is clamped). */
export function addDuration(date: Date, duration: Duration, times = 1): Date {
  const y = date.getUTCFullYear() + duration.years * times;
  const monthIndex = date.getUTCMonth() + duration.months * times;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  const base = Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
  return new Date(base + (duration.days * 86_400_000 + duration.ms) * times);
}
