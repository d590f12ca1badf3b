import { describe, expect, it } from 'vitest';
import { batchFromRows, inferSchema, rowsOf, transferablesOf, valueBatch, ColumnBuilder } from '../../src/dataflow/batch/index.js';

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
