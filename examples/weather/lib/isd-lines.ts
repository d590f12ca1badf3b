/**
 * Hourly measurements as lines of NOAA's Integrated Surface Data (ISD) format: a fixed-width
 * "mandatory data section" of 105 characters, sometimes followed by a variable "additional data"
 * section (`ADD…`). A reader extracts fields by position (1-based, as SQL's SUBSTR counts):
 *
 * | positions | field | example |
 * |---|---|---|
 * | 1–4 | length of the variable section | `0042` |
 * | 5–10 | USAF station id | `010010` |
 * | 11–15 | WBAN station id | `99999` |
 * | 16–23 | date, `yyyyMMdd` | `20130517` |
 * | 24–27 | time, `HHmm` (UTC) | `1350` |
 * | 28 | data source flag | `4` |
 * | 29–34 | latitude × 1000 | `+70933` |
 * | 35–41 | longitude × 1000 | `-008667` |
 * | 42–46 | report type | `FM-12` |
 * | 47–51 | elevation (m) | `+0009` |
 * | 52–56 | call letters | `99999` |
 * | 57–60 | quality control process | `V020` |
 * | 61–63 | wind direction (degrees; `999` missing) | `320` |
 * | 64 | wind direction quality | `1` |
 * | 65 | wind observation type | `N` |
 * | 66–69 | wind speed (m/s × 10; `9999` missing) | `0057` |
 * | 70 | wind speed quality | `1` |
 * | 71–87 | ceiling and visibility | `22000119N0250001N9` |
 * | 88–92 | air temperature (°C × 10; `+9999` missing) | `-0032` |
 * | 93 | air temperature quality | `1` |
 * | 94–99 | dew point and its quality | `-00661` |
 * | 100–105 | sea level pressure and its quality | `101321` |
 *
 * Quality codes `0`, `1`, `4`, `5` mean the value passed quality control; `2`, `3`, `6`, `7`
 * mean suspect or erroneous; `9` means missing.
 */
import { Random } from './random.js';
import { pad, type Station } from './stations.js';

const REPORT_TYPES = ['FM-12', 'FM-15', 'FM-15', 'FM-16', 'SAO  ', 'SY-MT'];

/** A quality code: mostly passed (`1`, `5`), sometimes suspect or erroneous. */
function quality(rng: Random): string {
  const r = rng.next();
  return r < 0.82 ? '1' : r < 0.9 ? '5' : r < 0.93 ? '0' : r < 0.96 ? '2' : r < 0.98 ? '3' : '7';
}

/** Options of one year's measurements. */
export interface YearOptions {
  readonly seed: number;
  readonly year: number;
  /** Lines of the year (before a few from unknown stations are added). */
  readonly lines: number;
}

/** One measurement line per element, for the stations reporting in `year`, sorted by station and time. */
export function measurementLines(stations: readonly Station[], options: YearOptions): string[] {
  const rng = Random.derive(options.seed, 2, options.year);
  const active = stations.filter((s) => s.begin.slice(0, 4) <= String(options.year) && s.end.slice(0, 4) >= String(options.year));
  // A few readings come from stations missing from the stations file, as in the real data.
  const ghosts: Station[] = [0, 1].map((i) => ({ ...active[i]!, usaf: pad(690000 + options.year - 2000 + i * 50, 6), wban: '99999' }));
  const out: Array<{ key: string; line: string }> = [];
  const total = options.lines + Math.ceil(options.lines / 200);
  for (let i = 0; i < total; i++) {
    const station = i < options.lines ? rng.pick(active) : rng.pick(ghosts);
    const day = rng.int(0, daysIn(options.year) - 1);
    const when = new Date(Date.UTC(options.year, 0, 1 + day, rng.int(0, 23), rng.pick([0, 0, 20, 50])));
    // A station that stopped reporting during the year has no readings after its last day.
    if (i < options.lines && station.end < ymd(when)) continue;
    const line = isdLine(rng, station, when, day);
    out.push({ key: `${station.usaf}${station.wban}${line.slice(15, 27)}`, line });
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.map((o) => o.line);
}

/** One ISD line of `station` at `when` (day `day` of the year, for the season). */
function isdLine(rng: Random, station: Station, when: Date, day: number): string {
  const season = Math.cos(((day - 196) / 365) * 2 * Math.PI);
  const temperature = Math.round((station.temp + station.swing * season + rng.normal(0, 4)) * 10);
  const tempMissing = rng.chance(0.04);
  const speedMissing = rng.chance(0.04);
  const speed = Math.min(400, Math.round(Math.abs(rng.normal(4, 3)) * 10));
  const calm = speed === 0;
  const direction = speedMissing ? '999' : calm ? '000' : pad(rng.int(1, 36) * 10, 3);
  const variable = rng.chance(0.3) ? `ADDAA1${pad(rng.int(1, 24), 2)}${pad(rng.int(0, 200), 4)}9GF1${pad(rng.int(0, 8), 2)}99` : '';
  const fields = [
    pad(variable.length, 4),
    station.usaf,
    station.wban,
    ymd(when),
    `${pad(when.getUTCHours(), 2)}${pad(when.getUTCMinutes(), 2)}`,
    '4',
    scaled(station.latitude, 1000, 5),
    scaled(station.longitude, 1000, 6),
    rng.pick(REPORT_TYPES),
    scaled(station.elevation, 1, 4),
    '99999',
    'V020',
    direction,
    speedMissing ? '9' : quality(rng),
    speedMissing ? '9' : calm ? 'C' : 'N',
    speedMissing ? '9999' : pad(speed, 4),
    speedMissing ? '9' : quality(rng),
    '22000', '1', '9', 'N', '025000', '1', '9', '9',
    tempMissing ? '+9999' : `${temperature < 0 ? '-' : '+'}${pad(Math.abs(temperature), 4)}`,
    tempMissing ? '9' : quality(rng),
    `${temperature - 50 < 0 ? '-' : '+'}${pad(Math.abs(temperature - 50), 4)}`, '1',
    pad(rng.int(9800, 10400), 5), '1',
  ];
  return fields.join('') + variable;
}

/** `+051317`: a signed number × `factor`, zero-padded to `digits`; `+99999…` when unknown. */
function scaled(value: number | undefined, factor: number, digits: number): string {
  if (value === undefined) return `+${'9'.repeat(digits)}`;
  const n = Math.round(value * factor);
  return `${n < 0 ? '-' : '+'}${pad(Math.abs(n), digits)}`;
}

function ymd(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
}

function daysIn(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
}
