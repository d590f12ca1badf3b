import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectError, RelationError } from '../../../src/project/errors.js';
import { FILE_RELATION_KIND } from '../../../src/project/relations/file-relation.js';
import { closeEnvs, context, makeEnv, projectDir, relationOf, sorted } from './helpers.js';

afterAll(closeEnvs);

/** Flowman's weather example: raw CSV files in one folder per year, `${year}`. */
function rawWeather(dir: string): void {
  for (const year of [2011, 2012, 2013]) {
    mkdirSync(join(dir, 'raw', String(year)), { recursive: true });
    writeFileSync(join(dir, 'raw', String(year), `${year}-a.csv`), `station,temp\nA,${year - 2000}.5\n`);
    writeFileSync(join(dir, 'raw', String(year), `${year}-b.csv`), `station,temp\nB,${year - 2000}.25\n`);
  }
  mkdirSync(join(dir, 'raw', 'readme'));
  writeFileSync(join(dir, 'raw', 'notes.txt'), 'not a partition');
}

describe('custom patterns', () => {
  it('reads raw-data layouts such as ${year}, skipping folders that do not match', async () => {
    const dir = projectDir();
    rawWeather(dir);
    const ctx = context(makeEnv());
    const rel = relationOf(FILE_RELATION_KIND, { kind: 'file', format: 'csv', location: 'raw', pattern: '${year}', partitions: [{ name: 'year', type: 'integer' }] }, dir, 'weather');
    expect(sorted(await (await rel.read(ctx, { year: { kind: 'range', start: 2012 } })).collect())).toEqual([
      { station: 'A', temp: 12.5, year: 2012 },
      { station: 'A', temp: 13.5, year: 2013 },
      { station: 'B', temp: 12.25, year: 2012 },
      { station: 'B', temp: 13.25, year: 2013 },
    ]);
    expect(await (await rel.read(ctx)).count()).toBe(6);
    expect(rel.describe()).toBe(`csv files at ${join(dir, 'raw')} partitioned by year`);
  });

  it('writes and reads several columns in one folder name and across folders', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    const rel = relationOf(
      FILE_RELATION_KIND,
      {
        format: 'json',
        location: 'out',
        pattern: 'y${year}/data_${month}-${kind}',
        partitions: [
          { name: 'year', type: 'integer' },
          { name: 'month', type: 'integer' },
          { name: 'kind', type: 'string' },
        ],
      },
      dir,
    );
    for (const month of [1, 2, 12]) await rel.write(ctx, ctx.env.fromCollection([{ v: month }]), { partition: { year: 2020, month, kind: 'a/b' }, mode: 'overwrite' });
    expect(readdirSync(join(dir, 'out/y2020')).sort()).toEqual(['data_1-a%2Fb', 'data_12-a%2Fb', 'data_2-a%2Fb']);
    expect(sorted(await (await rel.read(ctx, { month: { kind: 'range', start: 2, end: 13 } })).collect())).toEqual([
      { v: 12, year: 2020, month: 12, kind: 'a/b' },
      { v: 2, year: 2020, month: 2, kind: 'a/b' },
    ]);
    await rel.truncate(ctx, { month: 12 });
    expect(readdirSync(join(dir, 'out/y2020')).sort()).toEqual(['data_1-a%2Fb', 'data_2-a%2Fb']);
    await rel.truncate(ctx, { year: 2020 });
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('refuses patterns that miss, repeat or invent columns, with the reason', () => {
    const dir = projectDir();
    const make = (pattern: string): unknown => relationOf(FILE_RELATION_KIND, { format: 'csv', location: 'x', pattern, partitions: [{ name: 'year', type: 'int' }, { name: 'month', type: 'int' }] }, dir);
    expect(() => make('${year}')).toThrow('the partition pattern "${year}" misses the partition column month: every partition column appears exactly once');
    expect(() => make('${year}/${month}/${year}')).toThrow('repeats the partition column year');
    expect(() => make('${year}/${day}')).toThrow('names ${day}, which is not a partition column (expected ${year}, ${month})');
    expect(() => make('${year}${month}')).toThrow('puts two placeholders side by side');
    expect(() => make('../${year}/${month}')).toThrow(ProjectError);
  });
});

describe('exists, fingerprint, truncate and destroy', () => {
  it('tracks committed data per partition and changes the fingerprint when files change', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv());
    const rel = relationOf(FILE_RELATION_KIND, { format: 'csv', location: 'data', partitions: [{ name: 'day', type: 'date', granularity: 'P1D' }] }, dir);
    expect(await rel.exists(ctx)).toBe(false);
    const empty = await rel.fingerprint(ctx);
    await rel.create(ctx);
    expect(existsSync(join(dir, 'data'))).toBe(true);
    expect(await rel.exists(ctx)).toBe(false);
    await rel.write(ctx, ctx.env.fromCollection([{ a: 1 }, { a: 2 }]), { partition: { day: '2020-01-01' }, mode: 'overwrite' });
    await rel.write(ctx, ctx.env.fromCollection([{ a: 3 }]), { partition: { day: '2020-01-02' }, mode: 'overwrite' });
    expect(await rel.exists(ctx)).toBe(true);
    expect(await rel.exists(ctx, { day: '2020-01-01' })).toBe(true);
    expect(await rel.exists(ctx, { day: '2020-01-03' })).toBe(false);
    const day1 = { day: { kind: 'values' as const, values: ['2020-01-01'] } };
    const all = await rel.fingerprint(ctx);
    const first = await rel.fingerprint(ctx, day1);
    expect(new Set([empty, all, first]).size).toBe(3);
    expect(await rel.fingerprint(ctx, day1)).toBe(first);
    await rel.write(ctx, ctx.env.fromCollection([{ a: 4 }]), { partition: { day: '2020-01-02' }, mode: 'append' });
    expect(await rel.fingerprint(ctx, day1)).toBe(first);
    expect(await rel.fingerprint(ctx)).not.toBe(all);
    const part = join(dir, 'data/day=2020-01-01', readdirSync(join(dir, 'data/day=2020-01-01')).find((f) => f.startsWith('part-'))!);
    utimesSync(part, new Date('2001-01-01'), new Date('2001-01-01'));
    expect(await rel.fingerprint(ctx, day1)).not.toBe(first);
    await rel.truncate(ctx, { day: '2020-01-01' });
    expect(await rel.exists(ctx, { day: '2020-01-01' })).toBe(false);
    expect(await rel.exists(ctx, { day: '2020-01-02' })).toBe(true);
    await rel.truncate(ctx);
    expect(await rel.exists(ctx)).toBe(false);
    expect(readdirSync(join(dir, 'data'))).toEqual([]);
    await rel.destroy(ctx);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('provides and requires file resources by absolute location and partition text', () => {
    const dir = projectDir();
    const rel = relationOf(FILE_RELATION_KIND, { format: 'parquet', location: './a/../out/', partitions: [{ name: 'year', type: 'integer' }, { name: 'day', type: 'date' }] }, dir);
    const name = join(dir, 'out');
    expect(rel.provides()).toEqual([{ kind: 'file', name }]);
    expect(rel.provides({ year: '2013', day: new Date('2013-01-05T00:00:00Z') })).toEqual([{ kind: 'file', name, partition: { year: '2013', day: '2013-01-05' } }]);
    expect(rel.requires()).toEqual([{ kind: 'file', name }]);
    expect(rel.requires({ year: { kind: 'values', values: [2013, 2014] }, day: { kind: 'range', start: '2013-01-01', end: '2013-01-03' } })).toEqual([
      { kind: 'file', name, partition: { year: '2013', day: '2013-01-01' } },
      { kind: 'file', name, partition: { year: '2013', day: '2013-01-02' } },
      { kind: 'file', name, partition: { year: '2014', day: '2013-01-01' } },
      { kind: 'file', name, partition: { year: '2014', day: '2013-01-02' } },
    ]);
    expect(rel.requires({ year: { kind: 'range', start: 2000 } })).toEqual([{ kind: 'file', name }]);
  });
});

describe('errors', () => {
  it('rejects an unknown format, a missing location and options of another format in the spec', () => {
    const parse = (raw: unknown): string[] => {
      const result = FILE_RELATION_KIND.spec.safeParse(raw);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(parse({ format: 'xml', location: 'x' })).toEqual(['format: unknown format "xml": expected one of csv, json, parquet, text']);
    expect(parse({ format: 'csv' })).toEqual(['location: missing `location`: the folder (or file) of the relation, relative to the project directory']);
    expect(parse({ format: 'parquet', location: 'x', options: { header: true } })).toEqual(['options.header: option header applies to csv relations, not parquet; remove it']);
    expect(parse({ format: 'csv', location: 'x', options: { onError: 'quarantine' } })).toEqual(['options.onError: onError: quarantine needs `quarantinePath`, the folder that receives the bad rows']);
    expect(parse({ format: 'csv', location: 'x', partitions: [{ name: 'y', type: 'bignum' }] })[0]).toMatch(/^partitions.0.type: expected a data type/);
  });

  it('a read of a missing location names the relation, the path and what exists there', async () => {
    const dir = projectDir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'other.csv'), 'a\n1\n');
    const ctx = context(makeEnv());
    const rel = relationOf(FILE_RELATION_KIND, { format: 'csv', location: 'data/sales' }, dir, 'sales');
    const error = await rel.read(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelationError);
    expect((error as Error).message).toBe(
      `cannot read relation sales (csv files at ${join(dir, 'data/sales')}): there is no data at ${join(dir, 'data/sales')}; it does not exist; the nearest existing folder ${join(dir, 'data')} contains: other.csv. Write the relation first, or fix its location.`,
    );
    await expect(rel.schema(ctx)).rejects.toThrow(/cannot infer the schema of relation sales/);
    mkdirSync(join(dir, 'data/sales'));
    await expect(rel.schema(ctx)).rejects.toThrow(`cannot infer the schema of relation sales (csv files at ${join(dir, 'data/sales')}): it holds no data files; it contains: nothing. Declare a schema, or write data first.`);
    expect(await (await rel.read(ctx)).count()).toBe(0);
    rmSync(join(dir, 'data/sales'), { recursive: true });
  });

  it('a malformed CSV row follows onError, and a declared schema types and selects the columns', async () => {
    const dir = projectDir();
    mkdirSync(join(dir, 'in/k=1'), { recursive: true });
    writeFileSync(join(dir, 'in/k=1/a.csv'), 'id;when;note\n1;2020-01-01;a\nx;2020-01-02;b\n3;2020-01-03;c\n');
    const ctx = context(makeEnv());
    const make = (onError: string): ReturnType<typeof relationOf> =>
      relationOf(FILE_RELATION_KIND, { format: 'csv', location: 'in', partitions: [{ name: 'k', type: 'int' }], schema: { id: 'int', when: 'date' }, options: { delimiter: ';', onError } }, dir);
    await expect((await make('fail').read(ctx)).collect()).rejects.toThrow(/a\.csv:3: malformed row/);
    expect(await (await make('skip').read(ctx)).collect()).toEqual([
      { id: 1, when: new Date('2020-01-01T00:00:00Z'), k: 1 },
      { id: 3, when: new Date('2020-01-03T00:00:00Z'), k: 1 },
    ]);
  });
});

