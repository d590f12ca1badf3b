// A small file-based project for the CLI tests: raw CSV partitions per year, a station list, a
// function mapping that can be slowed down (to observe -j and kill runs), two targets where one
// reads what the other writes, and a validate target.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const root = join(import.meta.dirname, '../../..');
const bin = join(root, 'bin/weft.js');

export const YEARS = [2011, 2012, 2013, 2014];

/** Writes the project into a fresh directory and returns it. */
export function makeProject(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-cli-project-'));
  const files: Record<string, string> = {
    'project.yml': `name: cli_demo
version: "1.0"
modules: [model.yml, jobs.yml]
config:
  - weft.execution.executor.class=parallel
  - weft.execution.backend=async
environment:
  - delayMs=0
`,
    'model.yml': `relations:
  raw:
    kind: file
    format: csv
    location: data/raw
    partitions: [{ name: year, type: integer }]
  stations:
    kind: file
    format: csv
    location: data/stations.csv
  measurements:
    kind: file
    format: parquet
    location: out/measurements
    partitions: [{ name: year, type: integer }]
  summary:
    kind: file
    format: json
    location: out/summary
    partitions: [{ name: year, type: integer }]
mappings:
  raw:
    kind: read
    relation: raw
    partitions: { year: $year }
  slow:
    kind: function
    module: slow.mts
    inputs: [raw]
    options: { delayMs: $delayMs }
  measurements:
    kind: read
    relation: measurements
    partitions: { year: $year }
  stations:
    kind: read
    relation: stations
  joined:
    kind: join
    inputs: [measurements, stations]
    columns: station
  summary:
    kind: aggregate
    input: joined
    dimensions: [country]
    aggregations:
      n: COUNT(*)
      total: SUM(value)
targets:
  measurements:
    kind: relation
    mapping: slow
    relation: measurements
    partition: { year: $year }
  summary:
    kind: relation
    mapping: summary
    relation: summary
    partition: { year: $year }
  check_stations:
    kind: validate
    mapping: stations
    assertions:
      - { kind: rows, min: 1 }
      - { kind: unique, columns: station }
`,
    'jobs.yml': `jobs:
  main:
    description: measurements and summaries per year
    parameters:
      - { name: year, type: integer, default: 2011, description: the year to process }
    targets: [summary, measurements, check_stations]
`,
    'slow.mts': `// Passes its input through, after waiting options.delayMs (to make a run slow enough to observe).
export default async function slow(inputs, { options }) {
  if (Number(options.delayMs) < 0) throw new Error('delayMs must not be negative');
  await new Promise((resolve) => setTimeout(resolve, Number(options.delayMs)));
  return inputs.raw;
}
`,
    'data/stations.csv': 'station,country\ns1,DE\ns2,DE\ns3,FR\n',
    ...Object.fromEntries(YEARS.map((y) => [`data/raw/year=${y}/part-0.csv`, `station,value\ns1,${y - 2000}\ns2,1\ns3,2\ns1,3\n`])),
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs `weft …` to completion. */
export function weft(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `weft …` in the background. */
export function weftAsync(cwd: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
}
