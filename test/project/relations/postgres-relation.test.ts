import { afterAll, describe, expect, it } from 'vitest';
import { ProjectError, RelationError } from '../../../src/project/errors.js';
import { closePgPools } from '../../../src/project/relations/pg-pools.js';
import { POSTGRES_RELATION_KIND } from '../../../src/project/relations/postgres-relation.js';
import type { PartitionFilter, Relation, RelationContext } from '../../../src/project/relations/relation.js';
import { closeEnvs, context, makeEnv, projectDir, relationOf, sorted } from './helpers.js';
import { openTestDatabase } from './pg-env.js';

const db = await openTestDatabase('weft_rel');

afterAll(async () => {
  await closePgPools();
  await closeEnvs();
  await db?.drop();
});

const utc = (text: string): Date => new Date(text.length === 10 ? `${text}T00:00:00Z` : text);

function salesTable(table: string, extra: Record<string, unknown> = {}): Relation {
  return relationOf(
    POSTGRES_RELATION_KIND,
    {
      kind: 'postgres',
      url: db!.url,
      table: `${db!.schema}.${table}`,
      partitions: [
        { name: 'day', type: 'date' },
        { name: 'region', type: 'string' },
      ],
      schema: { id: 'long', shop: 'string', amount: 'double', paid: 'boolean', at: 'timestamp', qty: 'integer' },
      ...extra,
    },
    projectDir(),
    'sales',
  );
}

const rows = (n: number, offset = 0): Array<Record<string, unknown>> =>
  Array.from({ length: n }, (_, i) => ({ id: offset + i, shop: `s'"${i % 3}`, amount: (offset + i) / 4, paid: i % 2 === 0, at: utc(`2020-01-01T10:00:${String(i % 60).padStart(2, '0')}.5Z`), qty: `${i}` }));

async function write(rel: Relation, ctx: RelationContext, data: Array<Record<string, unknown>>, partition: Record<string, unknown>, mode: 'overwrite' | 'append' | 'error_if_exists' | 'ignore_if_exists' = 'overwrite'): Promise<number> {
  return rel.write(ctx, ctx.env.fromCollection(data), { partition, mode });
}

async function ids(rel: Relation, ctx: RelationContext, filter?: PartitionFilter): Promise<number[]> {
  return (await (await rel.read(ctx, filter)).collect()).map((r) => Number(r['id'])).sort((a, b) => a - b);
}

