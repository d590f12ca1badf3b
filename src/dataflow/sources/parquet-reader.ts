/**
 * Parquet through hyparquet: the schema and the row groups come from the file's footer, one split
 * per row group, and a split reads only its row group's column chunks through a file-range reader
 * (`FileHandle.read` at offsets), never the whole file. Parquet types map to batch columns:
 * BOOLEAN → bool, INT32 → int32, INT64 / FLOAT / DOUBLE → float64 (INT64 above 2^53 loses
 * precision), DATE / TIMESTAMP → timestamp, UTF8 strings → string, anything else (nested, binary,
 * decimals) → any.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, ColumnData, FileMetaData, SchemaTree } from 'hyparquet';
import type { ColumnType, Field, Schema } from '../batch/batch.js';
import { ColumnBuilder } from '../batch/builder.js';
import type { Batch } from '../batch/batch.js';
import { abortReason } from '../../runtime/abort-reason.js';
import { SourceError } from './errors.js';
import { DEFAULT_BATCH_ROWS, type FileSplit, type SourceOptions, type SplitStats } from './options.js';

/** An AsyncBuffer over an open file: each slice is one positioned read. */
async function fileBuffer(file: FileHandle): Promise<AsyncBuffer> {
  const { size } = await file.stat();
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const out = new ArrayBuffer(Math.max(0, end - start));
      const view = new Uint8Array(out);
      for (let done = 0; done < view.length; ) {
        const { bytesRead } = await file.read(view, done, view.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return out;
    },
  };
}

/** Runs `body` with the file's metadata and range reader. */
async function withParquet<T>(path: string, body: (file: AsyncBuffer, metadata: FileMetaData) => Promise<T>): Promise<T> {
  const handle = await open(path, 'r');
  try {
    const file = await fileBuffer(handle);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (error) {
      throw new SourceError(path, `Expected ${path} to be a Parquet file, but its footer cannot be read (${(error as Error).message}). Check the path and the format.`, { cause: error });
    }
    return await body(file, metadata);
  } finally {
    await handle.close();
  }
}

function columnType(tree: SchemaTree): ColumnType {
  if (tree.children.length > 0) return 'any';
  const { type, converted_type: converted, logical_type: logical } = tree.element;
  if (logical?.type === 'DATE' || logical?.type === 'TIMESTAMP' || converted === 'DATE' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return 'timestamp';
  switch (type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
      return converted === undefined || converted === 'INT_32' || converted === 'INT_16' || converted === 'INT_8' || converted === 'UINT_8' || converted === 'UINT_16' ? 'int32' : converted === 'UINT_32' ? 'float64' : 'any';
    case 'INT64':
      return converted === undefined || converted.startsWith('INT_') || converted.startsWith('UINT_') ? 'float64' : 'any';
    case 'FLOAT':
    case 'DOUBLE':
      return 'float64';
    case 'BYTE_ARRAY':
      return converted === 'UTF8' || converted === 'ENUM' || logical?.type === 'STRING' || logical?.type === 'ENUM' ? 'string' : 'any';
    default:
      return 'any';
  }
}

function schemaOf(metadata: FileMetaData): Schema {
  const fields: Field[] = parquetSchema(metadata).children.map((child) => ({
    name: child.element.name,
    type: columnType(child),
    nullable: child.element.repetition_type !== 'REQUIRED',
  }));
  return { fields };
}

/** The schema of the first file and one split per row group of every file. */
export async function planParquet(
  paths: readonly string[],
  options: SourceOptions,
): Promise<{ schema: Schema; splits: FileSplit[] }> {
  const splits: FileSplit[] = [];
  let schema: Schema | undefined;
  let emptySchema: Schema | undefined;
  for (const path of paths) {
    await withParquet(path, (_file, metadata) => {
      const own = schemaOf(metadata);
      // A file without rows (e.g. the part of a task that got none) has nothing to read, and may have no columns.
      if (Number(metadata.num_rows) === 0) {
        emptySchema ??= own;
        return Promise.resolve();
      }
      if (schema === undefined) schema = own;
      else if (!sameFields(schema, own)) {
        throw new SourceError(path, `Expected every Parquet file of one source to have the columns of the first (${describe(schema)}), but ${path} has ${describe(own)}. Read them as separate sources.`);
      }
      let row = 0;
      metadata.row_groups.forEach((group, rowGroup) => {
        const rows = Number(group.num_rows);
        splits.push({ format: 'parquet', path, start: row, end: row + rows, rowGroup, index: splits.length, schema: own, options });
        row += rows;
      });
      return Promise.resolve();
    });
  }
  return { schema: schema ?? emptySchema ?? { fields: [] }, splits };
}

function describe(schema: Schema): string {
  return schema.fields.map((f) => `${f.name}: ${f.type}`).join(', ');
}

function sameFields(a: Schema, b: Schema): boolean {
  return a.fields.length === b.fields.length && a.fields.every((f, i) => f.name === b.fields[i]!.name && f.type === b.fields[i]!.type);
}

/** Reads one row group (rows `[start, end)` of the file) as batches. */
export async function* readParquetSplit(split: FileSplit, stats: SplitStats, signal?: AbortSignal): AsyncGenerator<Batch> {
  if (signal?.aborted) throw abortReason(signal);
  const schema = split.schema;
  if (schema === undefined) throw new SourceError(split.path, `Parquet split ${split.index} of ${split.path} has no schema; plan Parquet sources with planSplits().`);
  const batchRows = split.options.batchRows ?? DEFAULT_BATCH_ROWS;
  const names = schema.fields.map((f) => f.name);
  const chunks = new Map<string, ColumnData[]>(names.map((n) => [n, []]));
  await withParquet(split.path, (file, metadata) =>
    parquetRead({
      file,
      metadata,
      columns: names,
      rowStart: split.start,
      rowEnd: split.end,
      onChunk: (chunk) => chunks.get(chunk.columnName)?.push(chunk),
    }),
  );
  if (signal?.aborted) throw abortReason(signal);
  const columns = schema.fields.map((f) => new ColumnCursor(chunks.get(f.name) ?? []));
  for (let row = split.start; row < split.end; row += batchRows) {
    const end = Math.min(split.end, row + batchRows);
    const built = schema.fields.map((f, c) => {
      const builder = new ColumnBuilder(f.type, end - row);
      for (let r = row; r < end; r++) builder.append(columns[c]!.at(r));
      return builder.finish();
    });
    stats.rows += end - row;
    yield { schema, length: end - row, columns: built };
    if (signal?.aborted) throw abortReason(signal);
  }
}

/** Row-indexed access to a column's decoded chunks (which may cover more rows than asked for). */
class ColumnCursor {
  readonly #chunks: ColumnData[];
  #current = 0;

  constructor(chunks: ColumnData[]) {
    this.#chunks = [...chunks].sort((a, b) => a.rowStart - b.rowStart);
  }

  /** The value of file row `row` (rows are asked for in increasing order). */
  at(row: number): unknown {
    const chunks = this.#chunks;
    while (this.#current < chunks.length && chunks[this.#current]!.rowEnd <= row) this.#current++;
    const chunk = chunks[this.#current];
    if (chunk === undefined || chunk.rowStart > row) return null;
    return chunk.columnData[row - chunk.rowStart];
  }
}
