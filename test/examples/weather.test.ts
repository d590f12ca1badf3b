// The weather example project (examples/weather) end to end: generated data in a temporary folder
// (given to the project with -D datadir=… outdir=…), the `main` job over a range of years with two
// instances at once and the parallel target executor, checked against plain TypeScript.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWeather } from '../../examples/weather/generate.js';
import { builtinKinds } from '../../src/project/builtin-kinds.js';
import { executeJob } from '../../src/project/execution/execute-job.js';
import type { JobRun } from '../../src/project/execution/run-job.js';
import { ProjectSession } from '../../src/project/session.js';
import { expectedAggregates, readParquetDir, type CountryYear } from './weather-reference.js';

const project = join(import.meta.dirname, '../../examples/weather');
const tmp = mkdtempSync(join(tmpdir(), 'weft-weather-'));
const data = join(tmp, 'data');
const broken = join(tmp, 'broken');
const args = ['year:start=2011', 'year:end=2015'];

beforeAll(async () => {
  await generateWeather(data, { scale: 1, years: [2011, 2015] });
  await generateWeather(broken, { scale: 1, years: [2011, 2011], brokenStations: true });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function open(options: { backend: 'async' | 'thread'; dataDir: string; outDir: string; profiles?: string[] }): Promise<ProjectSession> {
  return ProjectSession.open({
    path: project,
    kinds: builtinKinds(),
    defines: [`datadir=${options.dataDir}`, `outdir=${options.outDir}`],
    conf: [`weft.execution.backend=${options.backend}`, 'weft.parallelism.default=2'],
    ...(options.profiles ? { profiles: options.profiles } : {}),
    print: () => undefined,
  });
}

/** `phase:target=status` of every instance, by instance key. */
function statuses(run: JobRun, phase: string): Record<string, string[]> {
  return Object.fromEntries(run.instances.map((i) => [i.key, (i.phases.find((p) => p.phase === phase)?.targets ?? []).map((t) => `${t.target}=${t.status}`).sort()]));
}

async function checkAggregates(outDir: string, years: readonly number[]): Promise<void> {
  for (const year of years) {
    const rows = (await readParquetDir(join(outDir, 'aggregates', `year=${year}`))) as unknown as CountryYear[];
    const actual = rows.map((r) => ({ ...r, stations: Number(r.stations), measurements: Number(r.measurements) })).sort((a, b) => a.country.localeCompare(b.country));
    const expected = expectedAggregates(data, year);
    expect(actual.map((r) => r.country)).toEqual(expected.map((r) => r.country));
    expect(expected.length).toBeGreaterThanOrEqual(20);
    for (const [i, want] of expected.entries()) {
      const got = actual[i]!;
      expect({ ...got, avg_wind_speed: 0, avg_temperature: 0 }, `${year} ${want.country}`).toEqual({ ...want, avg_wind_speed: 0, avg_temperature: 0 });
      // The project rounds the means to two decimals.
      expect(Math.abs(got.avg_wind_speed - want.avg_wind_speed)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(got.avg_temperature - want.avg_temperature)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.round(got.avg_temperature * 100) / 100).toBe(got.avg_temperature);
    }
  }
}

describe('examples/weather: job main over 2011–2014, two instances at once', () => {
  const out = join(tmp, 'out-async');
  let session: ProjectSession;
  let first: JobRun;
  beforeAll(async () => {
    session = await open({ backend: 'async', dataDir: data, outDir: out });
  });
  afterAll(() => session.close());

  it('writes one partition per year, with aggregates matching a computation from the raw lines', async () => {
    const run = (first = await executeJob(session, { job: 'main', args, jobs: 2 }));
    expect(run.instances.map((i) => `${i.key}:${i.status}${i.error ? ` ${i.error.message}` : ''}`)).toEqual(['year=2011:succeeded', 'year=2012:succeeded', 'year=2013:succeeded', 'year=2014:succeeded']);
    // The range end is exclusive: no 2015.
    for (const relation of ['measurements', 'aggregates']) {
      expect(readdirSync(join(out, relation)).filter((n) => !n.startsWith('.')).sort()).toEqual(['year=2011', 'year=2012', 'year=2013', 'year=2014']);
      for (const year of [2011, 2012, 2013, 2014]) {
        const files = readdirSync(join(out, relation, `year=${year}`));
        expect(files).toContain('_SUCCESS');
        expect(files.some((f) => f.endsWith('.parquet'))).toBe(true);
      }
    }
    expect(existsSync(join(out, 'stations', '_SUCCESS'))).toBe(true);
    const stations = await readParquetDir(join(out, 'stations'));
    expect(stations.length).toBeGreaterThan(250);
    expect(stations.some((s) => s.usaf === '999999')).toBe(true);
    expect(stations.some((s) => String(s.name).includes(','))).toBe(true);
    // measurements holds every line of the year, parsed.
    const measurements = await readParquetDir(join(out, 'measurements', 'year=2013'));
    const wrote = run.instances[2]!.phases.find((p) => p.phase === 'build')!.targets.find((t) => t.target === 'measurements')!.rows;
    expect(measurements.length).toBe(wrote);
    expect(measurements[0]).toMatchObject({ usaf: expect.stringMatching(/^\d{6}$/) as unknown, wban: expect.stringMatching(/^\d{5}$/) as unknown });
    await checkAggregates(out, [2011, 2012, 2013, 2014]);
  });

  it('validated the stations file, built the stations once, and ordered aggregates after what it reads', () => {
    // Every instance lists `stations`; one builds it while the others wait for it and find it clean.
    const stations = first.instances.map((i) => statuses(first, 'build')[i.key]!.find((t) => t.startsWith('stations='))!);
    expect(stations.filter((s) => s === 'stations=succeeded')).toHaveLength(1);
    expect(stations.filter((s) => s === 'stations=clean')).toHaveLength(3);
    for (const instance of first.instances) {
      const build = instance.phases.find((p) => p.phase === 'build')!;
      const at = (name: string): { startedAt?: number; endedAt?: number } => build.targets.find((t) => t.target === name)!;
      expect(at('aggregates').startedAt!).toBeGreaterThanOrEqual(at('measurements').endedAt!);
      expect(at('aggregates').startedAt!).toBeGreaterThanOrEqual(at('stations').endedAt ?? 0);
      const validate = instance.phases.find((p) => p.phase === 'validate')!.targets[0]!;
      expect(validate).toMatchObject({ target: 'validate_stations_raw', status: 'succeeded', message: '6 of 6 assertions passed' });
    }
  });

  it('skips clean targets on a second run, and --dirty rebuilds a target with everything downstream', async () => {
    const again = await executeJob(session, { job: 'main', args, jobs: 2 });
    expect(again.status).toBe('succeeded');
    for (const phase of ['create', 'build']) {
      for (const targets of Object.values(statuses(again, phase))) expect(targets).toEqual(['aggregates=clean', 'measurements=clean', 'stations=clean']);
    }
    expect(Object.values(statuses(again, 'validate'))).toEqual(Array(4).fill(['validate_stations_raw=succeeded']));
    const dirty = await executeJob(session, { job: 'main', args: ['year=2012'], dirty: 'measurements' });
    expect(statuses(dirty, 'build')['year=2012']).toEqual(['aggregates=succeeded', 'measurements=succeeded', 'stations=clean']);
    await checkAggregates(out, [2012]);
  });

  it('truncate removes the partitions of the range; destroy removes the relations', async () => {
    const truncated = await executeJob(session, { job: 'main', args: ['year:start=2013', 'year:end=2015'], lifecycle: 'truncate', jobs: 2 });
    expect(truncated.status).toBe('succeeded');
    expect(readdirSync(join(out, 'aggregates')).sort()).toEqual(['year=2011', 'year=2012']);
    expect(readdirSync(join(out, 'measurements')).sort()).toEqual(['year=2011', 'year=2012']);
    const destroyed = await executeJob(session, { job: 'main', args: ['year=2011'], lifecycle: 'destroy' });
    expect(destroyed.status).toBe('succeeded');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('examples/weather: a broken stations file', () => {
  it('fails the validate target with a report per assertion, before anything is written', async () => {
    const out = join(tmp, 'out-broken');
    const session = await open({ backend: 'async', dataDir: broken, outDir: out });
    try {
      const run = await executeJob(session, { job: 'main', args: ['year=2011'] });
      expect(run.status).toBe('failed');
      const instance = run.instances[0]!;
      expect(instance.phases.map((p) => `${p.phase}:${p.status}`)).toEqual(['validate:failed', 'create:not-run', 'build:not-run', 'verify:not-run']);
      const message = instance.error!.message;
      expect(message).toMatch(/5 of 6 assertions failed on mapping `stations_raw`/);
      expect(message).toMatch(/✓ the stations file is not empty: \d+ rows/);
      expect(message).toMatch(/✗ notNull\(usaf, wban, country\): 1 rows have a null in usaf or wban or country, e\.g\. \{usaf: 012345/);
      expect(message).toMatch(/✗ usaf and wban identify a station: 1 keys occur more than once/);
      // A condition that is NULL (no country) breaks the assertion too: it must be TRUE.
      expect(message).toMatch(/✗ ids are 6 and 5 digits, countries two letters: 2 rows break it, e\.g\. \{usaf: 012345, wban: 99999, country: null\}; \{usaf: 012346, wban: 99999, country: GER\}/);
      expect(message).toMatch(/✗ coordinates, when known, are on the globe: 1 rows break it, e\.g\. \{latitude: 123\.4/);
      expect(message).toMatch(/✗ a station ends after it begins: 1 rows break it, e\.g\. \{begin: 20200101, end: 20100101\}/);
      expect(existsSync(out)).toBe(false);
    } finally {
      await session.close();
    }
  });
});

describe('examples/weather: on worker threads', () => {
  it('gives the same aggregates with tasks on the thread backend (the built dist/)', async () => {
    const out = join(tmp, 'out-thread');
    const session = await open({ backend: 'thread', dataDir: data, outDir: out });
    try {
      const run = await executeJob(session, { job: 'main', args: ['year:start=2013', 'year:end=2015'], jobs: 2 });
      expect(run.instances.map((i) => `${i.key}:${i.status}${i.error ? ` ${i.error.message}` : ''}`)).toEqual(['year=2013:succeeded', 'year=2014:succeeded']);
      await checkAggregates(out, [2013, 2014]);
    } finally {
      await session.close();
    }
  }, 120_000);
});

describe('examples/weather: the big profile', () => {
  it('points the data and output folders elsewhere and runs more targets at once', async () => {
    const session = await ProjectSession.open({ path: project, kinds: builtinKinds(), profiles: ['big'] });
    expect(String(session.variables().get('datadir'))).toBe(join(project, 'data/big'));
    expect(String(session.variables().get('outdir'))).toBe(join(project, 'out/big'));
    expect(session.config().get('weft.execution.executor.parallelism')).toBe(4);
  });
});

describe('examples/weather: the generator', () => {
  it('writes the same bytes for the same options, skips data already there, and replaces it for another scale', async () => {
    const a = join(tmp, 'gen-a');
    const b = join(tmp, 'gen-b');
    const first = await generateWeather(a, { years: [2012, 2012] });
    expect(first).toMatchObject({ generated: true, stations: 291, years: [2012], files: 4 });
    expect((await generateWeather(a, { years: [2012, 2012] })).generated).toBe(false);
    await generateWeather(b, { years: [2012, 2012] });
    for (const file of ['stations/isd-history.csv', 'raw/2012/isd-2012-00.txt']) expect(readFileSync(join(a, file), 'utf8')).toBe(readFileSync(join(b, file), 'utf8'));
    const bigger = await generateWeather(a, { years: [2012, 2012], scale: 2 });
    expect(bigger.generated).toBe(true);
    expect(bigger.lines).toBeGreaterThan(first.lines * 1.9);
    expect(readdirSync(join(a, 'raw', '2012'))).toHaveLength(bigger.files);
    expect(readdirSync(a).sort()).toEqual(['.weather.json', 'raw', 'stations']);
  });
});
