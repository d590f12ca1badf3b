import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment, sum } from '../../src/dataflow/index.js';
import { UsageError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-fields-'));
const csv = join(dir, 'rows.csv');
writeFileSync(csv, 'id,key,value\n1,a,10\n2,b,20\n3,a,5\n');
const env = ExecutionEnvironment.create({ parallelism: 2, backend: 'async' });
afterAll(() => env.close());
const rows = () => env.readCsv(csv);

/** The error an action rejects with. */
async function failure(action: Promise<unknown>): Promise<UsageError> {
  const error = await action.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).code).toBe('WEFT_UNKNOWN_FIELD');
  return error as UsageError;
}

/** The 1-based line of this file holding `marker`. */
function lineOf(marker: string): number {
  return readFileSync(import.meta.filename, 'utf8').split('\n').findIndex((l) => l.includes(marker) && !l.includes('lineOf(')) + 1;
}

describe('a field name the rows do not have', () => {
  it('groupBy: names the operator, the source, the fields, the closest one and the user’s line', async () => {
    const error = await failure(rows().groupBy('kye').agg({ total: sum('value') }).collect()); // site-groupBy
    expect(error.message).toContain(`groupBy(kye).sum(value) (at ${import.meta.filename}:${lineOf('site-groupBy')}:`);
    expect(error.message).toContain(`key 'kye' names a field the rows of readCsv(${csv}) do not have`);
    expect(error.message).toContain("Expected one of 'id', 'key', 'value'; got 'kye'. Did you mean 'key'?");
  });

  it('an aggregated field, Spark-style and Flink-style', async () => {
    expect((await failure(rows().groupBy('key').agg({ total: sum('valu') }).collect())).message).toContain("sum('valu') names a field the rows of readCsv");
    expect((await failure(rows().keyBy('key').sum('valu').collect())).message).toContain("Did you mean 'value'?");
    expect((await failure(rows().keyBy('ky').reduce((a) => a).collect())).message).toContain("key 'ky'");
  });

  it('join keys on either side, and sort keys', async () => {
    const other = env.fromCollection<Record<string, unknown>>([{ ident: 1, name: 'x' }]);
    expect((await failure(rows().join(other, { left: 'id', right: 'id' }).count())).message).toContain(
      "key 'id' names a field the rows of fromCollection(1 items) do not have. Expected one of 'ident', 'name'",
    );
    expect((await failure(rows().join(rows(), 'idd').count())).message).toContain("Did you mean 'id'?");
    expect((await failure(rows().sortBy('vlaue').collect())).message).toContain("sortBy(vlaue)");
  });

  it('follows the fields through aggregations, joins, unions and shape-keeping operators', async () => {
    const totals = rows().groupBy('key').agg({ total: sum('value') });
    expect((await failure(totals.sortBy('value').collect())).message).toContain("rows of groupBy(key).sum(value) do not have. Expected one of 'key', 'total'");
    expect(await totals.sortBy('total').collect()).toEqual([
      { key: 'a', total: 15 },
      { key: 'b', total: 20 },
    ]);
    const names = env.fromCollection([{ id: 1, name: 'one' }]);
    const joined = rows().join(names, 'id');
    expect(await joined.filter((r) => r.id > 0).groupBy('name').count().collect()).toEqual([{ name: 'one', count: 1 }]);
    await failure(joined.distinct().groupBy('nmae').count().collect());
    const both = rows().union(env.fromCollection([{ id: 9, key: 'z', value: 1, extra: true }]));
    expect(await both.groupBy('extra').count().count()).toBe(2);
  });

  it('checks nothing after a user function, and treats a field only some records have as a field', async () => {
    expect(await rows().map((r): Record<string, unknown> => ({ k: r.key })).groupBy('missing').count().count()).toBe(1);
    const sparse = env.fromCollection<Record<string, unknown>>([{ a: 1 }, { a: 2, b: 'x' }]);
    expect(await sparse.groupBy('b').count().count()).toBe(2);
    await failure(sparse.groupBy('c').count().collect());
    expect(await env.fromCollection<Record<string, number>>([]).groupBy('anything').count().count()).toBe(0);
    expect(await env.fromCollection([['a', 1] as const]).keyBy(0).count().count()).toBe(1);
  });

  it('knows the fields of NDJSON and Parquet sources', async () => {
    const json = join(dir, 'rows.ndjson');
    writeFileSync(json, '{"city":"Oslo","temp":3}\n{"city":"Rome","temp":15}\n');
    expect((await failure(env.readJson(json).groupBy('cty').count().collect())).message).toContain("Did you mean 'city'?");
    const parquet = join(dir, 'parquet');
    await rows().writeParquet(parquet);
    expect((await failure(env.readParquet(parquet).groupBy('kee').count().collect())).message).toContain("Expected one of 'id', 'key', 'value'");
  });

  it('fails before anything is written: the previous output stays', async () => {
    const out = join(dir, 'out');
    await rows().writeCsv(out);
    const before = readdirSync(out).sort();
    await failure(rows().groupBy('kye').count().writeCsv(out));
    expect(readdirSync(out).sort()).toEqual(before);
    expect(await env.readCsv(out).count()).toBe(3);
  });
});
