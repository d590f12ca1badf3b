import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { valueBatch } from '../../../src/dataflow/batch/batch.js';
import { batchFromRows } from '../../../src/dataflow/batch/builder.js';
import { ROW_GROUP_ROWS, SinkError, writePart } from '../../../src/dataflow/sinks/index.js';
import { names, tempDir } from './helpers.js';

async function read(file: string): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({ file: await asyncBufferFromFile(file) });
}

async function columnTypes(file: string): Promise<Record<string, string>> {
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
  const out: Record<string, string> = {};
  for (const el of metadata.schema.slice(1)) out[el.name] = [el.type, el.converted_type].filter(Boolean).join('/');
  return out;
}

describe('writePart as Parquet', () => {
  it('maps batch column types to Parquet types and keeps nulls and timestamps', async () => {
    const dir = await tempDir();
    const schema = {
      fields: [
        { name: 'id', type: 'int32', nullable: false },
        { name: 'name', type: 'string', nullable: true },
        { name: 'score', type: 'float64', nullable: true },
        { name: 'ok', type: 'bool', nullable: true },
        { name: 'at', type: 'timestamp', nullable: true },
        { name: 'extra', type: 'any', nullable: true },
      ],
    } as const;
    const at = new Date(Date.UTC(2022, 2, 3, 4, 5, 6, 7));
    const batch = batchFromRows(
      [
        { id: 1, name: 'a', score: 0.5, ok: true, at, extra: { k: [1, 2] } },
        { id: 2, name: null, score: null, ok: null, at: null, extra: null },
      ],
      schema,
    );
    const { rows, file } = await writePart(dir, 3, 'parquet', [batch], {});
    expect(rows).toBe(2);
    expect(basename(file)).toBe('part-00003.parquet');
    expect(await columnTypes(file)).toEqual({
      id: 'INT32',
      name: 'BYTE_ARRAY/UTF8',
      score: 'DOUBLE',
      ok: 'BOOLEAN',
      at: 'INT64/TIMESTAMP_MILLIS',
      extra: 'BYTE_ARRAY/JSON',
    });
    expect(await read(file)).toEqual([
      { id: 1, name: 'a', score: 0.5, ok: true, at, extra: { k: [1, 2] } },
      { id: 2, name: null, score: null, ok: null, at: null, extra: null },
    ]);
  });

  it('gives the columns named in columnTypes their type: INT32, INT64, DATE and the rest, read back by other readers', async () => {
    const dir = await tempDir();
    const rows = [
      { year: 2013, big: 2 ** 40, day: new Date(Date.UTC(2013, 0, 2)), iso: '2013-01-03', n: 1.5 },
      { year: null, big: null, day: null, iso: null, n: null },
    ];
    const { file } = await writePart(dir, 0, 'parquet', [valueBatch(rows)], { columnTypes: { year: 'int32', big: 'int64', day: 'date', iso: 'date' } });
    expect(await columnTypes(file)).toEqual({ year: 'INT32', big: 'INT64', day: 'INT32/DATE', iso: 'INT32/DATE', n: 'DOUBLE' });
    const [first, second] = await read(file);
    expect(first).toEqual({ year: 2013, big: 2n ** 40n, day: new Date(Date.UTC(2013, 0, 2)), iso: new Date(Date.UTC(2013, 0, 3)), n: 1.5 });
    expect(second).toEqual({ year: null, big: null, day: null, iso: null, n: null });
  });

  it('refuses a value that does not fit its declared type, an unknown type and a column the rows lack', async () => {
    const dir = await tempDir();
    await expect(writePart(dir, 0, 'parquet', [valueBatch([{ year: 2013.5 }])], { columnTypes: { year: 'int32' } })).rejects.toThrow(
      /Expected every value of Parquet column "year" in .* to be INT32 \(the type declared in `columnTypes`.*\), but found number 2013\.5/,
    );
    await expect(writePart(dir, 1, 'parquet', [valueBatch([{ day: 'tomorrow' }])], { columnTypes: { day: 'date' } })).rejects.toThrow(/to be DATE/);
    await expect(writePart(dir, 2, 'parquet', [valueBatch([{ year: 1 }])], { columnTypes: { year: 'integer' as never } })).rejects.toThrow(
      /Expected the type of column "year" in `columnTypes` to be one of double, int32, int64, boolean, string, date, timestamp, json, got string "integer"/,
    );
    await expect(writePart(dir, 3, 'parquet', [valueBatch([{ year: 1 }])], { columnTypes: { yaer: 'int32' } })).rejects.toThrow(
      /Expected the columns named in `columnTypes` to be columns of the rows written to .*, but "yaer" is not; the rows have "year"/,
    );
  });

  it('infers value columns: objects as rows, arrays positionally, primitives as `value`', async () => {
    const dir = await tempDir();
    const objects = await writePart(dir, 0, 'parquet', [valueBatch([{ w: 'a', n: 1, when: new Date(5) }, { w: 'b', n: null }])], {});
    expect(await columnTypes(objects.file)).toEqual({ w: 'BYTE_ARRAY/UTF8', n: 'DOUBLE', when: 'INT64/TIMESTAMP_MILLIS' });
    expect(await read(objects.file)).toEqual([
      { w: 'a', n: 1, when: new Date(5) },
      { w: 'b', n: null, when: null },
    ]);
    const arrays = await writePart(dir, 1, 'parquet', [valueBatch([['a', true], ['b', false]])], {});
    expect(await read(arrays.file)).toEqual([
      { _1: 'a', _2: true },
      { _1: 'b', _2: false },
    ]);
    const mixed = await writePart(dir, 2, 'parquet', [valueBatch([1, 'two', null])], {});
    expect(await columnTypes(mixed.file)).toEqual({ value: 'BYTE_ARRAY/JSON' });
    expect(await read(mixed.file)).toEqual([{ value: 1 }, { value: 'two' }, { value: null }]);
  });

  it('streams more rows than one row group into several row groups', async () => {
    const dir = await tempDir();
    const total = ROW_GROUP_ROWS + 1000;
    const batches = Array.from({ length: Math.ceil(total / 4096) }, (_, b) =>
      batchFromRows(Array.from({ length: Math.min(4096, total - b * 4096) }, (_, i) => ({ i: b * 4096 + i }))),
    );
    const { file, rows } = await writePart(dir, 0, 'parquet', batches, {});
    expect(rows).toBe(total);
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([ROW_GROUP_ROWS, 1000]);
    const back = await read(file);
    expect(back).toHaveLength(total);
    expect(back[total - 1]).toEqual({ i: total - 1 });
  });

  it('writes a valid empty file when the part has no rows', async () => {
    const dir = await tempDir();
    const typed = await writePart(dir, 0, 'parquet', [batchFromRows([], { fields: [{ name: 'a', type: 'float64', nullable: true }] })], {});
    expect(await columnTypes(typed.file)).toEqual({ a: 'DOUBLE' });
    expect(await read(typed.file)).toEqual([]);
    const none = await writePart(dir, 1, 'parquet', [], {});
    expect(none.rows).toBe(0);
    expect(await read(none.file)).toEqual([]);
  });

  it('refuses a value that does not fit the type its first row group gave the column, leaving no part file', async () => {
    const dir = await tempDir();
    const numbers = valueBatch(Array.from({ length: ROW_GROUP_ROWS }, (_, i) => ({ n: i })));
    const write = writePart(dir, 0, 'parquet', [numbers, valueBatch([{ n: 'one' }])], {});
    await expect(write).rejects.toBeInstanceOf(SinkError);
    await expect(write).rejects.toThrow(/column "n" .* DOUBLE .*string "one"/s);
    expect(await names(dir)).toEqual([]);
  });
});
