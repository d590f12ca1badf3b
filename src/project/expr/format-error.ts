/**
 * Error messages that point into an expression: `file:line:column: message`, then the line of the
 * expression with a caret under the offending character. One helper so that the lexer, parser,
 * type checker and compiler all report errors the same way.
 */
import { closest } from '../../config/suggest.js';
import { ExpressionError } from '../errors.js';
import { locateInText, type SourceLocation } from '../location.js';

/** Where an expression text is: enough to turn an offset into `file:line:column` and a caret. */
export interface ExpressionSource {
  readonly text: string;
  readonly location?: SourceLocation | undefined;
  readonly indent?: number | undefined;
}

/**
 * The line of `text` that holds `offset`, indented by four spaces, and a caret line under it.
 * Tabs before the caret are kept so that the caret lines up in a terminal.
 */
export function caretSnippet(text: string, offset: number): string {
  const at = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  const line = text.slice(lineStart, newline === -1 ? text.length : newline).replace(/\r$/, '');
  const pad = line.slice(0, at - lineStart).replace(/[^\t]/g, ' ');
  return `    ${line}\n    ${pad}^`;
}

/** An {@link ExpressionError} at character `offset` of `source.text`, with location and caret. */
export function expressionError(source: ExpressionSource, offset: number, message: string, cause?: unknown): ExpressionError {
  const location = source.location ? locateInText(source.location, source.text, offset, source.indent ?? 0) : undefined;
  return new ExpressionError(`${message}\n${caretSnippet(source.text, offset)}`, source.text, offset, {
    location,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A token or text quoted for a message: `` `text` ``, or "the end of the expression". */
export function quoteFound(text: string | undefined): string {
  return text === undefined || text === '' ? 'the end of the expression' : `\`${text}\``;
}

/** `; did you mean `a` or `b`?` for the candidates closest to `input`, or the empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const found = closest(input, candidates);
  if (found.length === 0) return '';
  const quoted = found.map((name) => `\`${name}\``);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return `; did you mean ${list}?`;
}
