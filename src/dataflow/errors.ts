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

/** A key (or a record used as its own key) that has no canonical encoding (see `key-encoding.ts`). */
export class KeyTypeError extends UsageError {
  override name = 'KeyTypeError';
  constructor(message: string) {
    super(message, { code: 'WEFT_KEY_TYPE' });
  }
}

for (const cls of [ParallelismError, JobFailedError, KeyTypeError]) registerErrorClass(cls.name, cls);
