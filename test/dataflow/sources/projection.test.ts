import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../src/dataflow/batch/index.js';
import { ExecutionEnvironment, count, sum } from '../../../src/dataflow/index.js';
import { newSplitStats, planSplits, readSplit, type SourceOptions } from '../../../src/dataflow/sources/index.js';
import { tempDir } from './helpers.js';

/** Quotes, escaped quotes and nulls in every column, and timestamps the job never reads. */
const MIXED =
  'id,key,value,note,ts\n' +
  '1,a,1.5,"x, y",2024-01-01T00:00:00\n' +
  '2,"b",2,"say ""hi""",2024-01-01T00:00:01\n' +
  '3,a,,plain,\n' +
  ',,4,,2024-01-02\n' +
  '5,"a",-1.25,"",2024-01-02T00:00:00Z\n' +
  '6,c,10,z,2024-01-03\n';
/** Row 3 (line 4) has a timestamp that does not parse (read with {@link TS}), in a column a group-by does not read. */
const BAD_TS = 'id,key,value,ts\n1,a,1,2024-01-01\n2,b,2,2024-01-01\n3,a,3,2024-13-45\n4,b,4,2024-01-02\n';

const TS = { schema: { ts: 'timestamp' } } satisfies SourceOptions;

async function read(path: string, options: SourceOptions, fields?: readonly string[]): Promise<unknown[]> {
  const { splits } = await planSplits('csv', path, options, 1);
  const rows: unknown[] = [];
  for (const split of splits) for await (const batch of readSplit(split, newSplitStats(), undefined, fields)) rows.push(...rowsOf(batch));
  return rows;
}

function pick(row: unknown, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, (row as Record<string, unknown>)[f]]));
}

describe('projection push-down into the CSV reader', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  const envs: ExecutionEnvironment[] = [];
  beforeAll(async () => {
    tmp = await tempDir({ 'mixed.csv': MIXED, 'bad-ts.csv': BAD_TS, 'left.csv': 'id,x\n1,a\n2,b\n3,"c,d"\n', 'right.csv': 'id,y\n3,p\n1,"q"\n1,r\n9,s\n' });
  });
  afterAll(async () => {
    await Promise.all(envs.map((e) => e.close()));
    await tmp.cleanup();
  });

  it('keeps only the asked fields, with the values a full read gives, whatever the batch size', async () => {
    for (const batchRows of [1, 2, 1000]) {
      const full = await read(tmp.path('mixed.csv'), { batchRows });
      for (const fields of [['key', 'value'], ['note'], ['ts', 'id'], []]) {
        expect(await read(tmp.path('mixed.csv'), { batchRows }, fields)).toEqual(full.map((row) => pick(row, fields)));
      }
    }
  });

  it('still checks the fields it does not keep: the same row is malformed, at the same line', async () => {
    await expect(read(tmp.path('bad-ts.csv'), TS, ['key', 'value'])).rejects.toThrow(/bad-ts\.csv:4.*"ts".*2024-13-45/);
    const { splits } = await planSplits('csv', tmp.path('bad-ts.csv'), { ...TS, onError: 'skip' }, 1);
    const stats = newSplitStats();
    const rows: unknown[] = [];
    for await (const batch of readSplit(splits[0]!, stats, undefined, ['value'])) rows.push(...rowsOf(batch));
    expect(rows).toEqual([{ value: 1 }, { value: 2 }, { value: 4 }]);
    expect(stats.skipped).toBe(1);
  });

  it('group-by, count and join count read projected sources with the results of whole rows', async () => {
    const env = ExecutionEnvironment.create({ backend: 'async', parallelism: 2 });
    envs.push(env);
    const path = tmp.path('mixed.csv');
    const grouped = await env.readCsv(path, { batchRows: 2 }).groupBy('key').agg({ total: sum('value'), rows: count() }).collect();
    const sorted = [...grouped].sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(sorted).toEqual([
      { key: 'a', total: 0.25, rows: 3 },
      { key: 'b', total: 2, rows: 1 },
      { key: 'c', total: 10, rows: 1 },
      { key: null, total: 4, rows: 1 },
    ]);
    expect(await env.readCsv(path).count()).toBe(6);
    expect(await env.readCsv(tmp.path('bad-ts.csv'), { ...TS, onError: 'skip' }).count()).toBe(3);
    await expect(env.readCsv(tmp.path('bad-ts.csv'), TS).groupBy('key').agg({ total: sum('value') }).collect()).rejects.toThrow(/bad-ts\.csv:4/);
    expect(await env.readCsv(tmp.path('left.csv')).join(env.readCsv(tmp.path('right.csv')), 'id').count()).toBe(3);
    // Flink-style keyBy().sum() carries each key's first record, so it still reads whole rows.
    const keyed = await env.readCsv(path).keyBy('key').sum('value').collect();
    expect(keyed.find((r) => (r as { key: unknown }).key === 'a')).toEqual({ id: 1, key: 'a', value: 0.25, note: 'x, y', ts: new Date(Date.UTC(2024, 0, 1)) });
  });
});