describe.skipIf(db === undefined)('postgres relation', () => {
  it('creates the table from the declared schema with partition columns as ordinary columns', async () => {
    const ctx = context(makeEnv());
    const rel = salesTable('created');
    expect(await rel.exists(ctx)).toBe(false);
    await rel.create(ctx);
    await rel.create(ctx);
    expect(await rel.exists(ctx)).toBe(true);
    const columns = await db!.query<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
      [db!.schema, 'created'],
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      'id bigint',
      'shop text',
      'amount double precision',
      'paid boolean',
      'at timestamp with time zone',
      'qty integer',
      'day date',
      'region text',
    ]);
    expect(rel.describe()).toBe(`PostgreSQL table ${db!.schema}.created at ${db!.url} partitioned by day, region`);
  });

  it('round-trips typed rows per partition and reads with values, range and no filter', async () => {
    const ctx = context(makeEnv());
    const rel = salesTable('roundtrip');
    expect(await write(rel, ctx, rows(5), { day: '2020-01-01', region: 'eu' })).toBe(5);
    expect(await write(rel, ctx, rows(3, 100), { day: utc('2020-01-02'), region: 'us' })).toBe(3);
    expect(await write(rel, ctx, rows(2, 200), { day: '2020-01-03', region: 'eu' })).toBe(2);
    const all = sorted(await (await rel.read(ctx)).collect());
    expect(all).toHaveLength(10);
    const first = all.find((r) => r['id'] === 0)!;
    expect(first).toEqual({ id: 0, shop: `s'"0`, amount: 0, paid: true, at: utc('2020-01-01T10:00:00.500Z'), qty: 0, day: utc('2020-01-01'), region: 'eu' });
    expect(Object.keys(first)).toEqual(['id', 'shop', 'amount', 'paid', 'at', 'qty', 'day', 'region']);
    expect(await ids(rel, ctx, { region: { kind: 'values', values: ['us'] } })).toEqual([100, 101, 102]);
    expect(await ids(rel, ctx, { day: { kind: 'range', start: '2020-01-02', end: '2020-01-04' }, region: { kind: 'values', values: ['eu'] } })).toEqual([200, 201]);
    expect(await ids(rel, ctx, { day: { kind: 'range', end: '2020-01-02' } })).toEqual([0, 1, 2, 3, 4]);
    expect(await ids(rel, ctx, { region: { kind: 'values', values: ["x' OR 1=1 --"] } })).toEqual([]);
    const data = await rel.read(ctx);
    expect(await data.count()).toBe(10);
    expect(await data.count()).toBe(10);
  });

  it('overwrites one partition in one transaction, appends, and honours error_if_exists / ignore_if_exists', async () => {
    const ctx = context(makeEnv());
    const rel = salesTable('modes');
    await write(rel, ctx, rows(4), { day: '2020-01-01', region: 'eu' });
    await write(rel, ctx, rows(4, 10), { day: '2020-01-02', region: 'eu' });
    await write(rel, ctx, rows(2, 50), { day: '2020-01-01', region: 'eu' });
    expect(await ids(rel, ctx)).toEqual([10, 11, 12, 13, 50, 51]);
    expect(await write(rel, ctx, rows(1, 60), { day: '2020-01-01', region: 'eu' }, 'append')).toBe(1);
    expect(await ids(rel, ctx, { day: { kind: 'values', values: ['2020-01-01'] } })).toEqual([50, 51, 60]);
    const refused = await write(rel, ctx, rows(1, 70), { day: '2020-01-01', region: 'eu' }, 'error_if_exists').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RelationError);
    expect((refused as Error).message).toBe(
      `cannot write partition day=2020-01-01, region=eu of relation sales (table ${db!.schema}.modes at ${db!.url}) with mode error_if_exists: it already holds rows. Use mode overwrite or append, or truncate it first.`,
    );
    expect(await write(rel, ctx, rows(1, 70), { day: '2020-01-01', region: 'eu' }, 'ignore_if_exists')).toBe(0);
    expect(await write(rel, ctx, rows(1, 80), { day: '2020-01-05', region: 'eu' }, 'error_if_exists')).toBe(1);
    await expect(write(rel, ctx, rows(1), { day: '2020-01-01' })).rejects.toThrow('missing a value for partition column region of relation sales');
    await expect(write(rel, ctx, rows(1), { day: 'yesterday', region: 'eu' })).rejects.toThrow('expected a date like 2013-01-01 for partition column day, got "yesterday"');
  });

  it('keeps empty strings apart from nulls, quotes, commas and line breaks, and overwrites with no rows', async () => {
    const ctx = context(makeEnv('thread'));
    const rel = salesTable('texts');
    const tricky = ['', null, 'a,b', 'line\nbreak\r\n', '"quoted"', ' padded ', 'NULL', '\\N'];
    const data = tricky.map((shop, i) => ({ ...rows(1, i)[0], shop }));
    expect(await write(rel, ctx, data, { day: '2020-01-01', region: 'eu' })).toBe(tricky.length);
    const back = sorted(await (await rel.read(ctx)).collect());
    expect(back.map((r) => r['shop'])).toEqual(tricky);
    expect(await write(rel, ctx, [], { day: '2020-01-01', region: 'eu' })).toBe(0);
    expect(await ids(rel, ctx)).toEqual([]);
  });

  it('a failing write rolls back and leaves the previous rows', async () => {
    const ctx = context(makeEnv());
    const rel = salesTable('failing');
    await write(rel, ctx, rows(3), { day: '2020-01-01', region: 'eu' });
    const throwing = ctx.env.fromCollection(rows(20, 100)).map((r: Record<string, unknown>) => {
      if (r['id'] === 110) throw new Error('bad row 110');
      return r;
    });
    await expect(rel.write(ctx, throwing, { partition: { day: '2020-01-01', region: 'eu' }, mode: 'overwrite' })).rejects.toThrow(/bad row 110/);
    await db!.query(`ALTER TABLE "${db!.schema}".failing ADD CONSTRAINT positive CHECK (amount >= 0)`);
    const negative = [...rows(6000, 100), { ...rows(1)[0], id: 9999, amount: -1 }];
    const error = await write(rel, ctx, negative, { day: '2020-01-01', region: 'eu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelationError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot write relation sales \\(table ${db!.schema}.failing at .*\\): new row for relation "failing" violates check constraint "positive"`));
    expect(await ids(rel, ctx)).toEqual([0, 1, 2]);
  });

  it('exists per partition, fingerprints that change with the rows, truncate and destroy', async () => {
    const ctx = context(makeEnv());
    const rel = salesTable('lifecycle');
    expect(await rel.fingerprint(ctx)).toBe('absent');
    await write(rel, ctx, rows(2), { day: '2020-01-01', region: 'eu' });
    await write(rel, ctx, rows(2, 10), { day: '2020-01-02', region: 'eu' });
    expect(await rel.exists(ctx, { day: '2020-01-01' })).toBe(true);
    expect(await rel.exists(ctx, { day: '2020-01-03' })).toBe(false);
    const day1: PartitionFilter = { day: { kind: 'values', values: ['2020-01-01'] } };
    const before = await rel.fingerprint(ctx, day1);
    const whole = await rel.fingerprint(ctx);
    expect(before).toMatch(/^rows=2;xmin=\d+$/);
    await write(rel, ctx, rows(2, 20), { day: '2020-01-02', region: 'eu' });
    expect(await rel.fingerprint(ctx, day1)).toBe(before);
    expect(await rel.fingerprint(ctx)).not.toBe(whole);
    await write(rel, ctx, rows(2, 30), { day: '2020-01-01', region: 'eu' });
    expect(await rel.fingerprint(ctx, day1)).not.toBe(before);
    await rel.truncate(ctx, { day: '2020-01-01' });
    expect(await rel.exists(ctx, { day: '2020-01-01' })).toBe(false);
    expect(await ids(rel, ctx)).toEqual([20, 21]);
    await rel.truncate(ctx);
    expect(await ids(rel, ctx)).toEqual([]);
    expect(await rel.exists(ctx)).toBe(true);
    await rel.destroy(ctx);
    await rel.destroy(ctx);
    expect(await rel.exists(ctx)).toBe(false);
    await rel.truncate(ctx);
  });

  it('reads an existing table without a declared schema, partition columns last', async () => {
    const ctx = context(makeEnv());
    await db!.query(`CREATE TABLE "${db!.schema}".legacy (year integer, name varchar(20), total numeric(10,2), big bigint, seen timestamp, flag boolean)`);
    await db!.query(`INSERT INTO "${db!.schema}".legacy VALUES (2013, 'a', 1.25, 9007199254740991, '2013-05-01 12:00:00', true), (2014, 'b', null, 1, null, false)`);
    const rel = relationOf(POSTGRES_RELATION_KIND, { kind: 'postgres', url: db!.url, table: `${db!.schema}.legacy`, partitions: [{ name: 'year', type: 'integer' }] }, projectDir(), 'legacy');
    expect(await rel.schema(ctx)).toEqual({
      fields: [
        { name: 'name', type: 'string' },
        { name: 'total', type: 'double' },
        { name: 'big', type: 'long' },
        { name: 'seen', type: 'timestamp' },
        { name: 'flag', type: 'boolean' },
        { name: 'year', type: 'integer', nullable: false },
      ],
    });
    expect(await (await rel.read(ctx, { year: { kind: 'values', values: [2013] } })).collect()).toEqual([
      { name: 'a', total: 1.25, big: 9007199254740991, seen: utc('2013-05-01T12:00:00Z'), flag: true, year: 2013 },
    ]);
    expect(await rel.write(ctx, ctx.env.fromCollection([{ name: 'c', total: '2.5', extra: 'ignored' }]), { partition: { year: 2015 }, mode: 'append' })).toBe(1);
    expect(await db!.query(`SELECT name, total::text, year FROM "${db!.schema}".legacy WHERE year = 2015`)).toEqual([{ name: 'c', total: '2.50', year: 2015 }]);
    const missing = relationOf(POSTGRES_RELATION_KIND, { url: db!.url, table: `${db!.schema}.nope` }, projectDir(), 'nope');
    await expect(missing.read(ctx)).rejects.toThrow(`cannot read relation nope: table ${db!.schema}.nope does not exist at ${db!.url}`);
    await expect(missing.create(ctx)).rejects.toThrow(/declares no schema/);
  });

  it('streams reads through the thread backend like any dataset', async () => {
    const ctx = context(makeEnv('thread', 2));
    const rel = salesTable('threads');
    await write(rel, ctx, rows(25_000), { day: '2020-01-01', region: 'eu' });
    const data = await rel.read(ctx);
    expect(await data.filter((r: Record<string, unknown>) => Number(r['id']) % 2 === 0).count()).toBe(12_500);
  });
});

