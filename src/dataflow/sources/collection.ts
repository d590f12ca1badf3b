/**
 * In-memory collections as a source: the values are cut into contiguous slices, one split each,
 * and the split carries its values (so they travel by structured clone to the task that reads
 * them). Uniform plain objects (same keys, each key one non-`any` type) become typed batches;
 * anything else becomes value batches. Async iterables are not splittable and are left to the engine.
 */
import { VALUE_SCHEMA, isValueBatch, valueBatch, type Batch, type Schema } from '../batch/batch.js';
import { batchFromRows, inferSchema } from '../batch/builder.js';
import { SourceError } from './errors.js';
import { DEFAULT_BATCH_ROWS, type FileSplit, type SplitStats } from './options.js';

/** The path collection splits report. */
export const COLLECTION_PATH = '(collection)';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The typed schema of uniform plain objects, or the value schema. */
function collectionSchema(values: readonly unknown[]): Schema {
  if (values.length === 0 || !values.every(isPlainObject)) return VALUE_SCHEMA;
  const rows = values;
  const keys = Object.keys(rows[0]!).join('\u0000');
  if (!rows.every((row) => Object.keys(row).join('\u0000') === keys)) return VALUE_SCHEMA;
  const schema = inferSchema(rows);
  return schema.fields.some((f) => f.type === 'any') ? VALUE_SCHEMA : schema;
}

/**
 * Cuts an in-memory collection into at most `parallelism` contiguous splits (one for an empty
 * collection). Each split carries its values in `values`, its `format` is `'text'`, its `path`
 * is {@link COLLECTION_PATH} and `start`/`end` are indices into the collection.
 */
export function collectionSplits(values: readonly unknown[], parallelism: number): FileSplit[] {
  if (!(Number.isInteger(parallelism) && parallelism >= 1)) throw new SourceError('parallelism', `Expected \`parallelism\` to be an integer from 1 and up, got ${parallelism}.`);
  const schema = collectionSchema(values);
  const n = Math.max(1, Math.min(parallelism, values.length));
  const splits: FileSplit[] = [];
  for (let k = 0; k < n; k++) {
    const start = Math.floor((k * values.length) / n);
    const end = Math.floor(((k + 1) * values.length) / n);
    splits.push({ format: 'text', path: COLLECTION_PATH, start, end, index: k, schema, options: {}, values: values.slice(start, end) });
  }
  return splits;
}

/** Reads a collection split as batches of `batchRows`. */
// eslint-disable-next-line @typescript-eslint/require-await -- an async generator like every other reader
export async function* readCollectionSplit(split: FileSplit, stats: SplitStats): AsyncGenerator<Batch> {
  const values = split.values ?? [];
  const schema = split.schema ?? VALUE_SCHEMA;
  const typed = schema.fields.length > 0 && !isValueBatch({ schema, length: 0, columns: [] });
  const batchRows = split.options.batchRows ?? DEFAULT_BATCH_ROWS;
  for (let i = 0; i < values.length; i += batchRows) {
    const slice = values.slice(i, i + batchRows);
    stats.rows += slice.length;
    yield typed ? batchFromRows(slice as ReadonlyArray<Record<string, unknown>>, schema) : valueBatch(slice);
  }
}
