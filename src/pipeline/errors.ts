/**
 * Errors of the code-first pipeline layer: wiring mistakes found at `addStep`/`run` time, before
 * any work starts, each naming the steps involved.
 */
import { UsageError, WeftError, registerErrorClass } from '../errors.js';

/** Two steps with one name, or an output name produced twice. */
export class DuplicateStepError extends UsageError {
  override name = 'DuplicateStepError';
  constructor(message: string) {
    super(message, { code: 'WEFT_DUPLICATE_STEP' });
  }
}

/** A step's input names an output no step produces, or `after` names no step. */
export class MissingInputError extends UsageError {
  override name = 'MissingInputError';
  constructor(message: string) {
    super(message, { code: 'WEFT_MISSING_INPUT' });
  }
}

/** A step with `cache: true` reads a module-level binding whose value cannot be part of its cache key. */
export class UncacheableStepError extends UsageError {
  override name = 'UncacheableStepError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'WEFT_UNCACHEABLE_STEP', ...options });
  }
}

/** A step returned something that does not fit its declared outputs. */
export class StepOutputError extends WeftError {
  override name = 'StepOutputError';
  constructor(message: string) {
    super(message, { code: 'WEFT_STEP_OUTPUT' });
  }
}

/** Thrown by `PipelineResult.output()` or `assertSucceeded()` when the run did not produce what was asked. */
export class PipelineFailedError extends WeftError {
  override name = 'PipelineFailedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'WEFT_PIPELINE_FAILED', ...options });
  }
}

for (const cls of [DuplicateStepError, MissingInputError, UncacheableStepError, StepOutputError, PipelineFailedError]) registerErrorClass(cls.name, cls);
