import { describe, expect, it, vi } from 'vitest';
import { batchFromRows, isValueBatch, rowsOf, valueBatch, type Batch, type Schema } from '../../../src/dataflow/batch/index.js';
import { buildChain } from '../../../src/dataflow/exec/operators.js';
import { createOutput } from '../../../src/dataflow/exec/outputs.js';
import { TypedPartialAggregator } from '../../../src/dataflow/exec/typed-aggregate.js';
import { entriesBatch, entriesOf, isEntryBatch } from '../../../src/dataflow/exec/entry-batch.js';
import type { OpSpec, TaskSpec, TaskStats } from '../../../src/dataflow/exec/task-spec.js';
import type { AggDef } from '../../../src/dataflow/plan/logical.js';
import type { TaskContext } from '../../../src/runtime/index.js';

const ctx = {} as TaskContext;

/** Seeded generator, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = Record<string, unknown>;

/** Random rows: string key `k`, number key `n` (with -0 and 0), values `v` and `w`; about 10% nulls. */
function randomRows(count: number, seed: number): Row[] {
  const random = prng(seed);
  const maybe = <T>(value: T): T | null => (random() < 0.1 ? null : value);
  return Array.from({ length: count }, () => ({
    k: maybe(`k${Math.floor(random() * 40)}`),
    n: maybe(random() < 0.05 ? -0 : Math.floor(random() * 30) - 10),
    v: maybe(Math.round(random() * 1e6) / 100),
    w: maybe(Math.floor(random() * 100) - 50),
  }));
}

const SCHEMA: Schema = {
  fields: [
    { name: 'k', type: 'string', nullable: true },
    { name: 'n', type: 'float64', nullable: true },
    { name: 'v', type: 'float64', nullable: true },
    { name: 'w', type: 'int32', nullable: true },
  ],
};

function typedBatches(rows: Row[], size: number): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < rows.length; i += size) out.push(batchFromRows(rows.slice(i, i + size), SCHEMA));
  return out;
}

const AGGS: AggDef[] = [
  { kind: 'sum', field: 'v', as: 'total' },
  { kind: 'count', as: 'count' },
  { kind: 'min', field: 'w', as: 'low' },
  { kind: 'max', field: 'v', as: 'high' },
  { kind: 'avg', field: 'w', as: 'mean' },
];

/** Runs a partial aggregation chain over `feed` and returns what it emitted (its entries; a typed state leaves as one entry batch). */
function partial(key: string, style: 'record' | 'row' | 'pair', aggs: readonly AggDef[], feed: (chain: ReturnType<typeof buildChain>) => void): unknown[] {
  const spec: OpSpec = { op: 'aggregate', phase: 'partial', key: { kind: 'field', field: key }, aggs, style, keyName: key, name: 'agg' };
  const out: unknown[] = [];
  const chain = buildChain([spec], new Map(), ctx, { push: (records) => out.push(...records), pushBatch: (batch) => out.push(...(isEntryBatch(batch) ? entriesOf(batch) : rowsOf(batch))) });
  feed(chain);
  void chain.close();
  return out;
}

