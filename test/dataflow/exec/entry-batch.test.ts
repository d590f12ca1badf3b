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
});
