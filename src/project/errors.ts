/**
 * Errors of the project layer. A bad project file is the user's input, so {@link ProjectError} is a
 * `UsageError` (the CLI exits with 2) whose message starts with `file:line:column`. Errors of a
 * running job (a failed assertion, a relation that cannot be written) are `WeftError`s that name
 * the job instance, phase and target.
 */
import { UsageError, WeftError, registerErrorClass } from '../errors.js';
import { formatLocation, type SourceLocation } from './location.js';

/** A project file is wrong: the message says what was expected, what was found, and where. */
export class ProjectError extends UsageError {
  override name = 'ProjectError';
  /** Where the bad input is, when it is in a file. */
  readonly location: SourceLocation | undefined;
  constructor(message: string, options: { location?: SourceLocation | undefined; cause?: unknown; code?: string } = {}) {
    super(options.location ? `${formatLocation(options.location)}: ${message}` : message, {
      code: options.code ?? 'WEFT_PROJECT',
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.location = options.location;
  }
}

/** An expression (filter, select, assertion) does not parse or does not type-check. */
export class ExpressionError extends ProjectError {
  override name = 'ExpressionError';
  /** The expression text. */
  readonly expression: string;
  /** 0-based offset of the offending character in {@link expression}. */
  readonly offset: number;
  constructor(message: string, expression: string, offset: number, options: { location?: SourceLocation | undefined; cause?: unknown } = {}) {
    super(message, { ...options, code: 'WEFT_EXPRESSION' });
    this.expression = expression;
    this.offset = offset;
  }
}

/** A target of a job instance failed in a phase; `cause` is the underlying error. */
export class TargetFailedError extends WeftError {
  override name = 'TargetFailedError';
  readonly target: string;
  readonly phase: string;
  constructor(message: string, target: string, phase: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'WEFT_TARGET_FAILED', ...options });
    this.target = target;
    this.phase = phase;
  }
}

/**
 * The state store cannot be opened, reached or written: the message names the store (a file path,
 * or a URL with its password redacted) and how to fix it.
 */
export class StateStoreError extends WeftError {
  override name = 'StateStoreError';
  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(message, { code: options.code ?? 'WEFT_STORE', ...(options.cause === undefined ? {} : { cause: options.cause }) });
  }
}

/**
 * A relation operation failed at run time: a location that holds no data, a partition that already
 * exists under `error_if_exists`, a database that cannot be reached. The message names the
 * relation, where it lives, and what is there; `cause` is the underlying error.
 */
export class RelationError extends WeftError {
  override name = 'RelationError';
  /** The name of the relation in the project. */
  readonly relation: string;
  constructor(relation: string, message: string, options: { cause?: unknown; code?: string } = {}) {
    super(message, { code: options.code ?? 'WEFT_RELATION', ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.relation = relation;
  }
}

for (const cls of [ProjectError, ExpressionError, TargetFailedError, StateStoreError, RelationError]) registerErrorClass(cls.name, cls);
