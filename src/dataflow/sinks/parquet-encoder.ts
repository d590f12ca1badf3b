/**
 * Parquet part files through hyparquet-writer, streamed one row group at a time: rows are buffered
 * column by column up to {@link ROW_GROUP_ROWS}, encoded as one row group and flushed to disk, so
 * memory holds at most one row group whatever the part's size.
 *
 * A column named in the write's `columnTypes` takes that type (INT64, DATE … as well). Other column
 * types come from the batch schema (float64 → DOUBLE, int32 → INT32, bool → BOOLEAN,
 * string → STRING, timestamp → INT64 TIMESTAMP_MILLIS). Value columns (and `any` columns) take
 * their type from the values of the first row group: all numbers → DOUBLE, all strings → STRING,
 * all booleans → BOOLEAN, all dates → timestamp, anything else (objects, mixtures, only nulls)
 * → JSON text. Every column is OPTIONAL (nullable). A later value that does not fit its column's
 * type fails with a {@link SinkError}.
 */
import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { Batch, ColumnType } from '../batch/batch.js';
import { describeValue } from '../../errors.js';
import { SinkError } from './errors.js';
import type { FileOutput } from './file-output.js';
import type { PartEncoder } from './part-encoder.js';
import type { RowShape } from './row-shape.js';
import type { ParquetTypeName } from './sink-options.js';
import { cellsOf, shapeOf } from './row-shape.js';

/** Rows per row group (and the most rows buffered at once). */
export const ROW_GROUP_ROWS = 65_536;

/** The Parquet column types weft writes. */
export type ParquetColumnType = 'DOUBLE' | 'INT32' | 'INT64' | 'BOOLEAN' | 'STRING' | 'DATE' | 'TIMESTAMP' | 'JSON';

const FROM_NAME: Record<ParquetTypeName, ParquetColumnType> = {
  double: 'DOUBLE',
  int32: 'INT32',
  int64: 'INT64',
  boolean: 'BOOLEAN',
  string: 'STRING',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  json: 'JSON',
};

const DAY_MS = 86_400_000;

const FROM_BATCH_TYPE: Record<Exclude<ColumnType, 'any'>, ParquetColumnType> = {
  float64: 'DOUBLE',
  int32: 'INT32',
  bool: 'BOOLEAN',
  string: 'STRING',
  timestamp: 'TIMESTAMP',
};

/** The schema element of one OPTIONAL column. */
export function schemaElement(name: string, type: ParquetColumnType): SchemaElement {
  const base = { name, repetition_type: 'OPTIONAL' } as const;
  switch (type) {
    case 'DOUBLE':
    case 'INT32':
    case 'INT64':
    case 'BOOLEAN':
      return { ...base, type };
    case 'DATE':
      return { ...base, type: 'INT32', converted_type: 'DATE' };
    case 'STRING':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
    case 'JSON':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'JSON' };
    case 'TIMESTAMP':
      return { ...base, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' };
  }
}

/** The type of a value column, from the values seen in the first row group. */
export function inferParquetType(values: readonly unknown[]): ParquetColumnType {
  let type: ParquetColumnType | undefined;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const t: ParquetColumnType =
      typeof v === 'number' ? 'DOUBLE' : typeof v === 'string' ? 'STRING' : typeof v === 'boolean' ? 'BOOLEAN' : v instanceof Date ? 'TIMESTAMP' : 'JSON';
    if (type !== undefined && type !== t) return 'JSON';
    type = t;
  }
  return type ?? 'JSON';
}

/** A ByteWriter that hands every finished row group to the part file and reuses its buffer. */
class FileByteWriter extends ByteWriter {
  #out: FileOutput;
  constructor(out: FileOutput) {
    super(1 << 16);
    this.#out = out;
  }
  async flush(): Promise<void> {
    // Copy: the buffer is reused for the next row group as soon as this resolves.
    await this.#out.write(new Uint8Array(this.buffer, 0, this.index).slice());
    this.index = 0;
  }
}

/** Writes batches as Parquet row groups. */
export class ParquetEncoder implements PartEncoder {
  #out: FileOutput;
  #where: string;
  #shape: RowShape | undefined;
  #types: ParquetColumnType[] | undefined;
  #writer: ParquetWriter | undefined;
  #bytes: FileByteWriter | undefined;
  #buffer: unknown[][] = [];
  #buffered = 0;

  readonly #declared: Readonly<Record<string, ParquetTypeName>>;

  constructor(out: FileOutput, where: string, columnTypes: Readonly<Record<string, ParquetTypeName>> = {}) {
    this.#out = out;
    this.#where = where;
    this.#declared = columnTypes;
  }

  get columns(): readonly string[] | undefined {
    return this.#shape?.columns;
  }

