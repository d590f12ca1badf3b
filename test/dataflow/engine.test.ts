import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment, count, sum } from '../../src/dataflow/index.js';
import { CapturedVariableError } from '../../src/runtime/index.js';
import type { BackendKind } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-df-'));
writeFileSync(join(dir, 'a.txt'), 'to be or not to be\nthat is the question\n');
writeFileSync(join(dir, 'b.txt'), 'to be is to do\n');

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));
const make = (backend: BackendKind, parallelism = 2): ExecutionEnvironment => {
  const env = ExecutionEnvironment.create({ parallelism, backend, slots: 2 });
  envs.push(env);
  return env;
};
const sortBy0 = <T extends readonly unknown[]>(rows: T[]): T[] => [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe.each(['async', 'thread', 'process'] as const)('dataflow on the %s backend', (backend) => {
  it('counts words over text files (Flink word count)', async () => {
    const env = make(backend);
    const counts = await env
      .readText(join(dir, '*.txt'))
      .flatMap((line: string) => line.split(' '))
      .map((w: string) => [w, 1] as const)
      .keyBy(0)
      .sum(1)
      .setParallelism(3)
      .collect();
    expect(sortBy0(counts as Array<readonly [string, number]>)).toEqual(
      sortBy0([['to', 4], ['be', 3], ['or', 1], ['not', 1], ['that', 1], ['is', 2], ['the', 1], ['question', 1], ['do', 1]]),
    );
  });

  it('groups, joins, filters, sorts and counts collections the same at any parallelism', async () => {
    for (const p of [1, 3]) {
      const env = make(backend, p);
      const orders = env.fromCollection(Array.from({ length: 50 }, (_, i) => ({ id: i, customer: `c${i % 5}`, amount: i })));
      const customers = env.fromCollection(Array.from({ length: 5 }, (_, i) => ({ customer: `c${i}`, name: `Customer ${i}` })));
      const totals = await orders.groupBy('customer').agg({ total: sum('amount'), n: count() }).sortBy('customer').collect();
      expect(totals).toEqual(Array.from({ length: 5 }, (_, c) => ({ customer: `c${c}`, total: 10 * c + 225, n: 10 })));
      const joined = await orders.filter((o: { amount: number }) => o.amount >= 45).join(customers, 'customer').sortBy('id').collect();
      expect(joined.map((r) => (r as { name: string }).name)).toEqual(['Customer 0', 'Customer 1', 'Customer 2', 'Customer 3', 'Customer 4']);
      expect(await orders.map((o: { customer: string }) => o.customer).distinct().count()).toBe(5);
      expect(await orders.count()).toBe(50);
    }
  });
});

describe('dataflow planning', () => {
  it('explains jobs, stages, parallelism and where each value came from', () => {
    const env = make('async', 3);
    const text = env
      .readText(join(dir, '*.txt'))
      .flatMap((line: string) => line.split(' '))
      .map((w: string) => [w, 1] as const)
      .keyBy(0)
      .sum(1)
      .setParallelism(5)
      .explain();
    expect(text).toMatch(/stage 0: 3 tasks ← source splits/);
    expect(text).toMatch(/readText.*parallelism 3 \(environment\), max parallelism 128 \(default for p=3\)/);
    expect(text).toMatch(/hash exchange by #0: 128 key groups → 5 partitions/);
    expect(text).toMatch(/stage 1: 5 tasks/);
    expect(text).toMatch(/keyBy\(#0\)\.sum\(1\)\s+parallelism 5 \(operator\)/);
  });

  it('refuses a parallelism above the max parallelism, naming the operator and the fix', async () => {
    const env = make('async', 2);
    const ds = env.fromCollection([1, 2, 3]).map((x: number) => x).setParallelism(200).setMaxParallelism(128);
    await expect(ds.count()).rejects.toThrow(/operator map\(.*\): parallelism 200 \(from the operator\) is above its max parallelism 128.*setMaxParallelism/);
  });

  it('refuses a lambda that captures a variable before any task runs, naming it', async () => {
    const env = make('thread', 2);
    const threshold = 3;
    await expect(env.fromCollection([1, 2, 3]).filter((x: number) => x > threshold).count()).rejects.toBeInstanceOf(CapturedVariableError);
    expect(await env.fromCollection([1, 2, 3, 4]).filter((x: number, ctx) => x > ctx.with.t, { with: { t: 3 } }).count()).toBe(1);
  });
});

describe('dataflow over CSV files', () => {
  const csvDir = mkdtempSync(join(tmpdir(), 'weft-df-csv-'));
  const lines = ['id,key,value'];
  for (let i = 0; i < 3000; i++) lines.push(`${i},k${i % 7},${i % 10}`);
  writeFileSync(join(csvDir, 'data.csv'), `${lines.join('\n')}\n`);
  const expected = Array.from({ length: 7 }, (_, k) => {
    let total = 0;
    let n = 0;
    for (let i = k; i < 3000; i += 7) {
      total += i % 10;
      n++;
    }
    return { key: `k${k}`, total, n };
  });

  it.each(['async', 'thread'] as const)('group-by-sum over splits agrees with a plain loop (%s)', async (backend) => {
    const env = make(backend, 3);
    const rows = await env
      .readCsv(join(csvDir, 'data.csv'), { splitSize: 4096 })
      .groupBy('key')
      .agg({ total: sum('value'), n: count() })
      .sortBy('key')
      .collect();
    expect(rows).toEqual(expected);
  });

  it('writes CSV atomically and reads it back', async () => {
    const env = make('thread', 2);
    const out = join(csvDir, 'out');
    const written = await env.readCsv<{ value: number }>(join(csvDir, 'data.csv')).filter((r) => r.value === 0).writeCsv(out);
    expect(written).toBe(300);
    expect(await env.readCsv(join(out, '*.csv')).count()).toBe(300);
  });

  it('names a missing input file', async () => {
    const env = make('async', 2);
    await expect(env.readCsv(join(csvDir, 'nope.csv')).count()).rejects.toThrow(/nope\.csv/);
  });
});
