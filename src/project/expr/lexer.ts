/**
 * Splits an expression text into tokens. Hand-written: the language is small, and a hand-written
 * lexer gives the exact offsets and the specific hints (double quotes, unterminated strings) that
 * a user of a YAML project needs.
 */
import { expressionError, type ExpressionSource } from './format-error.js';

/** What kind of token. Keywords are `ident` tokens; the parser compares them case-insensitively. */
export type TokenType = 'number' | 'string' | 'ident' | 'quoted' | 'op' | 'eof';

/** One token: its text as written, its value (unquoted string, identifier name) and offset. */
export interface Token {
  readonly type: TokenType;
  /** The characters as written (empty for `eof`). */
  readonly text: string;
  /** The string content of a `string`, the name of a `quoted` identifier, else `text`. */
  readonly value: string;
  readonly at: number;
}

const OPERATORS = ['<=', '>=', '<>', '!=', '==', '||', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ','];
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

/** The tokens of `source.text`, ending with one `eof` token. Throws `ExpressionError`. */
export function tokenize(source: ExpressionSource): Token[] {
  const text = source.text;
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const token = readToken(source, i);
    tokens.push(token);
    i += token.text.length;
  }
  tokens.push({ type: 'eof', text: '', value: '', at: text.length });
  return tokens;
}

function readToken(source: ExpressionSource, at: number): Token {
  const text = source.text;
  const c = text[at] ?? '';
  if (c === "'") return readQuoted(source, at, "'", 'string');
  if (c === '`') return readQuoted(source, at, '`', 'quoted');
  NUMBER.lastIndex = at;
  const number = /[0-9.]/.test(c) ? NUMBER.exec(text) : null;
  if (number) {
    const end = at + number[0].length;
    if (IDENT_START.test(text[end] ?? '')) {
      throw expressionError(source, end, `expected an operator after the number \`${number[0]}\`, found \`${text[end]}\``);
    }
    return { type: 'number', text: number[0], value: number[0], at };
  }
  IDENT.lastIndex = at;
  const ident = IDENT.exec(text);
  if (ident) return { type: 'ident', text: ident[0], value: ident[0], at };
  const op = OPERATORS.find((candidate) => text.startsWith(candidate, at));
  if (op) return { type: 'op', text: op, value: op, at };
  throw expressionError(source, at, unexpectedCharacter(c));
}

function unexpectedCharacter(c: string): string {
  if (c === '"') {
    return 'unexpected `"`: write strings in single quotes (\'text\', with \'\' for a quote inside) and quote column names with backticks (`my column`)';
  }
  if (c === '!') return 'unexpected `!`: write `NOT c` for negation and `!=` or `<>` for inequality';
  if (c === '&' || c === '|') return `unexpected \`${c}\`: write \`AND\` / \`OR\` for logic and \`||\` to concatenate strings`;
  return `unexpected character \`${c}\`; expected a column, a literal, an operator or a parenthesis`;
}

/** A `'string'` or `` `identifier` `` in which the quote character is escaped by doubling it. */
function readQuoted(source: ExpressionSource, at: number, quote: string, type: 'string' | 'quoted'): Token {
  const text = source.text;
  let value = '';
  let i = at + 1;
  for (;;) {
    const next = text.indexOf(quote, i);
    if (next === -1) {
      const what = type === 'string' ? `string starting here; close it with ${quote}` : `quoted column name starting here; close it with ${quote}`;
      throw expressionError(source, at, `unterminated ${what} (write ${quote}${quote} for a ${quote} inside)`);
    }
    value += text.slice(i, next);
    if (text[next + 1] === quote) {
      value += quote;
      i = next + 2;
      continue;
    }
    if (type === 'quoted' && value === '') throw expressionError(source, at, 'expected a column name between the backticks, found ``');
    return { type, text: text.slice(at, next + 1), value, at };
  }
}