describe('typed partial aggregation', () => {
  for (const key of ['k', 'n']) {
    for (const style of ['row', 'record'] as const) {
      it(`gives exactly the generic entries (key ${key}, style ${style}, random data with nulls)`, () => {
        const rows = randomRows(5000, key === 'k' ? 1 : 2);
        const batches = typedBatches(rows, 700);
        const generic = partial(key, style, AGGS, (chain) => batches.forEach((b) => void chain.push(rowsOf(b))));
        const typed = partial(key, style, AGGS, (chain) => batches.forEach((b) => void chain.pushBatch(b)));
        expect(typed).toEqual(generic);
        expect(Object.is((typed as Array<[unknown]>).find(([k]) => k === 0)?.[0], (generic as Array<[unknown]>).find(([k]) => k === 0)?.[0])).toBe(true);
      });
    }
  }

  it('falls back to the generic path mid-task for value batches and mixed types, keeping the state', () => {
    const rows = randomRows(3000, 3);
    const batches = typedBatches(rows, 500);
    // A batch whose `v` is a string column cannot be folded as numbers: the generic path must report it.
    const mixed: Row[] = [{ k: 'k1', n: 1, v: 2.5, w: 3 }, { k: 'k2', n: 2, v: 1, w: 1 }];
    const feed = (typed: boolean) => (chain: ReturnType<typeof buildChain>) => {
      batches.slice(0, 3).forEach((b) => void (typed ? chain.pushBatch(b) : chain.push(rowsOf(b))));
      void chain.pushBatch(valueBatch(mixed));
      batches.slice(3).forEach((b) => void (typed ? chain.pushBatch(b) : chain.push(rowsOf(b))));
    };
    expect(partial('k', 'row', AGGS, feed(true))).toEqual(partial('k', 'row', AGGS, feed(false)));
    const stringValues = batchFromRows([{ k: 'a', v: 'x' }], { fields: [{ name: 'k', type: 'string', nullable: true }, { name: 'v', type: 'string', nullable: true }] });
    expect(() => partial('k', 'row', [{ kind: 'sum', field: 'v', as: 's' }], (chain) => void chain.pushBatch(stringValues))).toThrow(/expected field "v" to be a number/);
  });

  it('leaves a batch with NaN to the generic path for min/max, which orders NaN after every number', () => {
    const rows = randomRows(1500, 5).map((r, i) => (i % 97 === 3 ? { ...r, v: Number.NaN } : r));
    const batches = typedBatches(rows, 400);
    const run = (typed: boolean): unknown[] => partial('k', 'row', AGGS, (chain) => batches.forEach((b) => void (typed ? chain.pushBatch(b) : chain.push(rowsOf(b)))));
    const typed = run(true);
    expect(typed).toEqual(run(false));
    // Some key's max saw NaN first and still ends at NaN only if every value was NaN: here none is.
    expect((typed as Array<[unknown, unknown, unknown[]]>).every(([, , accs]) => accs[3] === undefined || !Number.isNaN(accs[3]))).toBe(false);
  });

  it('hands its state over as one entry batch equal to the generic entries\' batch', () => {
    for (const style of ['row', 'record'] as const) {
      const spec: OpSpec = { op: 'aggregate', phase: 'partial', key: { kind: 'field', field: 'k' }, aggs: AGGS, style, keyName: 'k', name: 'agg' };
      const batches: Batch[] = [];
      const chain = buildChain([spec], new Map(), ctx, { push: () => expect.unreachable('records'), pushBatch: (batch) => batches.push(batch) });
      typedBatches(randomRows(3000, 6), 500).forEach((b) => void chain.pushBatch(b));
      void chain.close();
      expect(batches).toHaveLength(1);
      expect(batches[0]).toEqual(entriesBatch(entriesOf(batches[0]!), AGGS.length));
    }
  });

  it('keeps the generic path for first/last and for a key column it cannot read', () => {
    const rows = randomRows(1000, 4);
    const batches = typedBatches(rows, 300);
    const aggs: AggDef[] = [{ kind: 'first', field: 'v', as: 'f' }, { kind: 'sum', field: 'w', as: 's' }];
    const run = (typed: boolean, key: string, a: readonly AggDef[]): unknown[] => partial(key, 'row', a, (chain) => batches.forEach((b) => void (typed ? chain.pushBatch(b) : chain.push(rowsOf(b)))));
    expect(run(true, 'k', aggs)).toEqual(run(false, 'k', aggs));
    expect(run(true, 'missing', AGGS)).toEqual(run(false, 'missing', AGGS));
  });
});

