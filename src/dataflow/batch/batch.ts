/**
 * Columnar batches: how data moves between dataflow tasks and workers (DESIGN.md principle 4).
 *
 * The layout is Arrow's: one typed array per column plus an optional validity bitmap, strings
 * dictionary-encoded (Int32 indices into a string table, Arrow's dictionary type). Every buffer is
 * a plain typed array, so a batch moves between threads by transfer, not by copy, and costs one
 * structured clone of a few arrays between processes. Records produced by user lambdas that are
 * not flat rows travel in an `any` column (structured clone of the values).
 *
 * User functions never see columns: they see rows, built lazily by {@link rowAt} or, a batch at a
 * time, by `rowReader` (row-reader.ts).
 */

/** Column types. Numbers are float64 unless a schema says int32; timestamps are epoch ms; `any` holds arbitrary values. */
export const COLUMN_TYPES = ['string', 'float64', 'int32', 'bool', 'timestamp', 'any'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** One named, typed column of a schema. */
export interface Field {
  readonly name: string;
  readonly type: ColumnType;
  /** Whether the column may hold nulls. */
  readonly nullable: boolean;
}

/** The columns of a batch, in order. */
export interface Schema {
  readonly fields: readonly Field[];
}

/**
 * Validity bitmap, Arrow-style: bit i of byte i>>3 set means row i is valid (not null).
 * Absent means every row is valid.
 */
export type Validity = Uint8Array | undefined;

export type Column =
  | { readonly type: 'float64' | 'timestamp'; readonly values: Float64Array; readonly validity?: Validity }
  | { readonly type: 'int32'; readonly values: Int32Array; readonly validity?: Validity }
  | { readonly type: 'bool'; readonly values: Uint8Array; readonly validity?: Validity }
  /** Dictionary-encoded strings: `dictionary[indices[i]]`. */
  | { readonly type: 'string'; readonly indices: Int32Array; readonly dictionary: readonly string[]; readonly validity?: Validity }
  /** Arbitrary JS values (tuples, objects): sent by structured clone. `undefined` entries are nulls. */
  | { readonly type: 'any'; readonly values: readonly unknown[] };

/** A slice of a dataset: `length` rows in columns matching `schema.fields`. */
export interface Batch {
  readonly schema: Schema;
  readonly length: number;
  readonly columns: readonly Column[];
}

/** The schema of a batch whose rows are arbitrary JS values (one `any` column named `value`). */
export const VALUE_SCHEMA: Schema = Object.freeze({ fields: Object.freeze([{ name: 'value', type: 'any', nullable: true } satisfies Field]) });

/** True when the batch holds arbitrary values rather than typed rows. */
export function isValueBatch(batch: Batch): boolean {
  return isValueSchema(batch.schema);
}

/** True when a schema describes arbitrary values rather than typed rows (see {@link VALUE_SCHEMA}). */
export function isValueSchema(schema: Schema): boolean {
  return schema.fields.length === 1 && schema.fields[0]!.type === 'any' && schema.fields[0]!.name === 'value';
}

/** A batch of arbitrary JS values. */
export function valueBatch(values: readonly unknown[]): Batch {
  return { schema: VALUE_SCHEMA, length: values.length, columns: [{ type: 'any', values }] };
}

/** True when row `i` of the column is valid (not null). */
export function isValid(column: Column, i: number): boolean {
  if (column.type === 'any') return column.values[i] !== undefined && column.values[i] !== null;
  const validity = column.validity;
  return validity === undefined || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
}

/** The value of row `i` of a column as a JS value (`null` for nulls; timestamps as `Date`). */
export function valueAt(column: Column, i: number): unknown {
  if (!isValid(column, i)) return null;
  switch (column.type) {
    case 'float64':
    case 'int32':
      return column.values[i];
    case 'timestamp':
      return new Date(column.values[i]!);
    case 'bool':
      return column.values[i] === 1;
    case 'string':
      return column.dictionary[column.indices[i]!];
    case 'any':
      return column.values[i];
  }
}

/** Row `i` as a plain object `{ field: value }`, or the value itself for a value batch (for many rows of one batch, `rowReader` is faster). */
export function rowAt(batch: Batch, i: number): unknown {
  if (isValueBatch(batch)) return (batch.columns[0] as { values: readonly unknown[] }).values[i];
  const row: Record<string, unknown> = {};
  const fields = batch.schema.fields;
  for (let c = 0; c < fields.length; c++) {
    const name = fields[c]!.name;
    const value = valueAt(batch.columns[c]!, i);
    // Assigning `__proto__` would set the prototype: a field of that name is an own property.
    if (name === '__proto__') Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
    else row[name] = value;
  }
  return row;
}

/** The index of a field by name, or -1. */
export function fieldIndex(schema: Schema, name: string): number {
  return schema.fields.findIndex((f) => f.name === name);
}

/** Buffers of a batch that can be transferred to another thread (typed arrays' ArrayBuffers). */
export function transferablesOf(batch: Batch, into: Set<ArrayBuffer> = new Set()): Set<ArrayBuffer> {
  for (const column of batch.columns) {
    if (column.type === 'any') continue;
    const arrays: ArrayBufferView[] = column.type === 'string' ? [column.indices] : [column.values];
    if (column.validity) arrays.push(column.validity);
    for (const array of arrays) if (array.buffer instanceof ArrayBuffer) into.add(array.buffer);
  }
  return into;
}
