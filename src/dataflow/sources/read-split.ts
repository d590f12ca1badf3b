/**
 * The one entry a partition task calls to read its split, whatever the format. A text, CSV or
 * NDJSON split owns the lines that START in `[start, end)`: it skips a partial first line (unless
 * `start` is 0) and reads past `end` to finish its last line, so every line is read exactly once
 * across splits.
 */
import type { Batch } from '../batch/batch.js';
import { readCsvSplit } from './csv-reader.js';
import { SourceError } from './errors.js';
import { readNdjsonSplit } from './ndjson-reader.js';
import type { FileSplit, SplitStats } from './options.js';
import { readParquetSplit } from './parquet-reader.js';
import { readTextSplit } from './text-reader.js';
import { readCollectionSplit } from './collection.js';

/**
 * Reads one split as batches, updating `stats` (rows, and malformed rows by policy). `fields`, when
 * given, are the only fields a CSV split's batches carry (the others are still checked).
 * @param transient - the caller is done with each batch before it asks for the next (it keeps no
 *   column array): a CSV split then fills the same arrays batch after batch instead of new ones.
 * @throws MalformedRowError under `onError: 'fail'`; the signal's reason when aborted.
 */
export function readSplit(split: FileSplit, stats: SplitStats, signal?: AbortSignal, fields?: readonly string[], transient = false): AsyncGenerator<Batch> {
  if (split.values !== undefined) return readCollectionSplit(split, stats);
  switch (split.format) {
    case 'text':
      return readTextSplit(split, stats, signal);
    case 'csv':
      return readCsvSplit(split, stats, signal, fields, transient);
    case 'ndjson':
      return readNdjsonSplit(split, stats, signal);
    case 'parquet':
      return readParquetSplit(split, stats, signal);
    default:
      throw new SourceError(String((split as { format: unknown }).format), `Expected a split format of text, csv, ndjson or parquet, got ${JSON.stringify((split as { format: unknown }).format)}.`);
  }
}
