/**
 * Dataflow sources: files (text, CSV, NDJSON, Parquet) and in-memory collections planned into
 * splits on the main thread and read as columnar batches inside partition tasks.
 *
 * @example
 * const { splits, schema } = await planSplits('csv', 'data/*.csv', { header: true }, 4);
 * const stats = newSplitStats();
 * for await (const batch of readSplit(splits[0]!, stats)) console.log(batch.length);
 */
export { collectionSplits, COLLECTION_PATH } from './collection.js';
export { MalformedRowError, SourceError, type ErrorPolicy } from './errors.js';
export { expandPaths } from './expand-paths.js';
export {
  DEFAULT_BATCH_ROWS,
  DEFAULT_SPLIT_SIZE,
  newSplitStats,
  type CsvOptions,
  type FileSplit,
  type SourceFormat,
  type SourceOptions,
  type SplitStats,
} from './options.js';
export { planSplits } from './plan-splits.js';
export { assignSplits } from './assign-splits.js';
export { readSplit } from './read-split.js';
