/**
 * Every operator on every backend, each result compared with the async (reference) backend's
 * (DESIGN.md principle 6), plus a killed-worker retry on the process backend and an end-to-end
 * atomic write.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment, JobFailedError, avg, count, first, last, max, min, sum, type Dataset } from '../../src/dataflow/index.js';
import type { BackendKind } from '../../src/index.js';

interface Order {
  id: number;
  customer: string;
  amount: number;
  note: string;
}
const ORDERS: Order[] = Array.from({ length: 60 }, (_, i) => ({ id: i, customer: `c${(i * 7) % 9}`, amount: (i * 37) % 101, note: `n${(i * 13) % 17}` }));
const CUSTOMERS = Array.from({ length: 11 }, (_, i) => ({ customer: `c${i}`, name: `Customer ${i}` }));
const LINES = ['to be or not to be', 'that is the question', 'to do is to be', ''];

type Case = (env: ExecutionEnvironment, dir: string) => Promise<unknown>;
const orders = (env: ExecutionEnvironment): Dataset<Order> => env.fromCollection(ORDERS);
const pairs = (env: ExecutionEnvironment): Dataset<[string, number]> => orders(env).map((o: Order) => [o.customer, o.amount] as [string, number]);

const CASES: Record<string, Case> = {
  map: (env) => orders(env).map((o: Order) => o.amount * 2).collect(),
  flatMap: (env) => env.fromCollection(LINES).flatMap((line: string) => line.split(' ').filter((w) => w !== '')).collect(),
  filter: (env) => orders(env).filter((o: Order) => o.amount > 50).collect(),
  'keyBy().sum': (env) => pairs(env).keyBy(0).sum(1).collect(),
  'keyBy().min': (env) => pairs(env).keyBy(0).min(1).collect(),
  'keyBy().max': (env) => pairs(env).keyBy(0).max(1).collect(),
  'keyBy().count': (env) => pairs(env).keyBy(0).count().collect(),
  'keyBy().reduce': (env) => pairs(env).keyBy(0).reduce((a: [string, number], b: [string, number]) => [a[0], a[1] + b[1]] as [string, number]).collect(),
  'groupBy().agg (every aggregation)': (env) =>
    orders(env)
      .groupBy('customer')
      .agg({ total: sum('amount'), low: min('amount'), high: max('amount'), mean: avg('amount'), n: count(), firstNote: first('note'), lastNote: last('note'), lowNote: min('note') })
      .collect(),
  'join inner': (env) => orders(env).join(env.fromCollection(CUSTOMERS.slice(0, 6)), 'customer').collect(),
  'join left': (env) => orders(env).join(env.fromCollection(CUSTOMERS.slice(0, 6)), 'customer', { how: 'left' }).collect(),
  'join right': (env) => orders(env).filter((o: Order) => o.id < 20).join(env.fromCollection(CUSTOMERS), 'customer', { how: 'right' }).collect(),
  'join full': (env) => orders(env).filter((o: Order) => o.id < 20).join(env.fromCollection(CUSTOMERS.slice(3)), 'customer', { how: 'full' }).collect(),
  'join of tuples': (env) => pairs(env).join(env.fromCollection(CUSTOMERS.map((c) => [c.customer, c.name] as [string, string])), 0).collect(),
  union: (env) => orders(env).map((o: Order) => o.id).union(env.fromCollection([100, 101])).collect(),
  distinct: (env) => orders(env).map((o: Order) => ({ customer: o.customer })).distinct().collect(),
  'sortBy asc': (env) => orders(env).sortBy('amount').map((o: Order) => [o.amount, o.id]).collect(),
  'sortBy desc': (env) => orders(env).sortBy((o: Order) => o.note, { descending: true }).map((o: Order) => o.note).collect(),
  repartition: (env) => orders(env).repartition(4).map((o: Order) => o.id).collect(),
  rebalance: (env) => orders(env).rebalance().map((o: Order) => o.id).collect(),
  'first(n)': (env) => orders(env).map((o: Order) => o.id).first(7),
  print: async (env) => {
    const lines: string[] = [];
    await orders(env).filter((o: Order) => o.id % 10 === 0).print((line) => lines.push(line));
    return lines;
  },
  fromIterable: (env) =>
    env
      .fromIterable(function* () {
        for (let i = 0; i < 50; i++) yield i;
      }, { batchRows: 8 })
      .map((x: number) => x * x)
      .collect(),
  'writeJson → readJson': async (env, dir) => {
    await orders(env).writeJson(join(dir, 'json'));
    return env.readJson(join(dir, 'json')).sortBy('id').collect();
  },
  'writeParquet → readParquet': async (env, dir) => {
    await orders(env).writeParquet(join(dir, 'parquet'));
    return env.readParquet(join(dir, 'parquet')).sortBy('id').collect();
  },
  'writeCsv → readCsv': async (env, dir) => {
    await orders(env).writeCsv(join(dir, 'csv'));
    return env.readCsv(join(dir, 'csv')).sortBy('id').collect();
  },
};

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));
function make(backend: BackendKind): ExecutionEnvironment {
  const env = ExecutionEnvironment.create({ parallelism: 3, backend, slots: 2 });
  envs.push(env);
  return env;
}

const reference = new Map<string, Promise<unknown>>();
let referenceEnv: ExecutionEnvironment | undefined;
function expected(name: string): Promise<unknown> {
  let result = reference.get(name);
  if (result === undefined) {
    referenceEnv ??= make('async');
    reference.set(name, (result = CASES[name]!(referenceEnv, mkdtempSync(join(tmpdir(), 'weft-df-ref-')))));
  }
  return result;
}

describe.each(['async', 'thread', 'process'] as const)('every operator on the %s backend agrees with the async backend', (backend) => {
  let env: ExecutionEnvironment | undefined;
  it.each(Object.keys(CASES))('%s', async (name) => {
    env ??= make(backend);
    const got = await CASES[name]!(env, mkdtempSync(join(tmpdir(), `weft-df-${backend}-`)));
    const want = await expected(name);
    expect(got).toEqual(want);
    expect(Array.isArray(got) && got.length > 0).toBe(true);
  });

  it('a writeCsv whose map throws mid-job leaves the previous output intact', async () => {
    env ??= make(backend);
    const dir = mkdtempSync(join(tmpdir(), 'weft-df-atomic-'));
    const out = join(dir, 'out');
    expect(await orders(env).writeCsv(out)).toBe(60);
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    const failing = orders(env)
      .map((o: Order) => {
        if (o.id === 45) throw new Error('bad order 45');
        return o;
      })
      .writeCsv(out);
    await expect(failing).rejects.toBeInstanceOf(JobFailedError);
    expect(Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]))).toEqual(before);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});

describe('a killed worker on the process backend', () => {
  it('is replaced and its task retried; the job succeeds', async () => {
    const env = make('process');
    const out = await env
      .fromCollection(Array.from({ length: 20 }, (_, i) => i))
      .map((x: number, ctx) => {
        if (x === 7 && ctx.attempt === 1) process.exit(3);
        return x * 2;
      })
      .collect();
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });
});
