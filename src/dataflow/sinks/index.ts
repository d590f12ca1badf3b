/**
 * Dataset sinks with atomic commit: the main thread stages a write ({@link beginWrite}), every
 * partition task writes its part ({@link writePart}), then the job commits ({@link commitWrite})
 * or aborts ({@link abortWrite}).
 *
 * @example
 * const job = await beginWrite('out/counts', jobId, { overwrite: true });
 * try {
 *   const parts = await Promise.all(partitions.map((batches, p) => writePart(job.stagingDir, p, 'csv', batches, {})));
 *   await commitWrite(job, parts.reduce((n, part) => n + part.rows, 0));
 * } catch (error) {
 *   await abortWrite(job);
 *   throw error;
 * }
 */
export { SinkError } from './errors.js';
export type { SinkFormat, SinkOptions, FilledSinkOptions, WriteJob } from './sink-options.js';
export { SINK_FORMATS, fillSinkOptions, extensionOf } from './sink-options.js';
export { writePart, partFileName, checkPartColumns, type WrittenPart } from './write-part.js';
export type { CommitStep, CommitHooks, SuccessMarker } from './commit.js';
export { beginWrite, commitWrite, abortWrite, recoverWrite, SUCCESS_MARKER } from './commit.js';
export { csvField } from './csv-encoder.js';
export { ROW_GROUP_ROWS } from './parquet-encoder.js';
