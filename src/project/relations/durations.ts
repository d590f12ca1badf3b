/**
 * ISO-8601 durations (`P1D`, `P1M`, `P1Y`, `P1W`, `PT1H`, `P1DT12H`) as the step of a date or
 * timestamp partition range, the way Flowman's `granularity` names them. Calendar parts (years,
 * months, days) move the UTC calendar; time parts add milliseconds.
 */
import { ProjectError } from '../errors.js';

/** A parsed ISO-8601 duration. */
export interface IsoDuration {
  readonly months: number;
  readonly days: number;
  readonly millis: number;
}

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Parses an ISO-8601 duration such as `P1D`, `P1M`, `PT6H`.
 * @throws {ProjectError} when `text` is not one, or is zero.
 */
export function parseDuration(text: string, what: string): IsoDuration {
  const m = DURATION.exec(text.trim());
  const n = (i: number): number => Number(m?.[i] ?? 0);
  const duration: IsoDuration | undefined = m
    ? { months: n(1) * 12 + n(2), days: n(3) * 7 + n(4), millis: Math.round(((n(5) * 60 + n(6)) * 60 + n(7)) * 1000) }
    : undefined;
  if (duration === undefined || (duration.months === 0 && duration.days === 0 && duration.millis === 0)) {
    throw new ProjectError(`expected an ISO-8601 duration greater than zero for ${what} (e.g. P1D, P1M, P1Y, PT1H), got ${JSON.stringify(text)}`, {
      code: 'WEFT_PARTITION_VALUE',
    });
  }
  return duration;
}

/**
 * `start` plus `times` × `duration`. Months are added to the calendar month with the day clamped to
 * the month's last day (2013-01-31 + P1M = 2013-02-28); counting from `start` each time keeps a
 * series from drifting (2013-01-31, 02-28, 03-31, …).
 */
export function addDuration(start: Date, duration: IsoDuration, times: number): Date {
  let time = start.getTime();
  if (duration.months !== 0) {
    const totalMonths = start.getUTCMonth() + duration.months * times;
    const year = start.getUTCFullYear() + Math.floor(totalMonths / 12);
    const month = ((totalMonths % 12) + 12) % 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const shifted = new Date(start.getTime());
    shifted.setUTCFullYear(year, month, Math.min(start.getUTCDate(), lastDay));
    time = shifted.getTime();
  }
  return new Date(time + (duration.days * 86_400_000 + duration.millis) * times);
}
