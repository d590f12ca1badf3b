import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment, count, sum } from '../../../src/dataflow/index.js';

// A combiner reads its CSV batches from arrays the reader refills batch after batch; the result
// must be what reading every batch into fresh arrays gives (a collect keeps the batches it reads).
describe('a group-by over CSV batches refilled in place', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-transient-'));
  const lines = ['id,key,value,note'];
  for (let i = 0; i < 2000; i++) lines.push(`${i},${i % 7 === 0 ? '' : `k${(i * 31) % 53}`},${i % 11 === 0 ? '' : (i * 0.37).toFixed(2)},n${i % 3}`);
  writeFileSync(join(dir, 'rows.csv'), `${lines.join('\n')}\n`);
  const env = ExecutionEnvironment.create({ backend: 'async', parallelism: 2 });
  afterAll(() => env.close());

  it('gives the totals of the rows a collect reads', async () => {
    for (const options of [{ batchRows: 64 }, { batchRows: 100, splitSize: 5000 }, {}]) {
      const path = join(dir, 'rows.csv');
      const rows = (await env.readCsv<{ key: string | null; value: number | null }>(path, options).collect()) as Array<{ key: string | null; value: number | null }>;
      const want = new Map<string | null, { total: number; n: number }>();
      for (const row of rows) {
        const group = want.get(row.key) ?? { total: 0, n: 0 };
        group.total += row.value ?? 0;
        group.n += 1;
        want.set(row.key, group);
      }
      const got = (await env.readCsv(path, options).groupBy('key').agg({ total: sum('value'), n: count() }).collect()) as Array<{ key: string | null; total: number; n: number }>;
      expect(got.length).toBe(want.size);
      for (const row of got) {
        expect(row.n).toBe(want.get(row.key)!.n);
        expect(row.total).toBeCloseTo(want.get(row.key)!.total, 6);
      }
    }
  });
});
