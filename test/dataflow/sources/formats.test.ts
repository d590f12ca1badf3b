import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { isValueBatch, rowsOf } from '../../../src/dataflow/batch/index.js';
import { collectionSplits, newSplitStats, planSplits, readSplit } from '../../../src/dataflow/sources/index.js';
import { readAll, readBatches, tempDir } from './helpers.js';

describe('NDJSON, Parquet and collections', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  const people = Array.from({ length: 25 }, (_, i) => ({ id: i, name: `p${i % 4}`, score: i / 2, ok: i % 3 === 0 }));
  beforeAll(async () => {
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: Int32Array.from(people, (p) => p.id), type: 'INT32' },
        { name: 'name', data: people.map((p) => p.name), type: 'STRING' },
        { name: 'score', data: Float64Array.from(people, (p) => p.score), type: 'DOUBLE' },
        { name: 'ok', data: people.map((p) => p.ok), type: 'BOOLEAN' },
        { name: 'at', data: people.map((p) => new Date(Date.UTC(2024, 0, 1 + p.id))), type: 'TIMESTAMP' },
      ],
      rowGroupSize: 10,
    });
    tmp = await tempDir({
      'people.ndjson': `${people.map((p) => JSON.stringify(p)).join('\n')}\n`,
      'mixed.ndjson': '{"a":1}\n{"a":"two"}\n{"b":true}\n',
      'values.ndjson': '1\n"two"\n[3]\n',
      'people.parquet': new Uint8Array(parquet),
    });
  });
  afterAll(() => tmp.cleanup());

  it('NDJSON objects become typed batches, identical for every split size', async () => {
    const { schema } = await planSplits('ndjson', tmp.path('people.ndjson'), {}, 1);
    expect(schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'float64'],
      ['name', 'string'],
      ['score', 'float64'],
      ['ok', 'bool'],
    ]);
    for (const splitSize of [5, 40, 1 << 20]) expect((await readAll('ndjson', tmp.path('people.ndjson'), { splitSize, batchRows: 4 })).rows).toEqual(people);
  });

  it('NDJSON with mixed types uses any columns; absent keys are nulls', async () => {
    const { rows, splits } = await readAll('ndjson', tmp.path('mixed.ndjson'));
    expect(splits[0]!.schema!.fields.map((f) => [f.name, f.type])).toEqual([
      ['a', 'any'],
      ['b', 'bool'],
    ]);
    expect(rows).toEqual([
      { a: 1, b: null },
      { a: 'two', b: null },
      { a: null, b: true },
    ]);
  });

  it('NDJSON of non-objects becomes value batches', async () => {
    const { rows, splits } = await readAll('ndjson', tmp.path('values.ndjson'));
    const batches = await readBatches(splits[0]!);
    expect(isValueBatch(batches[0]!)).toBe(true);
    expect(rows).toEqual([1, 'two', [3]]);
  });

  it('Parquet: one split per row group, typed columns, every row once', async () => {
    const { splits, schema } = await planSplits('parquet', tmp.path('people.parquet'), { splitSize: 1 }, 1);
    expect(splits.map((s) => [s.rowGroup, s.start, s.end])).toEqual([
      [0, 0, 10],
      [1, 10, 20],
      [2, 20, 25],
    ]);
    expect(schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'int32'],
      ['name', 'string'],
      ['score', 'float64'],
      ['ok', 'bool'],
      ['at', 'timestamp'],
    ]);
    const stats = newSplitStats();
    const rows: unknown[] = [];
    for (const split of splits) for await (const batch of readSplit({ ...split, options: { batchRows: 3 } }, stats)) rows.push(...rowsOf(batch));
    expect(stats.rows).toBe(25);
    expect(rows).toEqual(people.map((p) => ({ ...p, at: new Date(Date.UTC(2024, 0, 1 + p.id)) })));
  });

  it('Parquet: a file without rows (the part of a task that got none) adds no splits and no schema conflict', async () => {
    const empty = parquetWriteBuffer({ columnData: [] });
    const dir = await tempDir({ 'part-00000.parquet': new Uint8Array(empty), 'part-00001.parquet': new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: Int32Array.from([1, 2]), type: 'INT32' }] })) });
    try {
      const { splits, schema } = await planSplits('parquet', [dir.path('part-00000.parquet'), dir.path('part-00001.parquet')], {}, 1);
      expect(schema.fields.map((f) => f.name)).toEqual(['id']);
      expect(splits.map((s) => [s.path.endsWith('part-00001.parquet'), s.start, s.end])).toEqual([[true, 0, 2]]);
    } finally {
      await dir.cleanup();
    }
  });

  it('Parquet rejects a file that is not Parquet with the path', async () => {
    await expect(planSplits('parquet', tmp.path('people.ndjson'), {}, 1)).rejects.toThrow(/people\.ndjson to be a Parquet file/);
  });

  it('collections: uniform objects become typed batches, anything else value batches, in order', async () => {
    const splits = collectionSplits(people, 3);
    expect(splits).toHaveLength(3);
    expect(splits[0]!.schema!.fields.map((f) => f.type)).toEqual(['float64', 'string', 'float64', 'bool']);
    const typed: unknown[] = [];
    for (const split of structuredClone(splits)) for (const batch of await readBatches(split)) typed.push(...rowsOf(batch));
    expect(typed).toEqual(people);

    const mixed = [1, 'a', { x: 1 }, [2]];
    const valueSplits = collectionSplits(mixed, 8);
    expect(valueSplits).toHaveLength(4);
    const values: unknown[] = [];
    for (const split of valueSplits) {
      for (const batch of await readBatches(split)) {
        expect(isValueBatch(batch)).toBe(true);
        values.push(...rowsOf(batch));
      }
    }
    expect(values).toEqual(mixed);
    expect(collectionSplits([], 4)).toHaveLength(1);
    expect(() => collectionSplits([1], 0)).toThrow(/parallelism/);
  });

  it('stops reading when the signal aborts', async () => {
    const { splits } = await planSplits('text', tmp.path('people.ndjson'), {}, 1);
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    const reading = (async () => {
      for await (const _ of readSplit(splits[0]!, newSplitStats(), controller.signal)) void _;
    })();
    await expect(reading).rejects.toThrow('stop now');
  });
});
