// The weather example's results computed in plain TypeScript straight from the generated files —
// no weft, no shared code with the generator — to check what the project's job writes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';

/** One row of the aggregates relation. */
export interface CountryYear {
  country: string;
  min_wind_speed: number;
  max_wind_speed: number;
  avg_wind_speed: number;
  min_temperature: number;
  max_temperature: number;
  avg_temperature: number;
  stations: number;
  measurements: number;
}

const PASSED = new Set(['0', '1', '4', '5']);

/** The stations file as `usaf-wban` → country, with a tiny CSV reader (quotes, doubled quotes). */
export function stationCountries(dataDir: string): Map<string, string> {
  const lines = readFileSync(join(dataDir, 'stations', 'isd-history.csv'), 'utf8').split('\n').filter((l) => l !== '');
  const out = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const fields = csvFields(line);
    out.set(`${fields[0]}-${fields[1]}`, fields[3]!);
  }
  return out;
}

function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') field += line[++i];
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

/** Every raw line of one year. */
export function rawLines(dataDir: string, year: number): string[] {
  const dir = join(dataDir, 'raw', String(year));
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => line !== '');
}

/** Aggregates per country of one year: valid readings of known stations. */
export function expectedAggregates(dataDir: string, year: number): CountryYear[] {
  const countries = stationCountries(dataDir);
  const groups = new Map<string, { winds: number[]; temps: number[]; stations: Set<string> }>();
  for (const line of rawLines(dataDir, year)) {
    // 1-based ISD positions 5–10, 11–15, 66–69, 70, 88–92, 93 as 0-based slices.
    const station = `${line.slice(4, 10)}-${line.slice(10, 15)}`;
    const wind = line.slice(65, 69);
    const temp = line.slice(87, 92);
    if (!PASSED.has(line[69]!) || !PASSED.has(line[92]!) || wind === '9999' || temp === '+9999') continue;
    const country = countries.get(station);
    if (country === undefined) continue;
    let group = groups.get(country);
    if (!group) groups.set(country, (group = { winds: [], temps: [], stations: new Set() }));
    group.winds.push(Number(wind) / 10);
    group.temps.push(Number(temp) / 10);
    group.stations.add(station);
  }
  return [...groups.entries()]
    .map(([country, g]) => ({
      country,
      min_wind_speed: Math.min(...g.winds),
      max_wind_speed: Math.max(...g.winds),
      avg_wind_speed: g.winds.reduce((a, b) => a + b, 0) / g.winds.length,
      min_temperature: Math.min(...g.temps),
      max_temperature: Math.max(...g.temps),
      avg_temperature: g.temps.reduce((a, b) => a + b, 0) / g.temps.length,
      stations: g.stations.size,
      measurements: g.winds.length,
    }))
    .sort((a, b) => a.country.localeCompare(b.country));
}

/** The rows of every Parquet part file in `dir`, read with hyparquet (not weft). */
export async function readParquetDir(dir: string): Promise<Array<Record<string, unknown>>> {
  const files = readdirSync(dir).filter((name) => name.endsWith('.parquet')).sort();
  const parts = await Promise.all(files.map(async (name) => parquetReadObjects({ file: await asyncBufferFromFile(join(dir, name)) })));
  return parts.flat() as Array<Record<string, unknown>>;
}
