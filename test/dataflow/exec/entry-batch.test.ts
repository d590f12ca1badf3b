import { describe, expect, it } from 'vitest';
import { valueBatch } from '../../../src/dataflow/batch/index.js';
import type { AggEntry } from '../../../src/dataflow/exec/aggregate.js';
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
