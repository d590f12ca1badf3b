/**
 * Errors of the dataflow sinks: a write that cannot start (target exists, parent missing), a
 * part file that cannot be written (rows of an unwritable shape), or a commit that failed.
 * Part files are written inside worker tasks, so the class is registered by name and keeps its
 * class (and `instanceof`) when it reaches the main thread.
 */
import { WeftError, registerErrorClass } from '../../errors.js';

/**
 * A dataset write failed or was refused. `code` says which case (`WEFT_SINK_TARGET_EXISTS`,
 * `WEFT_SINK_PARENT`, `WEFT_SINK_SHAPE`, `WEFT_SINK_COMMIT`, …); the message says what was
 * expected, what was found and how to fix it.
 */
export class SinkError extends WeftError {
  override name = 'SinkError';
  /** The dataset path (or part file) the error is about, when there is one. */
  readonly path: string | undefined;
  constructor(message: string, options?: { cause?: unknown; code?: string; path?: string }) {
    super(message, { code: options?.code ?? 'WEFT_SINK', ...(options?.cause === undefined ? {} : { cause: options.cause }) });
    this.path = options?.path;
  }
}

registerErrorClass('SinkError', SinkError);
