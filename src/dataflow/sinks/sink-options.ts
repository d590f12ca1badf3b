/**
 * The shapes shared by every sink function: the formats, the user's options and the resolved
 * options, and the plain-data handle of one dataset write ({@link WriteJob}) that the main thread
 * creates and hands (by value, across worker boundaries) to the tasks that write the parts.
 */
import { describeValue } from '../../errors.js';
import { SinkError } from './errors.js';

/** Output formats. `json` is NDJSON: one JSON object per line. */
export type SinkFormat = 'csv' | 'json' | 'parquet';

/** The formats, for validation and messages. */
export const SINK_FORMATS: readonly SinkFormat[] = ['csv', 'json', 'parquet'];

/** Column types a Parquet write can be told (see {@link SinkOptions.columnTypes}). */
export const PARQUET_TYPE_NAMES = ['double', 'int32', 'int64', 'boolean', 'string', 'date', 'timestamp', 'json'] as const;

/** A Parquet column type by name: `int64` for whole numbers beyond 32 bits, `date` for days (no time). */
export type ParquetTypeName = (typeof PARQUET_TYPE_NAMES)[number];

/** Options of a dataset write, as the user gives them. */
export interface SinkOptions {
  /** CSV only: write a header row at the top of every part file. @default true */
  header?: boolean;
  /** CSV only: the field delimiter, one character other than `"`, CR or LF. @default ',' */
  delimiter?: string;
  /** Replace an existing output; when false, {@link beginWrite} refuses an existing target. @default true */
  overwrite?: boolean;
  /**
   * Parquet only: the type of named columns, above what the rows' batch types or values would give
   * (numbers are DOUBLE and dates TIMESTAMP unless told otherwise). A value that does not fit fails
   * the write; naming a column the rows do not have is an error.
   */
  columnTypes?: Readonly<Record<string, ParquetTypeName>>;
}

/** {@link SinkOptions} with every default filled in. */
export interface FilledSinkOptions {
  readonly header: boolean;
  readonly delimiter: string;
  readonly overwrite: boolean;
  readonly columnTypes: Readonly<Record<string, ParquetTypeName>>;
}

/**
 * One dataset write in progress. Plain data (it crosses worker boundaries as it is): the final
 * `path`, and the `stagingDir` next to it where the tasks write their part files until
 * `commitWrite` swaps it into place.
 */
export interface WriteJob {
  /** Absolute path of the dataset directory being written. */
  readonly path: string;
  /** Absolute path of the staging directory, a hidden sibling of `path`. */
  readonly stagingDir: string;
  /** The format of the parts, when known. */
  readonly format?: SinkFormat;
}

/** Fills the defaults of {@link SinkOptions} and checks them. */
export function fillSinkOptions(options: SinkOptions = {}): FilledSinkOptions {
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || [...delimiter].length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new SinkError(
      `Expected \`delimiter\` to be one character other than '"', CR or LF, got ${describeValue(delimiter)}. ` +
        "Pass a single character such as ',', ';', '|' or '\\t'.",
      { code: 'WEFT_SINK_OPTIONS' },
    );
  }
  return { header: options.header ?? true, delimiter, overwrite: options.overwrite ?? true, columnTypes: checkColumnTypes(options.columnTypes) };
}

function checkColumnTypes(types: unknown): Readonly<Record<string, ParquetTypeName>> {
  if (types === undefined) return {};
  if (typeof types !== 'object' || types === null || Array.isArray(types)) {
    throw new SinkError(`Expected \`columnTypes\` to be an object from column name to type (e.g. { year: 'int32' }), got ${describeValue(types)}`, { code: 'WEFT_SINK_OPTIONS' });
  }
  for (const [column, type] of Object.entries(types)) {
    if (!(PARQUET_TYPE_NAMES as readonly unknown[]).includes(type)) {
      throw new SinkError(`Expected the type of column ${JSON.stringify(column)} in \`columnTypes\` to be one of ${PARQUET_TYPE_NAMES.join(', ')}, got ${describeValue(type)}`, {
        code: 'WEFT_SINK_OPTIONS',
      });
    }
  }
  return types as Readonly<Record<string, ParquetTypeName>>;
}

/** Checks that a format name is one of {@link SINK_FORMATS}. */
export function checkFormat(format: unknown): SinkFormat {
  if (typeof format === 'string' && (SINK_FORMATS as readonly string[]).includes(format)) return format as SinkFormat;
  throw new SinkError(
    `Expected the sink format to be one of ${SINK_FORMATS.map((f) => `'${f}'`).join(', ')}, got ${describeValue(format)}. ` +
      "Use 'csv', 'json' (NDJSON) or 'parquet'.",
    { code: 'WEFT_SINK_OPTIONS' },
  );
}

/** The file extension of a format's part files (without the dot). */
export function extensionOf(format: SinkFormat): string {
  return format === 'json' ? 'json' : format;
}
