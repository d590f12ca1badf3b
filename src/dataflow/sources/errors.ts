/**
 * Errors of the dataflow sources: an input that cannot be found, and a row that cannot be read.
 * Both are {@link UsageError}s (the user named the files and the policy), registered by name so a
 * worker that reads a split can report them to the main thread without losing their class.
 */
import { UsageError, registerErrorClass } from '../../errors.js';

/** A source cannot be planned or opened: a missing file or pattern, an unreadable header, bad options. */
export class SourceError extends UsageError {
  override name = 'SourceError';
  /** The path or pattern the error is about, as the user wrote it. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, { code: 'WEFT_SOURCE', ...options });
    this.path = path;
  }
}

/** What a malformed-row policy does: fail the read, count and skip the row, or also set it aside. */
export type ErrorPolicy = 'fail' | 'skip' | 'quarantine';

/**
 * A row that does not fit the source's shape (wrong field count, a value that does not parse as its
 * column's type, an unclosed quote, bad JSON) under the `fail` policy.
 */
export class MalformedRowError extends UsageError {
  override name = 'MalformedRowError';
  /** The file the row is in. */
  readonly file: string;
  /** 1-based line number of the row's first line in the file. */
  readonly line: number;
  /** What is wrong with the row (expected vs found). */
  readonly reason: string;
  constructor(file: string, line: number, reason: string) {
    super(
      `${file}:${line}: malformed row: ${reason}. ` +
        "Fix the input, or choose a policy for bad rows: onError: 'skip' (count and drop them) or " +
        "onError: 'quarantine' with quarantinePath (count them and write them aside); the default is 'fail'.",
      { code: 'WEFT_MALFORMED_ROW' },
    );
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

for (const cls of [SourceError, MalformedRowError]) registerErrorClass(cls.name, cls);
