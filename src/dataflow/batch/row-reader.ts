/**
 * Rows of a typed batch as plain objects, for the user functions that read them — the hot path of
 * every `map`/`filter` over CSV, Parquet or NDJSON. {@link rowAt} builds one row generically (a
 * switch on each column's type, one keyed store per field); a {@link rowReader} does the work per
 * batch instead of per row: one reader per column, specialised to its type and validity, and one
 * object literal per row from a factory compiled once per list of field names, so every row of a
 * schema has the same shape from birth. Values are exactly {@link valueAt}'s.
 */
import { isValueBatch, type Batch, type Column } from './batch.js';

type Read = (i: number) => unknown;
type RowFactory = (readers: readonly Read[]) => Read;

/** Compiled factories by field-name list; bounded, so a process that meets endless schemas does not grow. */
const factories = new Map<string, RowFactory>();
const MAX_FACTORIES = 512;

/** A function giving row `i` of the batch (`{ field: value }`, or the value itself for a value batch). */
export function rowReader(batch: Batch): Read {
  if (isValueBatch(batch)) {
    const values = (batch.columns[0] as { values: readonly unknown[] }).values;
    return (i) => values[i];
  }
  return factoryFor(batch.schema.fields.map((f) => f.name))(batch.columns.map(columnReader));
}

/** Every row of a batch, materialised. */
export function rowsOf(batch: Batch): unknown[] {
  const read = rowReader(batch);
  const out = new Array<unknown>(batch.length);
  for (let i = 0; i < batch.length; i++) out[i] = read(i);
  return out;
}

/** A column's value at row `i`: `null` for nulls, timestamps as `Date`, booleans from 0/1. */
function columnReader(column: Column): Read {
  if (column.type === 'any') {
    const values = column.values;
    return (i) => values[i] ?? null;
  }
  const valid = column.validity;
  let read: Read;
  switch (column.type) {
    case 'float64':
    case 'int32': {
      const values = column.values;
      read = (i) => values[i];
      break;
    }
    case 'timestamp': {
      const values = column.values;
      read = (i) => new Date(values[i]!);
      break;
    }
    case 'bool': {
      const values = column.values;
      read = (i) => values[i] === 1;
      break;
    }
    case 'string': {
      const { indices, dictionary } = column;
      read = (i) => dictionary[indices[i]!];
      break;
    }
  }
  if (valid === undefined) return read;
  return (i) => ((valid[i >> 3]! & (1 << (i & 7))) === 0 ? null : read(i));
}

function factoryFor(names: readonly string[]): RowFactory {
  const id = JSON.stringify(names);
  let factory = factories.get(id);
  if (factory !== undefined) return factory;
  // Keys are JSON string literals (valid JS); a computed key keeps `__proto__` an own property.
  const props = names.map((name, c) => `[${JSON.stringify(name)}]: r[${c}](i)`).join(', ');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiling a row literal for a schema's field names is the purpose
  factory = new Function('r', `"use strict"; return (i) => ({ ${props} });`) as RowFactory;
  if (factories.size >= MAX_FACTORIES) factories.clear();
  factories.set(id, factory);
  return factory;
}