describe('typed final aggregation', () => {
  const SUMS: AggDef[] = [
    { kind: 'sum', field: 'v', as: 'total' },
    { kind: 'count', as: 'rows' },
    { kind: 'sum', field: 'w', as: 'ws' },
  ];
  /** Partial entries of `rows` cut in `parts` tasks, as entry batches (typed) or as value batches of entries (generic). */
  const partialsOf = async (rows: Row[], key: string, aggs: readonly AggDef[], parts: number): Promise<Batch[]> => {
    const size = Math.ceil(rows.length / parts);
    const tasks = Array.from({ length: parts }, async (_, p) => {
      const spec: OpSpec = { op: 'aggregate', phase: 'partial', key: { kind: 'field', field: key }, aggs, style: 'row', keyName: key, name: 'agg' };
      const task: TaskSpec = { job: 0, stage: 0, partition: p, input: { kind: 'values', values: [] }, chain: [spec], output: { kind: 'hash', key: { kind: 'field', field: 0 }, parallelism: 1, maxParallelism: 128 } };
      const out = createOutput(task, new Map(), ctx, { rowsIn: 0, rowsOut: 0, skipped: 0, quarantined: 0, errors: [] });
      const chain = buildChain([spec], new Map(), ctx, { push: (records) => out.push(records), pushBatch: (batch) => out.pushBatch(batch) });
      typedBatches(rows.slice(p * size, (p + 1) * size), 300).forEach((b) => void chain.pushBatch(b));
      void chain.close();
      const result = await out.result();
      return result.kind === 'partitions' ? result.partitions[0]! : [];
    });
    return (await Promise.all(tasks)).flat();
  };
  /** Runs the final phase over `inputs`; returns its rows and whether they left as a typed batch. */
  const final = (key: string, aggs: readonly AggDef[], inputs: Batch[], next: OpSpec[] = []): { rows: unknown[]; typed: boolean } => {
    const spec: OpSpec = { op: 'aggregate', phase: 'final', key: { kind: 'field', field: 0 }, aggs, style: 'row', keyName: key, name: 'agg' };
    const rows: unknown[] = [];
    let typed = false;
    const chain = buildChain([spec, ...next], new Map(), ctx, {
      push: (records) => rows.push(...records),
      pushBatch: (batch) => {
        typed = true;
        rows.push(...rowsOf(batch));
      },
    });
    inputs.forEach((b) => void chain.pushBatch(b));
    void chain.close();
    return { rows, typed };
  };

  for (const key of ['k', 'n']) {
    it(`gives the generic rows, in order, as one typed batch (key ${key}; -0, null values; null keys go generic)`, async () => {
      for (const nullKeys of [false, true]) {
        const rows = randomRows(4000, 30 + key.length).filter((r) => nullKeys || r[key] !== null);
        const partials = await partialsOf(rows, key, SUMS, 3);
        const generic = final(key, SUMS, partials.map((b) => valueBatch(entriesOf(b))));
        const typed = final(key, SUMS, partials);
        expect(generic.typed).toBe(false);
        expect(typed.typed).toBe(!nullKeys);
        expect(typed.rows).toHaveLength(new Set(rows.map((r) => r[key])).size);
        expect(typed.rows).toEqual(generic.rows);
        const zero = (rows: unknown[]): unknown => (rows as Array<Record<string, unknown>>).find((r) => r[key] === 0)?.[key];
        expect(Object.is(zero(typed.rows), zero(generic.rows))).toBe(true);
      }
    });
  }

  it('gives Flink-style records and pairs from the typed state, exactly the generic ones, in order', () => {
    const random = prng(50);
    // Partial entries of `keyBy(0).sum(1)` over [word, n] tuples from three tasks: first records are tuples.
    const partials = Array.from({ length: 3 }, () => {
      const sums = new Map<string, number>();
      for (let i = 0; i < 400; i++) {
        const word = `w${Math.floor(random() * 60)}`;
        sums.set(word, (sums.get(word) ?? 0) + Math.round(random() * 100) / 10);
      }
      return [...sums].map(([word, sum]): [unknown, unknown, unknown[]] => [word, [word, 1], [sum, 2]]);
    });
    const aggs: AggDef[] = [{ kind: 'sum', field: 1, as: '1' }, { kind: 'count', as: 'n' }];
    const records = vi.spyOn(TypedPartialAggregator.prototype, 'records');
    for (const style of ['record', 'pair'] as const) {
      const run = (inputs: Batch[]): unknown[] => {
        const spec: OpSpec = { op: 'aggregate', phase: 'final', key: { kind: 'field', field: 0 }, aggs: style === 'pair' ? aggs.slice(0, 1) : aggs, style, keyName: 'key', name: 'agg' };
        const out: unknown[] = [];
        const chain = buildChain([spec], new Map(), ctx, { push: (r) => out.push(...r), pushBatch: () => expect.unreachable('a batch') });
        inputs.forEach((b) => void chain.pushBatch(b));
        void chain.close();
        return out;
      };
      records.mockClear();
      const typed = run(partials.map((entries) => entriesBatch(entries, 2)));
      expect(records).toHaveBeenCalledTimes(1);
      expect(typed).toEqual(run(partials.map((entries) => valueBatch(entries))));
      expect(typed).toHaveLength(60);
    }
    records.mockRestore();
  });

  it('switches to the generic path for a batch it cannot fold, and keeps it for min/max/avg', async () => {
    const rows = randomRows(2000, 40).filter((r) => r.n !== null);
    const partials = await partialsOf(rows, 'n', SUMS, 2);
    const entries = partials.map((b) => valueBatch(entriesOf(b)));
    const mixed = final('n', SUMS, [partials[0]!, entries[1]!]);
    expect(mixed.typed).toBe(false);
    expect(mixed.rows).toEqual(final('n', SUMS, entries).rows);
    expect(final('n', SUMS, partials).typed).toBe(true);
    const extremes = await partialsOf(rows, 'n', AGGS, 2);
    expect(final('n', AGGS, extremes)).toEqual(final('n', AGGS, extremes.map((b) => valueBatch(entriesOf(b)))));
  });
});

