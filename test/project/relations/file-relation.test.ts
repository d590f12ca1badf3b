import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectError, RelationError } from '../../../src/project/errors.js';
import { FILE_RELATION_KIND } from '../../../src/project/relations/file-relation.js';
import type { PartitionFilter, Relation, RelationContext } from '../../../src/project/relations/relation.js';
import { closeEnvs, context, makeEnv, projectDir, relationOf, sorted } from './helpers.js';

afterAll(closeEnvs);

const day = (text: string): Date => new Date(`${text}T00:00:00Z`);
const rowsOf = (year: number, n: number, offset = 0): Array<{ id: number; name: string; amount: number }> =>
  Array.from({ length: n }, (_, i) => ({ id: offset + i, name: `n${year}-${offset + i}`, amount: (offset + i) * 1.5 }));

function partitioned(format: string, dir: string, extra: Record<string, unknown> = {}): Relation {
  return relationOf(
    FILE_RELATION_KIND,
    {
      kind: 'file',
      format,
      location: 'out/sales',
      partitions: [
        { name: 'year', type: 'integer' },
        { name: 'day', type: 'date' },
      ],
      schema: { id: 'integer', name: 'string', amount: 'double' },
      ...extra,
    },
    dir,
    'sales',
  );
}

async function write(rel: Relation, ctx: RelationContext, rows: readonly object[], partition: Record<string, unknown>, mode: 'overwrite' | 'append' | 'error_if_exists' | 'ignore_if_exists' = 'overwrite'): Promise<number> {
  return rel.write(ctx, ctx.env.fromCollection(rows.map((r) => ({ ...r }))), { partition, mode });
}

async function readAll(rel: Relation, ctx: RelationContext, filter?: PartitionFilter): Promise<Array<Record<string, unknown>>> {
  return sorted(await (await rel.read(ctx, filter)).collect());
}

