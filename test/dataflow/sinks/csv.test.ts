import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { valueBatch } from '../../../src/dataflow/batch/batch.js';
import { batchFromRows } from '../../../src/dataflow/batch/builder.js';
import { SinkError, csvField, writePart } from '../../../src/dataflow/sinks/index.js';
import { names, tempDir } from './helpers.js';

const schema = {
  fields: [
    { name: 'id', type: 'int32', nullable: false },
    { name: 'name', type: 'string', nullable: true },
    { name: 'score', type: 'float64', nullable: true },
    { name: 'ok', type: 'bool', nullable: true },
    { name: 'at', type: 'timestamp', nullable: true },
  ],
} as const;

describe('csvField', () => {
  it('quotes fields holding the delimiter, a quote, CR or LF, and doubles inner quotes (RFC 4180)', () => {
    expect(csvField('plain', ',')).toBe('plain');
    expect(csvField('a,b', ',')).toBe('"a,b"');
    expect(csvField('a,b', ';')).toBe('a,b');
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('say "hi"', ',')).toBe('"say ""hi"""');
    expect(csvField('two\nlines', ',')).toBe('"two\nlines"');
    expect(csvField('cr\rhere', ',')).toBe('"cr\rhere"');
  });

  it('writes nulls as empty fields and empty strings as "" so they stay distinct', () => {
    expect(csvField(null, ',')).toBe('');
    expect(csvField(undefined, ',')).toBe('');
    expect(csvField('', ',')).toBe('""');
  });

  it('writes timestamps as ISO-8601, booleans, numbers and nested values as JSON', () => {
    expect(csvField(new Date(Date.UTC(2024, 1, 29, 12, 30)), ',')).toBe('2024-02-29T12:30:00.000Z');
    expect(csvField(new Date(Number.NaN), ',')).toBe('');
    expect(csvField(true, ',')).toBe('true');
    expect(csvField(-1.5, ',')).toBe('-1.5');
    expect(csvField(12n, ',')).toBe('12');
    expect(csvField({ a: [1, 2] }, ',')).toBe('"{""a"":[1,2]}"');
  });
});

describe('writePart as CSV', () => {
  it('writes typed batches under one header with quoting, nulls and ISO timestamps', async () => {
    const dir = await tempDir();
    const at = Date.UTC(2021, 0, 2, 3, 4, 5, 6);
    const first = batchFromRows(
      [
        { id: 1, name: 'plain', score: 1.5, ok: true, at: new Date(at) },
        { id: 2, name: 'a,b "q"\nc', score: null, ok: null, at: null },
      ],
      schema,
    );
    const second = batchFromRows([{ id: 3, name: null, score: 0, ok: false, at: new Date(0) }], schema);
    const { rows, file } = await writePart(dir, 7, 'csv', [first, second], {});
    expect(rows).toBe(3);
    expect(basename(file)).toBe('part-00007.csv');
    expect(await readFile(file, 'utf8')).toBe(
      'id,name,score,ok,at\n' +
        '1,plain,1.5,true,2021-01-02T03:04:05.006Z\n' +
        '2,"a,b ""q""\nc",,,\n' +
        '3,,0,false,1970-01-01T00:00:00.000Z\n',
    );
    expect(await names(dir)).toEqual(['part-00007.csv']);
  });

  it('honours header: false and another delimiter', async () => {
    const dir = await tempDir();
    const batch = batchFromRows([{ a: 'x;y', b: 2 }]);
    const { file } = await writePart(dir, 0, 'csv', [batch], { header: false, delimiter: ';' });
    expect(await readFile(file, 'utf8')).toBe('"x;y";2\n');
  });

  it('writes value batches: objects as rows, arrays as positional columns, primitives as `value`', async () => {
    const dir = await tempDir();
    const objects = await writePart(dir, 0, 'csv', [valueBatch([{ w: 'a', n: 1 }, { w: 'b' }, null]), valueBatch([{ n: 3, w: 'c' }])], {});
    expect(await readFile(objects.file, 'utf8')).toBe('w,n\na,1\nb,\n,\nc,3\n');
    const arrays = await writePart(dir, 1, 'csv', [valueBatch([['a', 1], ['b', 2, true]])], {});
    expect(await readFile(arrays.file, 'utf8')).toBe('_1,_2,_3\na,1,\nb,2,true\n');
    const primitives = await writePart(dir, 2, 'csv', [valueBatch(['x', 2, new Date(0), null])], {});
    expect(await readFile(primitives.file, 'utf8')).toBe('value\nx\n2\n1970-01-01T00:00:00.000Z\n\n');
  });

  it('takes the columns from the first non-empty batch and writes an empty file for no rows', async () => {
    const dir = await tempDir();
    const { file, rows } = await writePart(dir, 0, 'csv', [valueBatch([]), valueBatch([{ a: 1 }])], {});
    expect(rows).toBe(1);
    expect(await readFile(file, 'utf8')).toBe('a\n1\n');
    const empty = await writePart(dir, 1, 'csv', [], {});
    expect(empty.rows).toBe(0);
    expect(await readFile(empty.file, 'utf8')).toBe('');
    const typedEmpty = await writePart(dir, 2, 'csv', [batchFromRows([], schema)], {});
    expect(await readFile(typedEmpty.file, 'utf8')).toBe('id,name,score,ok,at\n');
  });

  it('accepts an async iterable of batches', async () => {
    const dir = await tempDir();
    async function* gen(): AsyncGenerator<ReturnType<typeof valueBatch>> {
      for (let i = 0; i < 3; i++) yield await Promise.resolve(valueBatch([i]));
    }
    const { file, rows } = await writePart(dir, 0, 'csv', gen(), {});
    expect(rows).toBe(3);
    expect(await readFile(file, 'utf8')).toBe('value\n0\n1\n2\n');
  });

  it('refuses a row with a key the header does not have, leaving no part file', async () => {
    const dir = await tempDir();
    const write = writePart(dir, 0, 'csv', [valueBatch([{ a: 1 }]), valueBatch([{ a: 2, b: 3 }])], {});
    await expect(write).rejects.toBeInstanceOf(SinkError);
    await expect(write).rejects.toThrow(/extra key "b".*Give the rows one shape/s);
    expect(await names(dir)).toEqual([]);
  });

  it('refuses mixing typed batches of other columns, and bad options', async () => {
    const dir = await tempDir();
    await expect(writePart(dir, 0, 'csv', [batchFromRows([{ a: 1 }]), batchFromRows([{ b: 1 }])], {})).rejects.toThrow(/columns \[a\].*\[b\]/s);
    await expect(writePart(dir, 0, 'csv', [], { delimiter: '"' })).rejects.toThrow(/delimiter/);
    await expect(writePart(dir, -1, 'csv', [], {})).rejects.toThrow(/partition to be an integer/);
    await expect(writePart(dir, 0, 'xml' as 'csv', [], {})).rejects.toThrow(/'csv', 'json', 'parquet'/);
  });
});
