import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment, avg, first, last, max, min, sum } from '../../src/dataflow/index.js';
import { compareKeys } from '../../src/dataflow/exec/keys.js';

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));

interface Row {
  k: string;
  name: string;
  ok: boolean;
  at: Date;
  v: number;
}

const NAMES = ['pear', 'apple', 'fig', 'Zucchini', 'banana', 'kiwi', 'apple2'];
const ROWS: Row[] = Array.from({ length: 42 }, (_, i) => ({
  k: `k${i % 3}`,
  name: NAMES[(i * 5) % NAMES.length]!,
  ok: i % 4 === 1,
  at: new Date(Date.UTC(2020, 0, 1 + ((i * 11) % 29))),
  v: i,
}));

/** The expected aggregate per key, computed with a plain loop and the documented total order. */
function expected(field: 'name' | 'ok' | 'at'): Map<string, { lo: unknown; hi: unknown; first: unknown; last: unknown }> {
  const out = new Map<string, { lo: unknown; hi: unknown; first: unknown; last: unknown }>();
  for (const row of ROWS) {
    const value = row[field];
    const seen = out.get(row.k);
    if (!seen) out.set(row.k, { lo: value, hi: value, first: value, last: value });
    else {
      if (compareKeys(value, seen.lo) < 0) seen.lo = value;
      if (compareKeys(value, seen.hi) > 0) seen.hi = value;
      seen.last = value;
    }
  }
  return out;
}

describe.each(['async', 'thread'] as const)('aggregations over non-numbers (%s)', (backend) => {
  const make = (): ExecutionEnvironment => {
    const env = ExecutionEnvironment.create({ parallelism: 3, backend, slots: 2 });
    envs.push(env);
    return env;
  };

  it.each(['name', 'ok', 'at'] as const)('first, last, min and max work on the %s field', async (field) => {
    // One partition keeps input order, so first/last are well defined.
    const env = make();
    const rows = await env
      .fromCollection(ROWS)
      .setParallelism(1)
      .groupBy('k')
      .agg({ lo: min(field), hi: max(field), first: first(field), last: last(field) })
      .sortBy('k')
      .collect();
    const want = expected(field);
    expect(rows).toEqual([...want.keys()].sort().map((k) => ({ k, ...want.get(k)! })));
  });

  it('keeps min and max of strings consistent with sortBy at any parallelism', async () => {
    const env = make();
    const [row] = await env.fromCollection(ROWS).groupBy(() => 'all').agg({ lo: min('name'), hi: max('name') }).collect();
    const sorted = await env.fromCollection(ROWS).map((r: Row) => r.name).sortBy((n: string) => n).collect();
    expect(row).toEqual({ key: 'all', lo: sorted[0], hi: sorted.at(-1) });
  });

  it('keyBy().min() and max() keep the record shape for string fields (Flink style)', async () => {
    const env = make();
    const out = await env
      .fromCollection([['a', 'x'], ['a', 'b'], ['b', 'q'], ['a', 'm']] as Array<[string, string]>)
      .keyBy(0)
      .max(1)
      .collect();
    expect([...out].sort(compareKeys)).toEqual([['a', 'x'], ['b', 'q']]);
  });

  it('still insists on numbers for sum and avg, saying which aggregation needs them', async () => {
    const env = make();
    await expect(env.fromCollection(ROWS).groupBy('k').agg({ s: sum('name') }).count()).rejects.toThrow(/expected field "name" to be a number for sum\(\), got string/);
    await expect(env.fromCollection(ROWS).groupBy('k').agg({ s: avg('ok') }).count()).rejects.toThrow(/for avg\(\), got boolean/);
  });
});

describe('records a keyed aggregation keeps', () => {
  it('are its own copies: a function that reuses one record object still gives each key its own first record', async () => {
    const env = ExecutionEnvironment.create({ parallelism: 1, backend: 'async' });
    envs.push(env);
    // Flink's object-reuse pattern: the map returns the same (mutated) tuple every time.
    const reused: [string, number] = ['', 0];
    const out = await env
      .fromCollection(['a', 'b', 'a', 'c', 'b', 'a'])
      .map((w: string) => {
        reused[0] = w;
        reused[1] = 1;
        return reused;
      })
      .keyBy(0)
      .sum(1)
      .collect();
    expect(out).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 1],
    ]);
  });
});
