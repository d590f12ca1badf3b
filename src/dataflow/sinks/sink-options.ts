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

/** Options of a dataset write, as the user gives them. */
export interface SinkOptions {
  /** CSV only: write a header row at the top of every part file. @default true */
  header?: boolean;
  /** CSV only: the field delimiter, one character other than `"`, CR or LF. @default ',' */
  delimiter?: string;
  /** Replace an existing output; when false, {@link beginWrite} refuses an existing target. @default true */
  overwrite?: boolean;
}

/** {@link SinkOptions} with every default filled in. */
export interface FilledSinkOptions {
  readonly header: boolean;
  readonly delimiter: string;
  readonly overwrite: boolean;
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
  return { header: options.header ?? true, delimiter, overwrite: options.overwrite ?? true };
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