describe.each(['csv', 'json', 'parquet'] as const)('partitioned %s relation', (format) => {
  it('round-trips rows with typed partition columns, written into Hive folders without them', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    const rel = partitioned(format, dir);
    expect(await write(rel, ctx, rowsOf(2013, 5), { year: 2013, day: '2013-01-01' })).toBe(5);
    expect(await write(rel, ctx, rowsOf(2014, 3), { year: '2014', day: day('2014-02-01') })).toBe(3);
    expect(readdirSync(join(dir, 'out/sales')).sort()).toEqual(['year=2013', 'year=2014']);
    expect(readdirSync(join(dir, 'out/sales/year=2013'))).toEqual(['day=2013-01-01']);
    const files = readdirSync(join(dir, 'out/sales/year=2013/day=2013-01-01'));
    expect(files).toContain('_SUCCESS');
    if (format !== 'parquet') {
      const text = files.filter((f) => f.startsWith('part-')).map((f) => readFileSync(join(dir, 'out/sales/year=2013/day=2013-01-01', f), 'utf8')).join('');
      expect(text).not.toContain('year');
      expect(text).not.toContain('2013-01-01');
    }
    if (format === 'parquet') {
      // Declared types reach the file, so other readers see INT32 ids rather than DOUBLE.
      const part = files.find((f) => f.endsWith('.parquet'))!;
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(join(dir, 'out/sales/year=2013/day=2013-01-01', part)));
      expect(metadata.schema.slice(1).map((e) => `${e.name}:${e.type}`)).toEqual(['id:INT32', 'name:BYTE_ARRAY', 'amount:DOUBLE']);
    }
    const rows = await readAll(rel, ctx);
    expect(rows).toHaveLength(8);
    expect(rows).toContainEqual({ id: 0, name: 'n2013-0', amount: 0, year: 2013, day: day('2013-01-01') });
    expect(rows).toContainEqual({ id: 2, name: 'n2014-2', amount: 3, year: 2014, day: day('2014-02-01') });
    expect(Object.keys(rows[0]!)).toEqual(['id', 'name', 'amount', 'year', 'day']);
  });

  it('reads only the partitions a filter selects (values, range, none)', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    const rel = partitioned(format, dir);
    for (const year of [2011, 2012, 2013, 2014]) await write(rel, ctx, rowsOf(year, 2), { year, day: `${year}-06-01` });
    // A corrupt file in a partition no filter below selects: reading it would fail the job.
    mkdirSync(join(dir, 'out/sales/year=2010/day=2010-06-01'), { recursive: true });
    writeFileSync(join(dir, 'out/sales/year=2010/day=2010-06-01/part-00000.bad'), '\u0000not data at all\u0000');
    const years = async (filter: PartitionFilter): Promise<unknown[]> => [...new Set((await readAll(rel, ctx, filter)).map((r) => r['year']))].sort();
    expect(await years({ year: { kind: 'values', values: [2012, '2014'] } })).toEqual([2012, 2014]);
    expect(await years({ year: { kind: 'range', start: 2012, end: 2014 } })).toEqual([2012, 2013]);
    expect(await years({ year: { kind: 'range', start: 2013 } })).toEqual([2013, 2014]);
    expect(await years({ day: { kind: 'range', start: '2011-01-01', end: '2013-01-01' } })).toEqual([2011, 2012]);
    expect(await years({ year: { kind: 'values', values: [1999] } })).toEqual([]);
    const plan = (await rel.read(ctx, { year: { kind: 'values', values: [2013] } })).explain();
    expect(plan).toContain('year=2013');
    expect(plan).not.toContain('year=2012');
    await expect((await rel.read(ctx)).count()).rejects.toThrow();
  });

  it('overwrites one partition and leaves the others intact; appends new part files', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    const rel = partitioned(format, dir);
    await write(rel, ctx, rowsOf(2013, 4), { year: 2013, day: '2013-01-01' });
    await write(rel, ctx, rowsOf(2014, 4), { year: 2014, day: '2014-01-01' });
    const other = join(dir, 'out/sales/year=2014/day=2014-01-01');
    const before = readdirSync(other).map((f) => [f, readFileSync(join(other, f), 'utf8')]);
    await write(rel, ctx, rowsOf(2013, 2, 100), { year: 2013, day: '2013-01-01' });
    expect((await readAll(rel, ctx, { year: { kind: 'values', values: [2013] } })).map((r) => r['id'])).toEqual([100, 101]);
    expect(readdirSync(other).map((f) => [f, readFileSync(join(other, f), 'utf8')])).toEqual(before);
    const target = join(dir, 'out/sales/year=2013/day=2013-01-01');
    const existing = readdirSync(target).filter((f) => f.startsWith('part-'));
    expect(await write(rel, ctx, rowsOf(2013, 3, 200), { year: 2013, day: '2013-01-01' }, 'append')).toBe(3);
    const after = readdirSync(target).filter((f) => f.startsWith('part-'));
    expect(after).toEqual(expect.arrayContaining(existing));
    expect(after.length).toBeGreaterThan(existing.length);
    expect((await readAll(rel, ctx, { year: { kind: 'values', values: [2013] } })).map((r) => r['id']).sort((a, b) => Number(a) - Number(b))).toEqual([100, 101, 200, 201, 202]);
    expect(readdirSync(join(dir, 'out/sales/year=2013')).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('write modes and failures', () => {
  it('error_if_exists refuses a partition with data; ignore_if_exists skips it; both write a new one', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    const rel = partitioned('csv', dir);
    await write(rel, ctx, rowsOf(2013, 2), { year: 2013, day: '2013-01-01' }, 'error_if_exists');
    const error = await write(rel, ctx, rowsOf(2013, 5), { year: 2013, day: '2013-01-01' }, 'error_if_exists').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelationError);
    expect((error as Error).message).toMatch(/cannot write partition year=2013, day=2013-01-01T00:00:00.000Z of relation sales \(csv files at .*out\/sales\) with mode error_if_exists: .*year=2013\/day=2013-01-01 already holds data; it contains: _SUCCESS, part-00000.csv/);
    expect(await write(rel, ctx, rowsOf(2013, 5), { year: 2013, day: '2013-01-01' }, 'ignore_if_exists')).toBe(0);
    expect(await write(rel, ctx, rowsOf(2014, 5), { year: 2014, day: '2014-01-01' }, 'ignore_if_exists')).toBe(5);
    expect(await (await rel.read(ctx)).count()).toBe(7);
  });

  it('a write that fails mid-job leaves the previous partition intact and no staging folders behind', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    const rel = partitioned('parquet', dir);
    await write(rel, ctx, rowsOf(2013, 10), { year: 2013, day: '2013-01-01' });
    const failing = ctx.env.fromCollection(rowsOf(2013, 100, 500)).map((r: { id: number }) => {
      if (r.id === 550) throw new Error('boom at 550');
      return r;
    });
    await expect(rel.write(ctx, failing, { partition: { year: 2013, day: '2013-01-01' }, mode: 'overwrite' })).rejects.toThrow(/boom at 550/);
    await expect(rel.write(ctx, failing, { partition: { year: 2013, day: '2013-01-01' }, mode: 'append' })).rejects.toThrow(/boom at 550/);
    expect((await readAll(rel, ctx)).map((r) => Number(r['id'])).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Hidden staging folders may outlive a failed job for a moment (an aborted async task can still be writing); they are never data.
    expect(readdirSync(join(dir, 'out/sales/year=2013')).filter((f) => !f.startsWith('.'))).toEqual(['day=2013-01-01']);
    expect(await rel.exists(ctx, { year: 2013, day: '2013-01-01' })).toBe(true);
  });

  it('names the relation and the missing partition columns, and refuses values of the wrong type', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    const rel = partitioned('csv', dir);
    await expect(write(rel, ctx, rowsOf(2013, 1), { year: 2013 })).rejects.toThrow(
      'missing a value for partition column day of relation sales: a write names every partition column (year (integer), day (date)), e.g. { year: …, day: … }',
    );
    await expect(write(rel, ctx, rowsOf(2013, 1), { year: '20x3', day: '2013-01-01' })).rejects.toThrow('expected an integer (-2147483648 to 2147483647) for partition column year, got "20x3"');
    await expect(write(rel, ctx, rowsOf(2013, 1), { year: 2013, day: '2013-02-30' })).rejects.toThrow('expected a date like 2013-01-01 for partition column day, got "2013-02-30"');
    await expect(write(rel, ctx, rowsOf(2013, 1), { year: 2013, day: '2013-01-01', month: 1 })).rejects.toThrow(
      'unknown partition column month of relation sales: expected one of year (integer), day (date)',
    );
    await expect(write(rel, ctx, rowsOf(2013, 1), { year: 2013, day: '2013-01-01' }, 'upsert' as never)).rejects.toThrow(ProjectError);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('unpartitioned and text relations', () => {
  it('writes the location itself, reads a single file, and infers the schema', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    writeFileSync(join(dir, 'stations.csv'), 'usaf,name,elevation,active\n010010,JAN MAYEN,9.0,true\n010014,SORSTOKKEN,48.8,false\n');
    const stations = relationOf(FILE_RELATION_KIND, { format: 'csv', location: 'stations.csv' }, dir, 'stations');
    expect(await stations.schema(ctx)).toEqual({
      fields: [
        { name: 'usaf', type: 'double' },
        { name: 'name', type: 'string' },
        { name: 'elevation', type: 'double' },
        { name: 'active', type: 'boolean' },
      ],
    });
    const copy = relationOf(FILE_RELATION_KIND, { format: 'json', location: 'copy', schema: [{ name: 'name', type: 'string' }, { name: 'elevation', type: 'int' }] }, dir, 'copy');
    expect(await copy.write(ctx, await stations.read(ctx), { mode: 'overwrite' })).toBe(2);
    expect(sorted(await (await copy.read(ctx)).collect())).toEqual([
      { name: 'JAN MAYEN', elevation: 9 },
      { name: 'SORSTOKKEN', elevation: 48 },
    ]);
    expect(await copy.exists(ctx)).toBe(true);
    await copy.truncate(ctx);
    expect(await copy.exists(ctx)).toBe(false);
    expect(existsSync(join(dir, 'copy'))).toBe(true);
    await copy.destroy(ctx);
    expect(existsSync(join(dir, 'copy'))).toBe(false);
    await copy.destroy(ctx);
  });

  it('infers schemas from Parquet metadata and JSON rows, with partition columns last', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    for (const format of ['parquet', 'json']) {
      const rel = relationOf(FILE_RELATION_KIND, { format, location: `inferred-${format}`, partitions: [{ name: 'region', type: 'string' }] }, dir);
      await rel.write(ctx, ctx.env.fromCollection([{ id: 1, label: 'a', ok: true, at: new Date('2020-01-01T10:00:00Z') }]), { partition: { region: 'eu/west' }, mode: 'overwrite' });
      expect(existsSync(join(dir, `inferred-${format}`, 'region=eu%2Fwest'))).toBe(true);
      expect(await rel.schema(ctx)).toEqual({
        fields: [
          { name: 'id', type: 'double' },
          { name: 'label', type: 'string' },
          { name: 'ok', type: 'boolean' },
          // JSON has no timestamp type: without a declared schema, ISO text stays text.
          { name: 'at', type: format === 'json' ? 'string' : 'timestamp' },
          { name: 'region', type: 'string', nullable: false },
        ],
      });
      const at = format === 'json' ? '2020-01-01T10:00:00.000Z' : new Date('2020-01-01T10:00:00Z');
      expect(await (await rel.read(ctx)).collect()).toEqual([{ id: 1, label: 'a', ok: true, at, region: 'eu/west' }]);
    }
  });

  it('writes and reads text lines as a value column', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    const rel = relationOf(FILE_RELATION_KIND, { format: 'text', location: 'logs', partitions: [{ name: 'day', type: 'date' }] }, dir);
    const lines = ['first, "quoted" line', 'second;line', ''];
    expect(await rel.write(ctx, ctx.env.fromCollection(lines.map((value) => ({ value }))), { partition: { day: '2020-01-02' }, mode: 'overwrite' })).toBe(3);
    const files = readdirSync(join(dir, 'logs/day=2020-01-02')).filter((f) => f.startsWith('part-'));
    expect(files.every((f) => f.endsWith('.txt'))).toBe(true);
    expect(files.map((f) => readFileSync(join(dir, 'logs/day=2020-01-02', f), 'utf8')).join('')).toBe('first, "quoted" line\nsecond;line\n\n');
    expect(await rel.schema(ctx)).toEqual({ fields: [{ name: 'value', type: 'string' }, { name: 'day', type: 'date', nullable: false }] });
    const read = await (await rel.read(ctx)).collect();
    expect(sorted(read.map((r) => r['value']))).toEqual(['', 'first, "quoted" line', 'second;line']);
    expect(read[0]!['day']).toEqual(day('2020-01-02'));
  });
});
