/**
 * Which task failures are worth another attempt (Spark's `spark.task.maxFailures`, here
 * `weft.task.maxFailures`). Spark retries every failure; weft retries the ones that can succeed
 * next time — a crashed worker, a user function that threw, a file system hiccup — and fails at
 * once on those that cannot, because the same input gives the same error:
 *
 * - bad input or usage, caught before or while reading (`UsageError` and its kind: a missing file,
 *   a malformed row under `onError: 'fail'`, a key that cannot be hashed, a function a worker
 *   cannot find, a value that cannot be sent);
 * - a sink error other than an I/O failure (e.g. rows of mixed shapes);
 * - cancellation (the job, its job group or the caller's signal was aborted).
 */
import { CancelledError, UsageError } from '../../errors.js';

/** Error names that never succeed on retry, for errors rebuilt without their class. */
const FINAL_NAMES = new Set(['CancelledError', 'AbortError', 'UsageError', 'MalformedRowError', 'SourceError', 'KeyTypeError', 'CapturedVariableError', 'FunctionNotFoundError', 'UnsupportedFunctionError', 'UnsendableValueError']);

/** True when another attempt of the task may succeed. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof UsageError || error instanceof CancelledError) return false;
  if (typeof error !== 'object' || error === null) return true;
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (typeof name === 'string' && FINAL_NAMES.has(name)) return false;
  if (name === 'SinkError') return code === 'WEFT_SINK_IO';
  return true;
}
