/**
 * weft — parallel execution at every level for data and ML pipelines.
 *
 * @example
 * ```ts
 * import { Pipeline, ParallelExecutor, step } from 'weft';
 *
 * export const processChunk = step('process_chunk', ({ chunkId }: { chunkId: number }) => `processed_${chunkId}`);
 * const pipeline = new Pipeline('parallel_processing');
 * for (let i = 0; i < 5; i++) pipeline.addStep(processChunk, { name: `chunk_${i}`, params: { chunkId: i } });
 * const result = await pipeline.run({ executor: new ParallelExecutor({ maxWorkers: 4 }) });
 * ```
 */
export { WeftError, UsageError, CancelledError, TimeoutError } from './errors.js';
export { EventStream } from './events.js';
export type { WeftEvent, RunEvent, NodeEvent, TaskEvent, BackendKind } from './events.js';
export * from './pipeline/index.js';
export { Engine, type EngineOptions } from './scheduler/engine.js';
