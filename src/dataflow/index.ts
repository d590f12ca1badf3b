/**
 * The data plane: datasets split into jobs → stages → tasks over columnar batches, with operator
 * parallelism, max parallelism and key groups as in Flink, and concurrent jobs on FIFO/FAIR pools
 * as in Spark.
 */
export { ExecutionEnvironment, setExplainMode, type EnvironmentOptions, type ReadOptions } from './environment.js';
export { Dataset, KeyedDataset, GroupedDataset, sum, min, max, avg, count, first, last, type ActionOptions, type Aggregation, type ExplainAction, type FnOptions, type Joined, type KeyOf, type OpContext, type WriteOptions } from './dataset.js';
export {
  keyGroupForKey,
  operatorIndexForKeyGroup,
  keyGroupRangeForOperator,
  defaultMaxParallelism,
  murmurHash,
  javaHashCode,
  type KeyGroupRange,
} from './key-groups.js';
export { ParallelismError, JobFailedError, KeyTypeError } from './errors.js';
export type { JobStats } from './exec/job-runner.js';
export { observeJobs, type JobObserver, type JobEndListener, type StartingJob, type EndedJob, type SucceededJob, type FailedJob } from './job-observers.js';
