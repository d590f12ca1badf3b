import { afterEach, describe, expect, it } from 'vitest';
import { EventStream } from '../../src/events.js';
import { executeJob } from '../../src/project/execution/execute-job.js';
import type { ProjectSession } from '../../src/project/session.js';
import { memorySession } from './project-fixture.js';

const model = `
relations:
  stations_raw:
    kind: memory
    schema: { usaf: string, name: string, country: string }
    rows:
      - { usaf: '1', name: 'A', country: 'DE' }
      - { usaf: '2', name: 'B', country: 'DE' }
      - { usaf: '3', name: 'C', country: 'FR' }
      - { usaf: '3', name: 'C', country: 'FR' }
  measurements_raw:
    kind: memory
    schema: { usaf: string, wind: double, temp: double }
    partitions: [{ name: year, type: integer }]
    rows:
      - { usaf: '1', wind: 3.5, temp: 10, year: 2013 }
      - { usaf: '2', wind: 1.5, temp: 20, year: 2013 }
      - { usaf: '3', wind: 7, temp: null, year: 2013 }
      - { usaf: '1', wind: 2, temp: 5, year: 2014 }
  measurements:
    kind: memory
    schema: { usaf: string, wind: double, temp: double }
    partitions: [{ name: year, type: integer }]
  aggregates:
    kind: memory
    schema: { country: string, n: long, max_wind: double, avg_temp: double }
    partitions: [{ name: year, type: integer }]
mappings:
  measurements_raw:
    kind: read
    relation: measurements_raw
    partitions: { year: $year }
  measurements_clean:
    kind: filter
    input: measurements_raw
    condition: wind >= 0
  measurements_out:
    kind: project
    input: measurements_clean
    columns: [usaf, wind, temp]
  measurements:
    kind: read
    relation: measurements
    partitions: { year: $year }
  stations:
    kind: deduplicate
    input: stations_raw_read
  stations_raw_read:
    kind: read
    relation: stations_raw
  facts:
    kind: join
    inputs: [measurements, stations]
    columns: usaf
  aggregates:
    kind: aggregate
    input: facts
    dimensions: [country]
    aggregations:
      n: COUNT(*)
      max_wind: MAX(wind)
      avg_temp: ROUND(AVG(temp), 1)
targets:
  aggregates:
    kind: relation
    mapping: aggregates
    relation: aggregates
    partition: { year: $year }
  measurements:
    kind: relation
    mapping: measurements_out
    relation: measurements
    partition: { year: $year }
  validate_stations:
    kind: validate
    mapping: stations_raw_read
    assertions:
      - { kind: rows, min: 1 }
      - { kind: notNull, columns: [usaf] }
      - { kind: expression, condition: "LENGTH(country) = 2" }
jobs:
  main:
    parameters:
      - { name: year, type: integer, default: 2013 }
    targets: [aggregates, measurements, validate_stations]
`;

