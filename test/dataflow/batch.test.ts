import { describe, expect, it } from 'vitest';
import { batchFromRows, inferSchema, rowAt, rowReader, rowsOf, transferablesOf, valueBatch, ColumnBuilder, type Batch } from '../../src/dataflow/batch/index.js';

describe('columnar batches', () => {
  it('round-trips rows through typed columns, with nulls', () => {
    const rows = [
      { id: 1, key: 'a', value: 1.5, ok: true, ts: new Date(0) },
      { id: 2, key: 'b', value: null, ok: false, ts: new Date(1000) },
      { id: 3, key: 'a', value: 3, ok: null, ts: new Date(2000) },
    ];
    const batch = batchFromRows(rows);
    expect(batch.schema.fields.map((f) => `${f.name}:${f.type}${f.nullable ? '?' : ''}`)).toEqual([
      'id:float64',
      'key:string',
      'value:float64?',
      'ok:bool?',
      'ts:timestamp',
    ]);
    expect(rowsOf(batch)).toEqual(rows);
    const key = batch.columns[1]!;
    expect(key.type === 'string' && key.dictionary).toEqual(['a', 'b']);
  });

  it('reads rows a batch at a time exactly as one by one: every type, nulls, odd field names', () => {
    const names = ['id', 'key', 'value', 'ok', 'ts', 'any', 'n32', '__proto__', 'a "quoted" name', ''];
    const batch: Batch = {
      schema: { fields: names.map((name, c) => ({ name, type: (['float64', 'string', 'float64', 'bool', 'timestamp', 'any', 'int32', 'string', 'float64', 'int32'] as const)[c]!, nullable: true })) },
      length: 3,
      columns: [
        { type: 'float64', values: Float64Array.of(1, -0, Number.NaN) },
        { type: 'string', indices: Int32Array.of(1, 0, 1), dictionary: ['a', 'b'], validity: Uint8Array.of(0b101) },
        { type: 'float64', values: Float64Array.of(1.5, 0, 3), validity: Uint8Array.of(0b110) },
        { type: 'bool', values: Uint8Array.of(1, 0, 0), validity: Uint8Array.of(0b011) },
        { type: 'timestamp', values: Float64Array.of(0, 1000, 2000) },
        { type: 'any', values: [{ x: 1 }, undefined, null] },
        { type: 'int32', values: Int32Array.of(7, 8, 9) },
        { type: 'string', indices: Int32Array.of(0, 0, 0), dictionary: ['p'] },
        { type: 'float64', values: Float64Array.of(4, 5, 6) },
        { type: 'int32', values: Int32Array.of(1, 2, 3) },
      ],
    };
    const read = rowReader(batch);
    for (let i = 0; i < batch.length; i++) {
      const row = read(i) as Record<string, unknown>;
      expect(row).toEqual(rowAt(batch, i) as Record<string, unknown>);
      expect(Object.keys(row)).toEqual(names);
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('p');
    }
    expect(Object.is((read(1) as { id: number }).id, -0)).toBe(true);
    expect(rowsOf(batch)).toEqual([0, 1, 2].map(read));
    expect(rowReader(valueBatch(['x', 2]))(1)).toBe(2);
  });

  it('keeps rows valid after the last null, across growth', () => {
    const b = new ColumnBuilder('float64', 16);
    b.appendNull();
    for (let i = 1; i < 100; i++) b.append(i);
    const column = b.finish();
    const batch = { schema: { fields: [{ name: 'x', type: 'float64' as const, nullable: true }] }, length: 100, columns: [column] };
    const values = rowsOf(batch).map((r) => (r as { x: number | null }).x);
    expect(values[0]).toBeNull();
    expect(values.slice(1)).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
  });

  it('lists transferable buffers and passes value batches through', () => {
    const batch = batchFromRows([{ a: 1, s: 'x' }]);
    expect(transferablesOf(batch).size).toBe(2);
    expect(rowsOf(valueBatch([['w', 1]]))).toEqual([['w', 1]]);
    expect(inferSchema([{ a: 1 }, { a: 'x' }]).fields[0]!.type).toBe('any');
  });
});
