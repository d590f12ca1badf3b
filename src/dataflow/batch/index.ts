/** Columnar batches (Arrow layout) and their builders. */
export * from './batch.js';
export { rowReader, rowsOf } from './row-reader.js';
export { BatchBuilder, ColumnBuilder, batchFromRows, inferSchema } from './builder.js';