describe('typed hash exchange', () => {
  const task = (key: string, parallelism: number): TaskSpec => ({
    job: 0,
    stage: 0,
    partition: 0,
    input: { kind: 'values', values: [] },
    chain: [],
    output: { kind: 'hash', key: { kind: 'field', field: key }, parallelism, maxParallelism: 128 },
  });
  const stats = (): TaskStats => ({ rowsIn: 0, rowsOut: 0, skipped: 0, quarantined: 0, errors: [] });
  const partitionsOf = async (spec: TaskSpec, feed: (out: ReturnType<typeof createOutput>) => void): Promise<{ rows: unknown[][]; typed: number }> => {
    const out = createOutput(spec, new Map(), ctx, stats());
    feed(out);
    const result = await out.result();
    if (result.kind !== 'partitions') throw new Error(`expected partitions, got ${result.kind}`);
    return {
      rows: result.partitions.map((batches) => batches.flatMap((b) => (isValueBatch(b) ? [...(b.columns[0] as { values: readonly unknown[] }).values] : rowsOf(b)))),
      typed: result.partitions.flat().filter((b) => !isValueBatch(b)).length,
    };
  };

  for (const key of ['k', 'n', 'w']) {
    it(`sends every row where the generic partitioner does, in order (key ${key}, nulls included)`, async () => {
      const rows = randomRows(4000, 10 + key.length);
      const batches = typedBatches(rows, 900);
      const generic = await partitionsOf(task(key, 3), (out) => batches.forEach((b) => out.push(rowsOf(b))));
      const typed = await partitionsOf(task(key, 3), (out) => batches.forEach((b) => out.pushBatch(b)));
      expect(typed.rows).toEqual(generic.rows);
      expect(typed.typed).toBeGreaterThan(0);
    });
  }

  it('keeps the arrival order when typed batches and records are mixed', async () => {
    const rows = randomRows(2000, 20);
    const batches = typedBatches(rows, 400);
    const feed = (typed: boolean) => (out: ReturnType<typeof createOutput>) =>
      batches.forEach((b, i) => (typed && i % 2 === 0 ? out.pushBatch(b) : out.push(rowsOf(b))));
    expect((await partitionsOf(task('k', 2), feed(true))).rows).toEqual((await partitionsOf(task('k', 2), feed(false))).rows);
  });

  it('splits an entry batch by its key column where the generic partitioner sends each entry', async () => {
    const spec: OpSpec = { op: 'aggregate', phase: 'partial', key: { kind: 'field', field: 'k' }, aggs: AGGS, style: 'record', keyName: 'k', name: 'agg' };
    // The state of a typed partial aggregation: one entry batch (null keys too).
    const states: Batch[] = [];
    const chain = buildChain([spec], new Map(), ctx, { push: () => expect.unreachable('records'), pushBatch: (b) => states.push(b) });
    typedBatches(randomRows(3000, 7).filter((r) => r.k !== null), 600).forEach((b) => void chain.pushBatch(b));
    void chain.close();
    const exchange: TaskSpec = { ...task('k', 3), chain: [spec], output: { kind: 'hash', key: { kind: 'field', field: 0 }, parallelism: 3, maxParallelism: 128 } };
    const split = async (feed: (out: ReturnType<typeof createOutput>) => void): Promise<unknown[][]> => {
      const out = createOutput(exchange, new Map(), ctx, stats());
      feed(out);
      const result = await out.result();
      if (result.kind !== 'partitions') throw new Error(`expected partitions, got ${result.kind}`);
      expect(result.partitions.flat().every((b) => isEntryBatch(b))).toBe(true);
      return result.partitions.map((batches) => batches.flatMap(entriesOf));
    };
    const typed = await split((out) => out.pushBatch(states[0]!));
    expect(typed).toEqual(await split((out) => out.push(entriesOf(states[0]!))));
    expect(typed.filter((p) => p.length > 0)).toHaveLength(3);
  });

  it('partitions value batches and non-typable key columns through the generic path', async () => {
    const values = valueBatch([{ k: 'a' }, { k: 1 }, { k: null }, { k: [1, 2] }]);
    const generic = await partitionsOf(task('k', 2), (out) => out.push([{ k: 'a' }, { k: 1 }, { k: null }, { k: [1, 2] }]));
    const viaBatch = await partitionsOf(task('k', 2), (out) => out.pushBatch(values));
    expect(viaBatch.rows).toEqual(generic.rows);
    expect(viaBatch.typed).toBe(0);
  });
});

describe('the end of a chain', () => {
  it('hands a flatMap\'s records to the output in chunks, in order, whatever one input batch turns into', () => {
    const spec: OpSpec = { op: 'flatMap', fn: { ref: { kind: 'source', source: '', id: 'f' }, label: 'f' }, name: 'flatMap' };
    const fans = (n: number): number[] => Array.from({ length: 100 }, (_, i) => n * 100 + i);
    const pushes: number[][] = [];
    const chain = buildChain([spec], new Map([[spec.fn, fans as never]]), ctx, { push: (records) => pushes.push(records as number[]), pushBatch: () => expect.unreachable('a batch') });
    void chain.push(Array.from({ length: 100 }, (_, n) => n));
    void chain.push([100]);
    void chain.close();
    expect(pushes.flat()).toEqual(Array.from({ length: 10_100 }, (_, i) => i));
    expect(Math.max(...pushes.map((p) => p.length))).toBeLessThanOrEqual(4096);
    expect(pushes.at(-1)).toEqual(fans(100));
  });
});