describe.each(['thread', 'process'] as const)('on the %s backend', (backend) => {
  it('adds partition columns and shapes written rows in workers', async () => {
    const dir = projectDir();
    const ctx = context(makeEnv(backend, 2));
    const rel = relationOf(FILE_RELATION_KIND, { format: 'parquet', location: 'out', partitions: [{ name: 'day', type: 'date' }, { name: 'ok', type: 'boolean' }], schema: { n: 'long' } }, dir);
    const rows = Array.from({ length: 40 }, (_, i) => ({ n: i, day: 'ignored', extra: 'dropped' }));
    expect(await rel.write(ctx, ctx.env.fromCollection(rows), { partition: { day: '2021-03-04', ok: true }, mode: 'overwrite' })).toBe(40);
    expect(await rel.write(ctx, ctx.env.fromCollection(rows.slice(0, 5)), { partition: { day: '2021-03-05', ok: 'false' }, mode: 'append' })).toBe(5);
    const back = await (await rel.read(ctx, { ok: { kind: 'values', values: [true] } })).collect();
    expect(back).toHaveLength(40);
    expect(back.map((r) => r['n']).sort((a, b) => Number(a) - Number(b))).toEqual(rows.map((r) => r.n));
    expect(Object.keys(back[0]!)).toEqual(['n', 'day', 'ok']);
    expect([back[0]!['day'], back[0]!['ok']]).toEqual([new Date('2021-03-04T00:00:00Z'), true]);
    expect(await (await rel.read(ctx)).count()).toBe(45);
  });
});
