/**
 * The task side of a dataset write: one task writes one partition's batches as one part file
 * inside the job's staging directory. The file is written under a hidden temporary name and
 * renamed to `part-NNNNN.<ext>` only once it is complete and synced, so a part file that exists
 * is always whole; a task that fails (or a retried attempt of the same partition that races it)
 * never leaves a half-written part behind, and the last complete attempt wins.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Batch } from '../batch/batch.js';
import { CancelledError, describeValue } from '../../errors.js';
import { CsvEncoder } from './csv-encoder.js';
import { SinkError } from './errors.js';
import { FileOutput } from './file-output.js';
import { JsonEncoder } from './json-encoder.js';
import { ParquetEncoder } from './parquet-encoder.js';
import type { PartEncoder } from './part-encoder.js';
import { ONE_SHAPE_HINT } from './row-shape.js';
import type { SinkFormat, SinkOptions } from './sink-options.js';
import { checkFormat, extensionOf, fillSinkOptions } from './sink-options.js';

/** Suffix of temporary part files; `commitWrite` removes any that a failed attempt left. */
export const TEMP_SUFFIX = '.tmp';

/** The final file name of a partition's part: `part-00007.csv`. */
export function partFileName(partition: number, format: SinkFormat): string {
  return `part-${String(partition).padStart(5, '0')}.${extensionOf(format)}`;
}

/** True for the name of an unfinished part file (written by {@link writePart}, not yet renamed). */
export function isTempPartName(name: string): boolean {
  return name.startsWith('.part-') && name.endsWith(TEMP_SUFFIX);
}

/**
 * Writes one partition's batches as `<stagingDir>/part-<partition padded to 5>.<ext>`, streaming
 * (memory bounded by one text chunk or one Parquet row group). Runs inside a task, on any worker.
 *
 * Value batches are written as their values: objects as rows (one column per key), arrays as
 * positional columns `_1`, `_2`, …, other values as one column `value`.
 *
 * `signal` (optional) stops the write between batches with a {@link CancelledError}; no part
 * file is left behind.
 *
 * @returns the number of rows written, the absolute path of the part file and its columns (CSV
 *   and Parquet parts with rows; see {@link checkPartColumns}).
 * @throws {SinkError} for a bad partition, format or option, rows of mixed shapes, or a file
 *   system failure (with the original error as `cause`). Errors thrown by `batches` itself pass
 *   through unchanged.
 * @example
 * const { rows } = await writePart(job.stagingDir, 3, 'csv', batches, { header: true });
 */
export async function writePart(
  stagingDir: string,
  partition: number,
  format: SinkFormat,
  batches: AsyncIterable<Batch> | Iterable<Batch>,
  options: SinkOptions,
  signal?: AbortSignal,
): Promise<WrittenPart> {
  if (!Number.isSafeInteger(partition) || partition < 0) {
    throw new SinkError(
      `Expected the partition to be an integer from 0 and up, got ${describeValue(partition)}. Pass the task's partition index.`,
      { code: 'WEFT_SINK_OPTIONS' },
    );
  }
  const fmt = checkFormat(format);
  const filled = fillSinkOptions(options);
  const file = join(stagingDir, partFileName(partition, fmt));
  const temp = join(stagingDir, `.${partFileName(partition, fmt)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const out = await openPart(temp, stagingDir);
  const encoder: PartEncoder =
    fmt === 'csv' ? new CsvEncoder(out, filled, file) : fmt === 'json' ? new JsonEncoder(out) : new ParquetEncoder(out, file, filled.columnTypes);
  let rows = 0;
  try {
    for await (const batch of batches) {
      throwIfAborted(signal, file);
      rows += await encoder.write(batch);
    }
    throwIfAborted(signal, file);
    await encoder.finish();
    await out.close();
    await rename(temp, file);
  } catch (error) {
    await out.discard();
    // Best effort: if this fails too (or the process dies), commit and abort remove the temp file.
    await rm(temp, { force: true }).catch(() => undefined);
    throw wrapFsError(error, file);
  }
  const columns = encoder.columns;
  return { rows, file, ...(columns !== undefined ? { columns: [...columns] } : {}) };
}

/** What {@link writePart} wrote. */
export interface WrittenPart {
  rows: number;
  file: string;
  columns?: string[];
}

/**
 * Before a commit: every CSV or Parquet part that has rows has the same columns in the same order,
 * else the output could not be read back as one source (each task fixed its columns from its own
 * first rows — e.g. objects of different shapes on different partitions).
 * @throws {SinkError} naming two parts and their columns; the caller aborts the write, so the
 *   previous output stays.
 */
export function checkPartColumns(parts: readonly WrittenPart[], target: string): void {
  const shaped = parts.filter((p) => p.columns !== undefined && p.rows > 0);
  const first = shaped[0];
  const other = shaped.find((p) => p.columns!.join('\u0000') !== first!.columns!.join('\u0000'));
  if (first === undefined || other === undefined) return;
  throw new SinkError(
    `Expected every part of the output ${target} to have the same columns, but ${basename(first.file)} has [${first.columns!.join(', ')}] and ` +
      `${basename(other.file)} has [${other.columns!.join(', ')}]; nothing was committed. ${ONE_SHAPE_HINT}`,
    { code: 'WEFT_SINK_SHAPE', path: target },
  );
}

function throwIfAborted(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw new CancelledError(`Cancelled while writing ${file}`, { cause: signal.reason });
}

async function openPart(temp: string, stagingDir: string): Promise<FileOutput> {
  try {
    return await FileOutput.create(temp);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new SinkError(
        `Expected the staging directory ${stagingDir} (made by beginWrite) to exist, but it does not. ` +
          'Call beginWrite before the tasks run, and do not abort or commit the job while tasks still write to it.',
        { code: 'WEFT_SINK_STAGING', path: stagingDir, cause: error },
      );
    }
    throw wrapFsError(error, temp);
  }
}

/** The errno code of a Node file system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && 'syscall' in error ? code : undefined;
}

function wrapFsError(error: unknown, file: string): unknown {
  const code = errnoCode(error);
  if (code === undefined) return error;
  return new SinkError(
    `Expected to write the part file ${file}, but the file system refused (${code}: ${(error as Error).message}). ` +
      'Check free space and permissions of the output directory, then run the job again.',
    { code: 'WEFT_SINK_IO', path: file, cause: error },
  );
}
