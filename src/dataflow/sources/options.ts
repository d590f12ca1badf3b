/**
 * The plain-data shapes shared by source planning (main thread) and split reading (worker task):
 * formats, user options, splits and per-split statistics. Everything here is structured-clone
 * safe, because a split travels to the worker that reads it.
 */
import type { ColumnType, Schema } from '../batch/batch.js';
import type { ErrorPolicy } from './errors.js';

/** The file formats a source can read. */
export type SourceFormat = 'text' | 'csv' | 'ndjson' | 'parquet';

/** Options of CSV (and, for `schema` and `onError`, NDJSON) sources. */
export interface CsvOptions {
  /** Whether the first line of every file names the fields. @default true */
  header?: boolean;
  /** The field delimiter (one character). @default ',' */
  delimiter?: string;
  /** The quote character (one character); a doubled quote inside quotes is a literal quote. @default '"' */
  quote?: string;
  /**
   * Column types by name (without a header, the names in order name the columns), or `'infer'` to
   * infer them from a sample of the first split. Columns a record leaves out are inferred.
   * @default 'infer'
   */
  schema?: Record<string, ColumnType> | 'infer';
  /** What to do with a malformed row. @default 'fail' */
  onError?: ErrorPolicy;
  /** Directory for `onError: 'quarantine'`: rows go to `<quarantinePath>/part-<split index>.txt`. */
  quarantinePath?: string;
  /** Allow newlines inside quoted fields; each file is then read as one split. @default false */
  multiline?: boolean;
}

/** Options of every source. */
export interface SourceOptions extends CsvOptions {
  /** Bytes per split for text, CSV and NDJSON. @default 33554432 (32 MiB) */
  splitSize?: number;
  /** Rows per batch a split produces. @default 65536 (4096 lines for text, see {@link DEFAULT_TEXT_BATCH_ROWS}) */
  batchRows?: number;
}

/** One unit of reading work: a byte range of one file, or one Parquet row group. Plain, sendable data. */
export interface FileSplit {
  format: SourceFormat;
  /** Absolute path of the file. */
  path: string;
  /** Byte range `[start, end)`: the split reads the lines that START in it. Parquet: the row group's rows `[start, end)` in the file. */
  start: number;
  end: number;
  /** Parquet: the row group this split reads. */
  rowGroup?: number;
  /** Position of the split in the source (0-based, stable). */
  index: number;
  /** The schema every batch of the source has. */
  schema?: Schema;
  options: SourceOptions;
  /** In-memory collection splits only (see `collectionSplits`): the values this split reads. */
  values?: readonly unknown[];
}

/** What a split read: rows produced, and rows dropped by the malformed-row policy. */
export interface SplitStats {
  rows: number;
  skipped: number;
  quarantined: number;
  /** The first 20 malformed rows. */
  errors: Array<{ file: string; line: number; message: string; text: string }>;
}

/** Empty statistics for {@link readSplit}. */
export function newSplitStats(): SplitStats {
  return { rows: 0, skipped: 0, quarantined: 0, errors: [] };
}

/** The default {@link SourceOptions.splitSize}: 32 MiB. */
export const DEFAULT_SPLIT_SIZE = 32 * 1024 * 1024;
/** The default {@link SourceOptions.batchRows}. */
export const DEFAULT_BATCH_ROWS = 65_536;
/**
 * The default {@link SourceOptions.batchRows} of text sources. A batch of lines is a batch of
 * strings on the heap (typed sources fill off-heap arrays); 4096 lines of ~100 bytes stay in the
 * young generation while the batch is processed, where 65536 lines (~6 MB) would be copied into the
 * old one.
 */
export const DEFAULT_TEXT_BATCH_ROWS = 4096;
/** How many errors {@link SplitStats.errors} keeps. */
export const MAX_KEPT_ERRORS = 20;
