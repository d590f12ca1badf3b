/** Errors of the dataflow engine: bad plans, and failed jobs that name the stage, partition and user error. */
import { UsageError, WeftError, registerErrorClass } from '../errors.js';

/** A parallelism or max parallelism that cannot work, naming the operator and the fix. */
export class ParallelismError extends UsageError {
  override name = 'ParallelismError';
  constructor(message: string) {
    super(message, { code: 'WEFT_PARALLELISM' });
  }
}

/** A dataflow job failed: says which job, stage and partition, with the task's error as `cause`. */
export class JobFailedError extends WeftError {
  override name = 'JobFailedError';
  readonly stage: number;
  readonly partition: number;
  constructor(message: string, stage: number, partition: number, options: { cause?: unknown }) {
    super(message, { code: 'WEFT_JOB_FAILED', ...options });
    this.stage = stage;
    this.partition = partition;
  }
}

for (const cls of [ParallelismError, JobFailedError]) registerErrorClass(cls.name, cls);
