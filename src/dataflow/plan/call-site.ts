/**
 * Where in the user's code an operator was called, so that errors about its function can say
 * `file:line:column` and a lambda compiled in a worker reports the user's file and line in its stack.
 *
 * The stack is captured when the operator is added (cheap: V8 formats it only when read) and read
 * as the loader formats it, so a TypeScript file run through tsx or vitest gives its own lines,
 * not those of the transpiled code. The lambda itself starts at the first argument of the call,
 * found by scanning the file from the call's position.
 */
import { readFileSync } from 'node:fs';
import { userPosition, type SourcePosition } from '../../stack-frames.js';

export type { SourcePosition };

/** The stack of an operator call, resolved to the user's position on first use. */
export class CallSite {
  readonly #error: Error;
  #call: SourcePosition | null | undefined;
  #lambda: SourcePosition | null | undefined;

  private constructor(error: Error) {
    this.#error = error;
  }

  /** Captures the current stack (call this from the operator method). */
  static capture(): CallSite {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 30;
    try {
      return new CallSite(new Error('call site'));
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  /** The user's call of the operator, or `undefined` when no user frame is on the stack. */
  get call(): SourcePosition | undefined {
    if (this.#call === undefined) this.#call = firstUserFrame(this.#error.stack ?? '') ?? null;
    return this.#call ?? undefined;
  }

  /** Where the function argument of the call starts (the lambda), else the call itself. */
  get lambda(): SourcePosition | undefined {
    if (this.#lambda === undefined) {
      const call = this.call;
      this.#lambda = call === undefined ? null : (firstArgument(call) ?? call);
    }
    return this.#lambda ?? undefined;
  }
}

/** `file:line:column` of a position. */
export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

function firstUserFrame(stack: string): SourcePosition | undefined {
  for (const line of stack.split('\n').slice(1)) {
    const position = userPosition(line);
    if (position !== undefined) return position;
  }
  return undefined;
}

const texts = new Map<string, string | undefined>();

/** The text of a user file, read once (undefined when it cannot be read). */
export function sourceText(file: string): string | undefined {
  if (!texts.has(file)) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    texts.set(file, text);
  }
  return texts.get(file);
}

/** The position of the first argument of the call at `call`: after the next `(`, past whitespace. */
function firstArgument(call: SourcePosition): SourcePosition | undefined {
  const text = sourceText(call.file);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  let line = call.line - 1;
  let column = call.column - 1;
  let open = false;
  for (let scanned = 0; line < lines.length && scanned < 2000; scanned++) {
    const current = lines[line]!;
    if (column >= current.length) {
      line++;
      column = 0;
      continue;
    }
    const ch = current[column]!;
    if (!open) open = ch === '(';
    else if (!/\s/.test(ch)) return { file: call.file, line: line + 1, column: column + 1 };
    column++;
  }
  return undefined;
}
