/**
 * Writes the raw data of the weather example — no network, the same bytes for the same options:
 *
 *   <dir>/stations/isd-history.csv     ~300 stations in 25 countries (NOAA's isd-history columns)
 *   <dir>/raw/2011/isd-2011-00.txt     hourly measurements in NOAA's fixed-width ISD format,
 *   <dir>/raw/2011/isd-2011-01.txt     several files per year, grouped by station
 *   …
 *
 *   node --import tsx examples/weather/generate.ts                      # scale 1 into examples/weather/data
 *   node --import tsx examples/weather/generate.ts --scale 20 --out examples/weather/data/big
 *   node --import tsx examples/weather/generate.ts --years 2011-2015 --broken-stations
 *
 * Scale 1 is ~3,000 lines (~330 KB) per year; `--scale N` (or `WEFT_WEATHER_SCALE=N`) writes N
 * times as many lines in more files. A run whose data is already there (same scale, years, seed and
 * stations) does nothing; otherwise the folders are built aside and swapped in, so a reader never
 * sees half a year.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measurementLines } from './lib/isd-lines.js';
import { brokenStationRows, makeStations, stationsCsv } from './lib/stations.js';

/** What to generate. */
export interface WeatherOptions {
  /** Lines per year are 3,000 × scale. @default 1, or `WEFT_WEATHER_SCALE` */
  readonly scale?: number;
  /** The years, first and last included. @default [2011, 2015] */
  readonly years?: readonly [number, number];
  /** @default 2013 */
  readonly seed?: number;
  /** Adds rows the `validate_stations_raw` target rejects (duplicate key, bad country, …). @default false */
  readonly brokenStations?: boolean;
  /** Writes even when the data is already there. @default false */
  readonly force?: boolean;
}

/** What a call did. */
export interface WeatherData {
  readonly dir: string;
  /** False when the data was already there. */
  readonly generated: boolean;
  readonly stations: number;
  readonly years: readonly number[];
  readonly files: number;
  /** Measurement lines over all years. */
  readonly lines: number;
  readonly bytes: number;
}

const MARKER = '.weather.json';
const LINES_PER_YEAR = 3000;

/** Generates the weather data into `dir` unless it is there already. */
export async function generateWeather(dir: string, options: WeatherOptions = {}): Promise<WeatherData> {
  const settings = {
    format: 1,
    scale: options.scale ?? scaleFromEnv(),
    years: options.years ?? ([2011, 2015] as const),
    seed: options.seed ?? 2013,
    brokenStations: options.brokenStations ?? false,
  };
  if (!Number.isInteger(settings.scale) || settings.scale < 1) throw new Error(`expected the scale to be a whole number from 1 up, got ${settings.scale}`);
  const [first, last] = settings.years;
  if (!Number.isInteger(first) || !Number.isInteger(last) || first > last) throw new Error(`expected years as first-last with first <= last, got ${first}-${last}`);
  const root = resolve(dir);
  const marker = join(root, MARKER);
  const existing = await readFile(marker, 'utf8').catch(() => undefined);
  if (!options.force && existing !== undefined) {
    const found = JSON.parse(existing) as typeof settings & { summary: Omit<WeatherData, 'dir' | 'generated'> };
    const { summary, ...rest } = found;
    if (JSON.stringify(rest) === JSON.stringify(settings)) return { dir: root, generated: false, ...summary };
  }
  const staging = join(root, `.staging-${process.pid}-${Date.now()}`);
  const summary = await writeAll(staging, settings);
  await rm(marker, { force: true });
  for (const part of ['stations', 'raw']) await swapIn(join(staging, part), join(root, part));
  await rm(staging, { recursive: true, force: true });
  await writeAtomically(marker, `${JSON.stringify({ ...settings, summary }, null, 2)}\n`);
  return { dir: root, generated: true, ...summary };
}

async function writeAll(staging: string, s: { scale: number; years: readonly [number, number]; seed: number; brokenStations: boolean }): Promise<Omit<WeatherData, 'dir' | 'generated'>> {
  const stations = makeStations(s.seed);
  const csv = stationsCsv(stations, s.brokenStations ? brokenStationRows(stations) : []);
  await mkdir(join(staging, 'stations'), { recursive: true });
  await writeFile(join(staging, 'stations', 'isd-history.csv'), csv);
  const filesPerYear = Math.min(64, 3 + s.scale);
  const years: number[] = [];
  let files = 0;
  let lines = 0;
  let bytes = Buffer.byteLength(csv);
  for (let year = s.years[0]; year <= s.years[1]; year++) {
    years.push(year);
    const all = measurementLines(stations, { seed: s.seed, year, lines: LINES_PER_YEAR * s.scale });
    const parts: string[][] = Array.from({ length: filesPerYear }, () => []);
    // A station's lines stay together in one file, as NOAA ships one file per station and year.
    for (const line of all) parts[hash(line.slice(4, 15)) % filesPerYear]!.push(line);
    const folder = join(staging, 'raw', String(year));
    await mkdir(folder, { recursive: true });
    for (const [i, part] of parts.entries()) {
      if (part.length === 0) continue;
      const text = `${part.join('\n')}\n`;
      await writeFile(join(folder, `isd-${year}-${String(i).padStart(2, '0')}.txt`), text);
      files += 1;
      bytes += Buffer.byteLength(text);
    }
    lines += all.length;
  }
  return { stations: stations.length, years, files, lines, bytes };
}

/** Replaces `to` by the folder `from` with renames (the old folder is removed after). */
async function swapIn(from: string, to: string): Promise<void> {
  const old = `${to}.old-${process.pid}-${Date.now()}`;
  const moved = await rename(to, old).then(
    () => true,
    () => false,
  );
  await rename(from, to);
  if (moved) await rm(old, { recursive: true, force: true });
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function scaleFromEnv(): number {
  const text = process.env.WEFT_WEATHER_SCALE;
  return text === undefined || text === '' ? 1 : Number(text);
}

/** `--scale N --years A-B --out DIR --seed N --broken-stations --force` */
function parseArgs(argv: readonly string[]): { dir: string; options: WeatherOptions } {
  let dir = join(import.meta.dirname, 'data');
  const options: { -readonly [K in keyof WeatherOptions]: WeatherOptions[K] } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--scale') options.scale = Number(value());
    else if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--out') dir = resolve(value());
    else if (arg === '--broken-stations') options.brokenStations = true;
    else if (arg === '--force') options.force = true;
    else if (arg === '--years') {
      const m = /^(\d{4})(?:-(\d{4}))?$/.exec(value());
      if (!m) throw new Error(`expected --years YYYY or YYYY-YYYY (both included), got ${argv[i]}`);
      options.years = [Number(m[1]), Number(m[2] ?? m[1])];
    } else throw new Error(`unknown option ${arg}; options: --scale N, --years YYYY-YYYY, --out DIR, --seed N, --broken-stations, --force`);
  }
  return { dir, options };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const { dir, options } = parseArgs(process.argv.slice(2));
    const started = Date.now();
    const data = await generateWeather(dir, options);
    const what = `${data.stations} stations, ${data.lines} measurement lines in ${data.files} files for ${data.years[0]}–${data.years.at(-1)} (${(data.bytes / 1e6).toFixed(1)} MB)`;
    console.log(data.generated ? `wrote ${what} to ${data.dir} in ${Date.now() - started} ms` : `${data.dir} already holds ${what}; nothing to do (--force rewrites it)`);
  } catch (error) {
    console.error(`generate: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