describe('postgres relation without a server', () => {
  it('names host:port and the relation, with the password redacted, when the server is unreachable', async () => {
    const ctx = context(makeEnv());
    const rel = relationOf(POSTGRES_RELATION_KIND, { url: 'postgres://etl:s3cret@127.0.0.1:1/warehouse', table: 'sales' }, projectDir(), 'sales');
    const error = await rel.exists(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelationError);
    expect((error as Error).message).toMatch(/^cannot connect to PostgreSQL at 127\.0\.0\.1:1 \(postgres:\/\/etl:\*\*\*@127\.0\.0\.1:1\/warehouse\) for relation sales: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('s3cret');
    await expect(rel.read(ctx)).rejects.toThrow(/cannot connect to PostgreSQL at 127\.0\.0\.1:1/);
  });

  it('names tables as resources without credentials', () => {
    const rel = relationOf(POSTGRES_RELATION_KIND, { url: 'postgres://etl:s3cret@db.example.com/warehouse', table: 'sales', partitions: [{ name: 'day', type: 'date' }] }, projectDir(), 'sales');
    expect(rel.provides({ day: '2020-01-01' })).toEqual([{ kind: 'table', name: 'postgres://db.example.com:5432/warehouse/public.sales', partition: { day: '2020-01-01' } }]);
    expect(rel.requires({ day: { kind: 'range', start: '2020-01-01', end: '2020-01-03' } })).toEqual([
      { kind: 'table', name: 'postgres://db.example.com:5432/warehouse/public.sales', partition: { day: '2020-01-01' } },
      { kind: 'table', name: 'postgres://db.example.com:5432/warehouse/public.sales', partition: { day: '2020-01-02' } },
    ]);
  });

  it('checks the spec: url or connection, a table name, and a known connection', () => {
    const issues = (raw: unknown): string[] => {
      const result = POSTGRES_RELATION_KIND.spec.safeParse(raw);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ table: 'sales' })).toEqual(['url: missing `url` (postgres://user@host:5432/database) or `connection` (the name of a shared connection)']);
    expect(issues({ url: 'mysql://x/y', table: 'sales' })).toEqual(['url: expected `url` to be a PostgreSQL URL such as postgres://user@host:5432/database']);
    expect(issues({ url: 'postgres://x/y' })).toEqual(['table: missing `table`: the table as schema.table or table']);
    expect(issues({ url: 'postgres://x/y', table: 'a.b.c' })).toEqual(['table: expected `table` to be schema.table or table, without spaces or quotes']);
    const spec = POSTGRES_RELATION_KIND.spec.parse({ connection: 'warehouse', table: 'sales' });
    const setup = { name: 'sales', projectDir: projectDir(), location: undefined, locate: () => undefined };
    expect(() => POSTGRES_RELATION_KIND.create(spec, setup)).toThrow(ProjectError);
    expect(() => POSTGRES_RELATION_KIND.create(spec, setup)).toThrow('relation sales names the connection "warehouse", which the project does not define');
    const shared = POSTGRES_RELATION_KIND.create(spec, { ...setup, connection: (name) => (name === 'warehouse' ? 'postgres://u:pw@h:6543/wh' : undefined) });
    expect(shared.provides()).toEqual([{ kind: 'table', name: 'postgres://h:6543/wh/public.sales' }]);
  });
});
