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
export type { WeftEvent, RunEvent, NodeEvent, JobEvent, StageEvent, TaskEvent, BackendKind, EventListener } from './events.js';
export * from './config/index.js';
export {
  createBackend,
  isWeftWorker,
  CapturedVariableError,
  UnsupportedFunctionError,
  UnsendableValueError,
  FunctionNotFoundError,
  DuplicateFunctionError,
  WorkerCrashedError,
  ItemFailedError,
  type TaskContext,
  type TaskRequest,
  type TaskOutcome,
  type WorkerBackend,
  type RunSink,
  type ItemResult,
} from './runtime/index.js';
export {
  TaskScheduler,
  withPool,
  withJobGroup,
  cancelJobGroup,
  currentPool,
  currentJobGroup,
  UnknownPoolError,
  InvalidPoolConfigError,
  type PoolConfig,
  type SchedulerOptions,
  type SubmitOptions,
  type TaskResult,
  type TaskSet,
  type TaskSetOptions,
  type TaskSink,
} from './scheduler/index.js';
export { Engine, type EngineOptions } from './scheduler/engine.js';
export {
  Dag,
  runGraph,
  dagWidth,
  criticalPath,
  predictWallTime,
  CycleError,
  UnknownDependencyError,
  DuplicateNodeError,
  type GraphNode,
  type FailurePolicy,
  type NodeStatus,
  type RunStatus,
  type GraphRunResult,
  type NodeResult,
} from './graph/index.js';
export * from './pipeline/index.js';
export {
  ExecutionEnvironment,
  Dataset,
  KeyedDataset,
  GroupedDataset,
  sum,
  min,
  max,
  avg,
  count,
  first,
  last,
  keyGroupForKey,
  operatorIndexForKeyGroup,
  keyGroupRangeForOperator,
  defaultMaxParallelism,
  murmurHash,
  javaHashCode,
  ParallelismError,
  JobFailedError,
  KeyTypeError,
  type EnvironmentOptions,
  type ReadOptions,
  type ActionOptions,
  type Aggregation,
  type ExplainAction,
  type FnOptions,
  type Joined,
  type KeyOf,
  type OpContext,
  type WriteOptions,
  type KeyGroupRange,
  type JobStats,
  observeJobs,
  type JobObserver,
  type JobEndListener,
  type StartingJob,
  type EndedJob,
  type SucceededJob,
  type FailedJob,
} from './dataflow/index.js';
export { SourceError, MalformedRowError } from './dataflow/sources/index.js';
export { SinkError } from './dataflow/sinks/index.js';
export * from './project/index.js';
