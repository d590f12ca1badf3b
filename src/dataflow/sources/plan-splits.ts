/**
 * Planning a file source on the main thread: expand the paths, decide the schema once, and cut
 * the files into splits, the plain-data units of work that partition tasks read in workers.
 *
 * Line formats are cut into byte ranges of about `splitSize`, lowered so that there are at least
 * `minSplits` when the data allows (never below 64 KiB per split unless `splitSize` itself is
 * smaller: a task per few lines costs more than it gains). Splits never span files; each file
 * gets equal pieces. A CSV with `multiline` is one split per file (a quoted newline would make a
 * byte boundary ambiguous); Parquet is one split per row group.
 */
import { stat } from 'node:fs/promises';
import { closest, didYouMean } from '../../config/suggest.js';
import { describeValue } from '../../errors.js';
import { COLUMN_TYPES, VALUE_SCHEMA, type Schema } from '../batch/batch.js';
import { planCsvSchema, csvDialect } from './csv-schema.js';
import { SourceError } from './errors.js';
import { expandPaths } from './expand-paths.js';
import { planNdjsonSchema } from './ndjson-reader.js';
import { DEFAULT_SPLIT_SIZE, type FileSplit, type SourceFormat, type SourceOptions } from './options.js';
import { planParquet } from './parquet-reader.js';

/** The smallest split the `minSplits` rule cuts. */
const MIN_AUTO_SPLIT = 64 * 1024;
const FORMATS: readonly SourceFormat[] = ['text', 'csv', 'ndjson', 'parquet'];

function checkOptions(format: SourceFormat, options: SourceOptions, minSplits: number): void {
  if (!FORMATS.includes(format)) throw new SourceError(String(format), `Expected a source format of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}.`);
  const positive = (name: string, value: number | undefined): void => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw new SourceError(name, `Expected \`${name}\` to be an integer from 1 and up, got ${value}.`);
    }
  };
  positive('splitSize', options.splitSize);
  positive('batchRows', options.batchRows);
  positive('minSplits', minSplits);
  const policy = options.onError ?? 'fail';
  if (!['fail', 'skip', 'quarantine'].includes(policy)) throw new SourceError('onError', `Expected \`onError\` to be 'fail', 'skip' or 'quarantine', got ${JSON.stringify(policy)}.`);
  if (policy === 'quarantine' && !options.quarantinePath) {
    throw new SourceError('quarantinePath', "Expected `quarantinePath` (a directory) with onError: 'quarantine', got none. Pass e.g. { onError: 'quarantine', quarantinePath: 'out/bad-rows' }.");
  }
  if (format === 'csv') csvDialect(options);
  if (format === 'csv' || format === 'ndjson') checkSchema(options.schema);
}

/** The column types an explicit schema may give (every type but `any`), and names users reach for first. */
const SCHEMA_TYPES: readonly string[] = COLUMN_TYPES.filter((t) => t !== 'any');
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  int: 'int32', integer: 'int32', long: 'int32', int64: 'int32', number: 'float64', double: 'float64', float: 'float64', decimal: 'float64',
  boolean: 'bool', str: 'string', text: 'string', date: 'timestamp', datetime: 'timestamp',
};

function checkSchema(schema: unknown): void {
  if (schema === undefined || schema === 'infer') return;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new SourceError('schema', `Expected \`schema\` to be 'infer' or an object of column types (e.g. { id: 'int32', name: 'string' }), got ${describeValue(schema)}.`);
  }
  for (const [column, type] of Object.entries(schema)) {
    if (typeof type === 'string' && SCHEMA_TYPES.includes(type)) continue;
    const match = typeof type === 'string' ? closest(type, [...SCHEMA_TYPES, ...Object.keys(TYPE_ALIASES)], 1)[0] : undefined;
    const near = match === undefined ? undefined : (TYPE_ALIASES[match] ?? match);
    throw new SourceError(
      'schema',
      `Expected the type of column ${JSON.stringify(column)} in \`schema\` to be one of ${SCHEMA_TYPES.map((t) => `'${t}'`).join(', ')}, got ${describeValue(type)}.${near === undefined ? '' : didYouMean([near], "'")}`,
    );
  }
}

/** Byte-range splits of one file: `pieces` equal ranges (one empty range for an empty file). */
function cutFile(format: SourceFormat, path: string, size: number, pieces: number, first: number, schema: Schema, options: SourceOptions): FileSplit[] {
  const n = Math.max(1, Math.min(pieces, size));
  const out: FileSplit[] = [];
  for (let k = 0; k < n; k++) {
    out.push({ format, path, start: Math.floor((k * size) / n), end: Math.floor(((k + 1) * size) / n), index: first + k, schema, options });
  }
  return out;
}

/**
 * Expands globs/dirs (sorted, stable), checks files exist, infers the schema once (CSV/NDJSON: a
 * sample of the first file; Parquet: its footer) and cuts splits.
 * @param minSplits - the parallelism the splits should at least feed.
 * @throws SourceError for a missing file or pattern or a bad option.
 * @example
 * const { splits, schema } = await planSplits('csv', 'data/*.csv', { header: true }, 4);
 */
export async function planSplits(
  format: SourceFormat,
  paths: string | readonly string[],
  options: SourceOptions,
  minSplits: number,
): Promise<{ splits: FileSplit[]; schema: Schema }> {
  checkOptions(format, options, minSplits);
  const files = await expandPaths(paths);
  if (format === 'parquet') return planParquet(files, options);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const firstNonEmpty = files[sizes.findIndex((s) => s > 0)];
  const schema = format === 'csv' ? await planCsvSchema(firstNonEmpty, options) : format === 'ndjson' ? await planNdjsonSchema(firstNonEmpty, options) : VALUE_SCHEMA;
  const total = sizes.reduce((a, b) => a + b, 0);
  const splitSize = options.splitSize ?? DEFAULT_SPLIT_SIZE;
  let target = Math.min(splitSize, Math.max(Math.ceil(total / minSplits), Math.min(MIN_AUTO_SPLIT, splitSize)));
  // With the default split size, cut a multiple of `minSplits` pieces so that every task of the
  // stage reads the same amount (3 splits over 2 tasks would leave one task with two thirds).
  const pieces = Math.ceil(total / target);
  if (options.splitSize === undefined && pieces > minSplits && pieces % minSplits !== 0) {
    target = Math.ceil(total / (Math.ceil(pieces / minSplits) * minSplits));
  }
  const wholeFiles = format === 'csv' && options.multiline === true;
  const splits: FileSplit[] = [];
  files.forEach((path, i) => {
    const size = sizes[i]!;
    splits.push(...cutFile(format, path, size, wholeFiles ? 1 : Math.ceil(size / target), splits.length, schema, options));
  });
  return { splits, schema };
}