  async write(batch: Batch): Promise<number> {
    if (this.#shape === undefined) {
      this.#shape = shapeOf(batch);
      if (this.#shape === undefined) return 0;
      this.#buffer = this.#shape.columns.map(() => []);
    }
    const columns = this.#buffer;
    for (const cells of cellsOf(batch, this.#shape, this.#where)) {
      for (let c = 0; c < cells.length; c++) columns[c]!.push(cells[c]);
      if (++this.#buffered >= ROW_GROUP_ROWS) await this.#flushRowGroup();
    }
    return batch.length;
  }

  async finish(): Promise<void> {
    await this.#flushRowGroup();
    // A part that saw no rows still becomes a valid (empty) Parquet file.
    const writer = this.#writer ?? this.#open();
    // The footer goes to the byte writer's buffer (its own finish does nothing); write it out.
    await writer.finish();
    await this.#bytes!.flush();
  }

  #open(): ParquetWriter {
    const shape: Pick<RowShape, 'columns' | 'types'> = this.#shape ?? { columns: [], types: [] };
    if (this.#shape !== undefined) {
      const unknown = Object.keys(this.#declared).filter((name) => !shape.columns.includes(name));
      if (unknown.length > 0) {
        throw new SinkError(
          `Expected the columns named in \`columnTypes\` to be columns of the rows written to ${this.#where}, but ${unknown.map((n) => JSON.stringify(n)).join(', ')} ` +
            `${unknown.length === 1 ? 'is' : 'are'} not; the rows have ${shape.columns.map((n) => JSON.stringify(n)).join(', ')}`,
          { code: 'WEFT_SINK_OPTIONS', path: this.#where },
        );
      }
    }
    this.#types ??= shape.columns.map((name, c) => {
      const named = Object.hasOwn(this.#declared, name) ? this.#declared[name] : undefined;
      if (named !== undefined) return FROM_NAME[named];
      const declared = shape.types[c];
      return declared === undefined || declared === 'any' ? inferParquetType(this.#buffer[c] ?? []) : FROM_BATCH_TYPE[declared];
    });
    const types = this.#types;
    const schema: SchemaElement[] = [{ name: 'root', num_children: shape.columns.length }, ...shape.columns.map((name, c) => schemaElement(name, types[c]!))];
    this.#bytes = new FileByteWriter(this.#out);
    this.#writer = new ParquetWriter({ writer: this.#bytes, schema, createdBy: 'weft' });
    return this.#writer;
  }

  async #flushRowGroup(): Promise<void> {
    if (this.#buffered === 0) return;
    const writer = this.#writer ?? this.#open();
    const shape = this.#shape!;
    const types = this.#types!;
    const columnData = shape.columns.map((name, c) => ({ name, data: this.#convert(name, types[c]!, this.#buffer[c]!) }));
    const rows = this.#buffered;
    this.#buffer = shape.columns.map(() => []);
    this.#buffered = 0;
    await writer.write({ columnData, rowGroupSize: rows });
  }

  #convert(name: string, type: ParquetColumnType, values: unknown[]): unknown[] {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        values[i] = null;
        continue;
      }
      const converted = convertValue(type, v);
      if (converted === undefined) throw this.#typeError(name, type, v);
      values[i] = converted;
    }
    return values;
  }

  #typeError(name: string, type: ParquetColumnType, value: unknown): SinkError {
    return new SinkError(
      `Expected every value of Parquet column ${JSON.stringify(name)} in ${this.#where} to be ${type} ` +
        `(the type declared in \`columnTypes\` or given by its first row group), but found ${describeValue(value)}. ` +
        'Give the column one type before writing (e.g. map it through `String(…)` or `Number(…)`), or write CSV or NDJSON.',
      { code: 'WEFT_SINK_TYPE', path: this.#where },
    );
  }
}

/** A non-null value as hyparquet-writer expects it for `type`, or `undefined` when it does not fit. */
function convertValue(type: ParquetColumnType, v: unknown): unknown {
  switch (type) {
    case 'DOUBLE':
      return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
    case 'INT32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -0x8000_0000 && v <= 0x7fff_ffff ? v : undefined;
    case 'INT64':
      return typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : undefined;
    case 'DATE': {
      const ms = v instanceof Date ? v.getTime() : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : Number.NaN;
      return Number.isFinite(ms) ? Math.floor(ms / DAY_MS) : undefined;
    }
    case 'BOOLEAN':
      return typeof v === 'boolean' ? v : undefined;
    case 'STRING':
      return typeof v === 'string' ? v : undefined;
    case 'TIMESTAMP': {
      const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Number.NaN;
      return Number.isFinite(ms) ? BigInt(Math.floor(ms)) : undefined;
    }
    case 'JSON':
      return v;
  }
}