let session: ProjectSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe('job build on memory relations', () => {
  it('orders targets by data (aggregates waits for measurements), runs every phase and writes each partition', async () => {
    const opened = await memorySession({ 'project.yml': `name: weather\nconfig:\n  - weft.execution.executor.class=parallel\n${model}` });
    session = opened.session;
    const events = new EventStream();
    const started: string[] = [];
    events.on('node.started', (e) => started.push(`${e.runId.split('.').pop()}:${e.node}`));
    const run = await executeJob(session, { job: 'main', args: ['year:start=2013', 'year:end=2015'], jobs: 2, events });
    expect(run.status).toBe('succeeded');
    expect(run.instances.map((i) => [i.key, i.status])).toEqual([
      ['year=2013', 'succeeded'],
      ['year=2014', 'succeeded'],
    ]);
    const build = started.filter((s) => s.startsWith('build:'));
    expect(build.indexOf('build:measurements')).toBeLessThan(build.lastIndexOf('build:aggregates'));
    const aggregates = opened.data.tables.get('aggregates')!;
    expect(aggregates.get('year=2013')!.sort((a, b) => String(a.country).localeCompare(String(b.country)))).toEqual([
      { country: 'DE', n: 2, max_wind: 3.5, avg_temp: 15, year: 2013 },
      { country: 'FR', n: 1, max_wind: 7, avg_temp: null, year: 2013 },
    ]);
    expect(aggregates.get('year=2014')).toEqual([{ country: 'DE', n: 1, max_wind: 2, avg_temp: 5, year: 2014 }]);
    const phases = run.instances[0]!.phases.map((p) => `${p.phase}:${p.targets.map((t) => `${t.target}=${t.status}`).join(',')}`);
    expect(phases).toEqual([
      'validate:validate_stations=succeeded',
      'create:aggregates=succeeded,measurements=succeeded',
      'build:measurements=succeeded,aggregates=succeeded',
      'verify:aggregates=succeeded,measurements=succeeded',
    ]);
  });

  it('skips clean targets on the next run, rebuilds with --force, and --dirty taints downstream', async () => {
    ({ session } = await memorySession({ 'project.yml': `name: weather\n${model}` }));
    const first = await executeJob(session, { job: 'main' });
    expect(first.status).toBe('succeeded');
    const statusOf = (run: typeof first, phase: string): string[] => run.instances[0]!.phases.find((p) => p.phase === phase)!.targets.map((t) => `${t.target}=${t.status}`);
    const second = await executeJob(session, { job: 'main' });
    expect(statusOf(second, 'build')).toEqual(['measurements=clean', 'aggregates=clean']);
    // Creating a relation does not read the data: what measurements wrote does not make aggregates' create dirty.
    expect(statusOf(second, 'create').sort()).toEqual(['aggregates=clean', 'measurements=clean']);
    const forced = await executeJob(session, { job: 'main', force: true });
    expect(statusOf(forced, 'build')).toEqual(['measurements=succeeded', 'aggregates=succeeded']);
    const dirty = await executeJob(session, { job: 'main', dirty: 'measurements' });
    expect(statusOf(dirty, 'build')).toEqual(['measurements=succeeded', 'aggregates=succeeded']);
    const onlyAggregates = await executeJob(session, { job: 'main', dirty: 'aggregates' });
    expect(statusOf(onlyAggregates, 'build')).toEqual(['measurements=clean', 'aggregates=succeeded']);
  });

  it('reports failed assertions one by one and, under keep-going, skips dependents but not unrelated targets', async () => {
    const failing = model.replace("- { kind: expression, condition: \"LENGTH(country) = 2\" }", "- { kind: expression, condition: \"country = 'DE'\" }\n      - { kind: unique, columns: [usaf] }");
    ({ session } = await memorySession({ 'project.yml': `name: weather\n${failing.replace('kind: memory\n    schema: { usaf: string, wind: double, temp: double }\n    partitions: [{ name: year, type: integer }]\n  aggregates:', 'kind: memory\n    failWrite: true\n    schema: { usaf: string, wind: double, temp: double }\n    partitions: [{ name: year, type: integer }]\n  aggregates:')}` }));
    const strict = await executeJob(session, { job: 'main' });
    expect(strict.status).toBe('failed');
    const error = strict.instances[0]!.error!;
    expect(error.message).toMatch(/2 of 4 assertions failed on mapping `stations_raw_read`/);
    expect(error.message).toMatch(/✗ country = 'DE': 2 rows break it/);
    expect(error.message).toMatch(/✗ unique\(usaf\): 1 keys occur more than once, e\.g\. 3 \(2×\)/);
    expect(strict.instances[0]!.phases.map((p) => `${p.phase}:${p.status}`)).toEqual(['validate:failed', 'create:not-run', 'build:not-run', 'verify:not-run']);
    const going = await executeJob(session, { job: 'main', keepGoing: true });
    const build = going.instances[0]!.phases.find((p) => p.phase === 'build')!;
    expect(build.targets.map((t) => `${t.target}=${t.status}`)).toEqual(['measurements=failed', 'aggregates=skipped']);
  });

  it('builds a target every instance lists once: concurrent instances wait for its writer and find it clean', async () => {
    const shared = model
      .replace('mappings:\n', 'mappings:\n  stations_copy:\n    kind: read\n    relation: stations_raw\n')
      .replace('targets:\n', 'targets:\n  stations:\n    kind: relation\n    mapping: stations_copy\n    relation: stations_out\n')
      .replace('relations:\n', 'relations:\n  stations_out:\n    kind: memory\n    schema: { usaf: string, name: string, country: string }\n')
      .replace('targets: [aggregates, measurements, validate_stations]', 'targets: [stations, aggregates, measurements]');
    const opened = await memorySession({ 'project.yml': `name: weather\nconfig: [weft.execution.executor.class=parallel]\n${shared}` });
    session = opened.session;
    const run = await executeJob(session, { job: 'main', args: ['year:start=2013', 'year:end=2015'], jobs: 2 });
    expect(run.instances.map((i) => i.error?.message ?? i.status)).toEqual(['succeeded', 'succeeded']);
    const stations = run.instances.map((i) => i.phases.find((p) => p.phase === 'build')!.targets.find((t) => t.target === 'stations')!.status);
    expect(stations.filter((s) => s === 'succeeded')).toHaveLength(1);
    expect(stations.filter((s) => s === 'clean')).toHaveLength(1);
    expect(opened.data.tables.get('stations_out')!.size).toBe(1);
  });

  it('runs the listed order under the manual scheduler even with the parallel executor', async () => {
    ({ session } = await memorySession({ 'project.yml': `name: weather\nconfig: [weft.execution.executor.class=parallel, weft.execution.scheduler.class=manual]\n${model}` }));
    const events = new EventStream();
    const order: string[] = [];
    events.on('node.started', (e) => {
      if (e.runId.endsWith('.build')) order.push(e.node);
    });
    const run = await executeJob(session, { job: 'main', events });
    // Listed order puts aggregates first: it reads a partition nobody wrote yet, finds no rows, and verify says so.
    expect(order).toEqual(['aggregates', 'measurements']);
    expect(run.status).toBe('failed');
    expect(run.instances[0]!.error?.message).toMatch(/target `aggregates`: verify failed: partition year=2013 of relation `aggregates` holds no data/);
  });
});

describe('instances and pools', () => {
  it('runs the dataflow jobs of every instance in weft.execution.job.pool', async () => {
    const events = new EventStream();
    const pools = new Set<string>();
    events.on('task.started', (e) => pools.add(e.pool));
    ({ session } = await memorySession(
      { 'project.yml': `name: weather\nconfig:\n  weft.scheduler.mode: FAIR\n  weft.scheduler.pools: { instances: { mode: FAIR } }\n  weft.execution.job.pool: instances\n${model}` },
      { events },
    ));
    const run = await executeJob(session, { job: 'main', args: ['year:start=2013', 'year:end=2015'], jobs: 2 });
    expect(run.status).toBe('succeeded');
    expect([...pools]).toEqual(['instances']);
  });

  it('rejects an undefined pool before anything runs, listing the pools', async () => {
    ({ session } = await memorySession({ 'project.yml': `name: weather\nconfig: [weft.execution.job.pool=nope]\n${model}` }));
    await expect(executeJob(session, { job: 'main' })).rejects.toThrow(/names the pool `nope` \(project .*project\.yml:2:10\), which is not defined; the pools are default/);
  });
});
