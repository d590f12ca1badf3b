/**
 * The table a sink writes, whatever batches it is given. Typed batches are tables already. Value
 * batches (one `any` column, DESIGN.md principle 4) hold what user lambdas returned, so this
 * module decides how those values become rows: plain objects give one column per key, arrays one
 * column per position (`_1`, `_2`, … as Spark names tuple fields), anything else one column
 * `value`. The columns are fixed by the first non-empty batch of a part, because CSV headers and
 * Parquet schemas are written before the rest of the rows arrive; a later row that does not fit
 * fails with a {@link SinkError} that says how to give the rows one shape.
 */
import type { Batch, ColumnType } from '../batch/batch.js';
import { isValueBatch, valueAt } from '../batch/batch.js';
import { describeValue } from '../../errors.js';
import { SinkError } from './errors.js';

/** How the rows of a part map to columns. */
export interface RowShape {
  /** Where the columns came from: a typed schema, object keys, array positions or bare values. */
  readonly kind: 'typed' | 'object' | 'array' | 'primitive';
  /** Column names, in output order. */
  readonly columns: readonly string[];
  /** Column types of a typed schema; `undefined` for value columns, whose type is inferred. */
  readonly types: readonly (ColumnType | undefined)[];
}

/** True for values written as one object row: plain objects, not arrays, dates or binary data. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  return !(value instanceof Map || value instanceof Set);
}

/** The shape of a batch's rows, or `undefined` for an empty value batch (the shape is still open). */
export function shapeOf(batch: Batch): RowShape | undefined {
  if (!isValueBatch(batch)) {
    return { kind: 'typed', columns: batch.schema.fields.map((f) => f.name), types: batch.schema.fields.map((f) => f.type) };
  }
  if (batch.length === 0) return undefined;
  const values = valueColumn(batch);
  const first = values.find((v) => v !== null && v !== undefined);
  if (isRecord(first)) {
    const keys = new Set<string>();
    for (const v of values) if (isRecord(v)) for (const k of Object.keys(v)) keys.add(k);
    return valueShape('object', [...keys]);
  }
  if (Array.isArray(first)) {
    let width = 0;
    for (const v of values) if (Array.isArray(v)) width = Math.max(width, v.length);
    return valueShape('array', Array.from({ length: width }, (_, i) => `_${i + 1}`));
  }
  return valueShape('primitive', ['value']);
}

function valueShape(kind: RowShape['kind'], columns: string[]): RowShape {
  return { kind, columns, types: columns.map(() => undefined) };
}

function valueColumn(batch: Batch): readonly unknown[] {
  return (batch.columns[0] as { values: readonly unknown[] }).values;
}

/**
 * The rows of a batch as arrays of cells aligned with `shape.columns`: `null` for nulls, `Date`
 * for timestamps, other values as they are. `where` names the part file for error messages.
 */
export function* cellsOf(batch: Batch, shape: RowShape, where: string): Generator<unknown[]> {
  if (!isValueBatch(batch)) {
    checkTypedSchema(batch, shape, where);
    const n = shape.columns.length;
    for (let i = 0; i < batch.length; i++) {
      const row = new Array<unknown>(n);
      for (let c = 0; c < n; c++) row[c] = valueAt(batch.columns[c]!, i);
      yield row;
    }
    return;
  }
  if (shape.kind === 'typed') throw shapeError(where, shape, 'a value batch (one `any` column)');
  for (const value of valueColumn(batch)) yield valueCells(value, shape, where);
}

/** One value of a value batch as cells of `shape`. */
export function valueCells(value: unknown, shape: RowShape, where: string): unknown[] {
  const n = shape.columns.length;
  if (value === null || value === undefined) return new Array<unknown>(n).fill(null);
  switch (shape.kind) {
    case 'object': {
      if (!isRecord(value)) throw shapeError(where, shape, describeValue(value));
      const row = shape.columns.map((c) => value[c] ?? null);
      for (const key of Object.keys(value)) {
        if (!shape.columns.includes(key)) throw shapeError(where, shape, `an object with the extra key ${JSON.stringify(key)}`);
      }
      return row;
    }
    case 'array':
      if (!Array.isArray(value)) throw shapeError(where, shape, describeValue(value));
      if (value.length > n) throw shapeError(where, shape, `an array of ${value.length}`);
      return shape.columns.map((_, i) => (value[i] as unknown) ?? null);
    default:
      if (isRecord(value) || Array.isArray(value)) throw shapeError(where, shape, describeValue(value));
      return [value];
  }
}

function checkTypedSchema(batch: Batch, shape: RowShape, where: string): void {
  const names = batch.schema.fields.map((f) => f.name);
  if (shape.kind !== 'typed' || names.length !== shape.columns.length || names.some((name, i) => name !== shape.columns[i])) {
    throw shapeError(where, shape, `a typed batch with columns [${names.join(', ')}]`);
  }
}

/** How to fix rows of different shapes in a CSV or Parquet output. */
export const ONE_SHAPE_HINT =
  'Give the rows one shape before writing, e.g. `.map((r) => ({ a: r.a ?? null, b: r.b ?? null }))`, or write NDJSON, which accepts any objects.';

/** The error for a row that does not fit the shape fixed by the part's first batch. */
export function shapeError(where: string, shape: RowShape, found: string): SinkError {
  const expected =
    shape.kind === 'typed' || shape.kind === 'object'
      ? `${shape.kind === 'typed' ? 'typed rows' : 'objects'} with the columns [${shape.columns.join(', ')}]`
      : shape.kind === 'array'
        ? `arrays of at most ${shape.columns.length} values`
        : 'single values (not objects or arrays)';
  return new SinkError(
    `Expected every row written to ${where} to be ${expected}, as fixed by its first batch, but found ${found}. ${ONE_SHAPE_HINT}`,
    { code: 'WEFT_SINK_SHAPE', path: where },
  );
}
