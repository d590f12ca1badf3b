// A project job on PostgreSQL: the state store in a schema of its own (weft.store.url), and a
// postgres relation written per partition and read back by another target — with a real server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, createTestSchema, postgresForTests, TEST_PG_URL, type TestSchema } from '../../helpers/postgres.js';
import { makeProject, weft } from './fixture.js';

const pg = await postgresForTests();

describe.skipIf(!pg.available)('a project on PostgreSQL', { timeout: 180_000 }, () => {
  let store: TestSchema;
  let data: TestSchema;
  beforeAll(async () => {
    store = await createTestSchema('cli_store');
    data = await createTestSchema('cli_data');
  });
  afterAll(async () => {
    await store?.drop();
    await data?.drop();
  });

  it('writes partitions into a table, reads them back, and records runs in the PostgreSQL store', async () => {
    const dir = makeProject({
      'pg.yml': `environment:
  - warehouse=${TEST_PG_URL}
relations:
  totals:
    kind: postgres
    connection: warehouse
    table: ${data.name}.totals
    partitions: [{ name: year, type: integer }]
    schema: { station: string, value: double }
mappings:
  totals: { kind: read, relation: totals, partitions: { year: $year } }
targets:
  totals:
    kind: relation
    mapping: raw
    relation: totals
    partition: { year: $year }
  show:
    kind: console
    mapping: totals
jobs:
  pg:
    parameters: [{ name: year, type: integer }]
    targets: [totals, show]
`,
    });
    writeFileSync(join(dir, 'project.yml'), 'name: pg_demo\nmodules: [model.yml, pg.yml]\nconfig: [weft.execution.backend=async]\n');
    const conf = ['--conf', `weft.store.url=${store.url}`];
    const first = weft(dir, 'job', 'build', '-f', '.', 'pg', 'year:start=2011', 'year:end=2013', '-j', '2', ...conf, '--no-progress');
    expect(first.stderr).toBe('');
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toMatch(/s1\s+11\s+2011/);
    const rows = await adminQuery(`SELECT year, count(*)::int AS n FROM "${data.name}".totals GROUP BY year ORDER BY year`);
    expect(rows.rows).toEqual([
      { year: 2011, n: 4 },
      { year: 2012, n: 4 },
    ]);
    const again = weft(dir, 'job', 'build', '-f', '.', 'pg', 'year:start=2011', 'year:end=2013', ...conf, '--json', '--no-progress');
    const run = JSON.parse(again.stdout) as { instances: Array<{ phases: Array<{ phase: string; targets: Array<{ target: string; status: string }> }> }> };
    expect(run.instances[0]!.phases.find((p) => p.phase === 'build')!.targets.find((t) => t.target === 'totals')!.status).toBe('clean');
    const history = weft(dir, 'history', '-f', '.', ...conf);
    expect(history.stdout).toMatch(/pg\s+build\s+year:end=2013 year:start=2011\s+succeeded/);
    const tables = await adminQuery(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`, [store.name]);
    expect((tables.rows[0] as { n: number }).n).toBeGreaterThan(0);
    expect(weft(dir, 'job', 'destroy', '-f', '.', 'pg', 'year=2011', ...conf, '--no-progress').code).toBe(0);
    const gone = await adminQuery(`SELECT to_regclass($1) AS t`, [`${data.name}.totals`]);
    expect((gone.rows[0] as { t: unknown }).t).toBeNull();
  });
});
