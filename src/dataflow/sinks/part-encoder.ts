/**
 * The one interface every format's writer implements, so that `writePart` streams batches the
 * same way whatever the format: batches in, one part file out, memory bounded by the encoder's
 * buffer (a text chunk, or one Parquet row group).
 */
import type { Batch } from '../batch/batch.js';

/** Encodes batches into one open part file. */
export interface PartEncoder {
  /** Encodes one batch (buffering at most a chunk or a row group); resolves to its row count. */
  write(batch: Batch): Promise<number>;
  /** Writes whatever is buffered and the format's trailer; the file is complete afterwards. */
  finish(): Promise<void>;
  /** The columns the first non-empty batch fixed (CSV, Parquet); `undefined` before one, or for NDJSON. */
  readonly columns?: readonly string[] | undefined;
}
