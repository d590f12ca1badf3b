import { describe, expect, it } from 'vitest';
import { valueBatch } from '../../../src/dataflow/batch/index.js';
import { Aggregator, type AggEntry } from '../../../src/dataflow/exec/aggregate.js';
import type { AggDef } from '../../../src/dataflow/plan/logical.js';
import { entriesBatch, forEachEntry, isEntryBatch } from '../../../src/dataflow/exec/entry-batch.js';

const decode = (entries: AggEntry[], accs: number): AggEntry[] => {
  const batch = entriesBatch(entries, accs);
  expect(isEntryBatch(batch)).toBe(true);
  const out: AggEntry[] = [];
  forEachEntry(structuredClone(batch), ([key, first, values]) => out.push([key, first, [...values]]));
  return out;
};

describe('entry batches', () => {
  it('give back equal entries: string, number (-0, NaN) and mixed keys; any accumulators', () => {
    const strings: AggEntry[] = [['a', ['a', 1], [3]], ['b', null, [-0]], ['a', { x: 1 }, [Number.NaN]]];
    const numbers: AggEntry[] = [[-0, null, [[1, 2], undefined]], [Number.NaN, null, [[0, 0], 5]], [7, null, [[3, 1], 2n]]];
    const mixed: AggEntry[] = [[null, null, [1]], [undefined, null, [2]], [[1, 'x'], null, [3]], ['s', null, [4]], [1, null, [5]]];
    for (const [entries, accs] of [[strings, 1], [numbers, 2], [mixed, 1], [[], 3]] as const) {
      const decoded = decode([...entries], accs);
      expect(decoded).toEqual(entries);
      decoded.forEach((e, i) => typeof e[0] !== 'object' && expect(Object.is(e[0], entries[i]![0])).toBe(true));
    }
    expect(entriesBatch(strings, 1).columns.map((c) => c.type)).toEqual(['string', 'any', 'float64']);
    expect(isEntryBatch(valueBatch([1]))).toBe(false);
  });

  it('send tuple first records one column per element, and all-null first records as no column', () => {
    const tuples: AggEntry[] = [['a', ['a', 1], [1]], ['b', ['b', -0], [2]], ['c', ['c', { x: 1 }], [3]]];
    expect(decode(tuples, 1)).toEqual(tuples);
    expect(Object.is(decode(tuples, 1)[1]![1] && (decode(tuples, 1)[1]![1] as unknown[])[1], -0)).toBe(true);
    expect(entriesBatch(tuples, 1).columns.map((c) => c.type)).toEqual(['string', 'string', 'any', 'float64']);
    const pairs: AggEntry[] = [['a', ['a', 1], [1]], ['b', ['b', 2], [2]]];
    expect(entriesBatch(pairs, 1).columns.map((c) => c.type)).toEqual(['string', 'string', 'float64', 'float64']);
    expect(decode(pairs, 1)).toEqual(pairs);
    const nulls: AggEntry[] = [['a', null, [1]], ['b', null, [2]]];
    expect(entriesBatch(nulls, 1).columns.map((c) => c.type)).toEqual(['string', 'float64']);
    expect(decode(nulls, 1)).toEqual(nulls);
    const ragged: AggEntry[] = [['a', ['a', 1], [1]], ['b', ['b'], [2]], ['c', [], [3]]];
    expect(decode(ragged, 1)).toEqual(ragged);
    expect(decode([['a', [], [1]]], 1)).toEqual([['a', [], [1]]]);
  });
});

describe('an aggregator\'s entry batch', () => {
  const aggs: AggDef[] = [
    { kind: 'sum', field: 1, as: 's' },
    { kind: 'count', as: 'n' },
    { kind: 'avg', field: 1, as: 'a' },
    { kind: 'min', field: 1, as: 'lo' },
    { kind: 'max', field: 2, as: 'hi' },
    { kind: 'first', field: 2, as: 'f' },
    { kind: 'last', field: 1, as: 'l' },
  ];
  const records: unknown[][] = [
    ['a', 1, 'x'],
    ['b', -0, null],
    ['a', 2.5, 'y'],
    ['c', Number.NaN, 'z'],
    ['b', 4, undefined],
  ];
  const fill = (keyOf: (r: unknown[]) => unknown, keepFirst: boolean, rows = records): Aggregator => {
    const aggregator = new Aggregator(aggs, 'agg', keepFirst);
    for (const r of rows) aggregator.addRecord(r, keyOf(r));
    return aggregator;
  };

  it('is the batch of its entries, for string, number and mixed keys, with and without first records', () => {
    const keyFns: Array<(r: unknown[]) => unknown> = [(r) => r[0], (r) => (r[0] === 'a' ? 0 : r[0] === 'b' ? -0 : 7), (r) => (r[0] === 'a' ? 'a' : r[0] === 'b' ? 1 : null)];
    for (const keyOf of keyFns) {
      for (const keepFirst of [true, false]) {
        const aggregator = fill(keyOf, keepFirst);
        expect(aggregator.entryBatch()).toEqual(entriesBatch(aggregator.entries(), aggs.length));
      }
    }
    const objects = fill((r) => r[0], true, records.map((r) => ({ 0: r[0], 1: r[1], 2: r[2] }) as unknown as unknown[]));
    expect(objects.entryBatch()).toEqual(entriesBatch(objects.entries(), aggs.length));
  });

  it('shares the key column with a first-record element that is the key (keyBy(0))', () => {
    const batch = fill((r) => r[0], true).entryBatch();
    expect(batch.columns[1]).toBe(batch.columns[0]);
    expect(forEachEntries(batch)).toEqual(fill((r) => r[0], true).entries());
  });
});

function forEachEntries(batch: ReturnType<typeof entriesBatch>): AggEntry[] {
  const out: AggEntry[] = [];
  forEachEntry(batch, ([key, first, accs]) => out.push([key, first, [...accs]]));
  return out;
}
