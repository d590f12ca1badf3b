/**
 * The parser: precedence climbing over the lexer's tokens, one method per precedence level, from
 * loosest to tightest — `OR`, `AND`, `NOT`, comparisons (`=`, `IS NULL`, `IN`, `BETWEEN`, `LIKE`),
 * `||`, `+ -`, `* / %`, unary `- +`, then primaries (literals, columns, calls, `CASE`, `CAST`,
 * parentheses). It only builds the tree; names and types are the checker's business.
 */
import type { SourceLocation } from '../location.js';
import type { BinaryOperator, CallNode, CaseBranch, ComparisonOperator, Expr, Expression, LiteralNode } from './ast.js';
import { tokenize, type Token } from './lexer.js';
import { expressionError, quoteFound, type ExpressionSource } from './format-error.js';
import { parseDateText, parseTimestampText } from './dates.js';
import { parseCastType } from './cast-type.js';

/** Words that cannot be bare column names (quote such a column in backticks). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'and', 'or', 'not', 'is', 'null', 'in', 'between', 'like', 'case', 'when', 'then', 'else', 'end', 'cast', 'as', 'true', 'false', 'distinct',
]);

/** Reserved words that join operands: finding one where an operand belongs means one is missing. */
const OPERATOR_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'is', 'in', 'between', 'like']);

/** Options of {@link parseExpression}. */
export interface ParseOptions {
  /** Where the first character of the text is in the user's file. */
  readonly location?: SourceLocation | undefined;
  /** Indentation of the text's lines after the first (a YAML block scalar's). @default 0 */
  readonly indent?: number | undefined;
}

const COMPARISONS: Readonly<Record<string, ComparisonOperator>> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const MAX_INTEGER = 2_147_483_647;

/** Parses `text` into an {@link Expression}. Throws `ExpressionError` with a caret on bad syntax. */
export function parseExpression(text: string, options: ParseOptions = {}): Expression {
  const source: ExpressionSource = { text, location: options.location, indent: options.indent };
  const root = new Parser(source).parse();
  const expression: Expression = { text, root };
  return {
    ...expression,
    ...(options.location ? { location: options.location } : {}),
    ...(options.indent ? { indent: options.indent } : {}),
  };
}

class Parser {
  readonly #source: ExpressionSource;
  readonly #tokens: Token[];
  #pos = 0;

  constructor(source: ExpressionSource) {
    this.#source = source;
    this.#tokens = tokenize(source);
  }

  parse(): Expr {
    if (this.#peek().type === 'eof') throw this.#error(this.#peek(), 'expected an expression, found an empty text');
    const root = this.#or();
    const rest = this.#peek();
    if (rest.type !== 'eof') {
      const hint = rest.type === 'ident' || rest.type === 'quoted' || rest.type === 'number' || rest.type === 'string' ? ' (is an operator or a comma missing?)' : '';
      throw this.#error(rest, `expected an operator or the end of the expression, found ${quoteFound(rest.text)}${hint}`);
    }
    return root;
  }

  #or(): Expr {
    let left = this.#and();
    while (this.#isWord('or')) left = this.#binary('or', left, this.#next(), this.#and());
    return left;
  }

  #and(): Expr {
    let left = this.#not();
    while (this.#isWord('and')) left = this.#binary('and', left, this.#next(), this.#not());
    return left;
  }

  #not(): Expr {
    if (!this.#isWord('not')) return this.#comparison();
    const at = this.#next().at;
    return { kind: 'unary', at, op: 'not', operand: this.#not() };
  }

  #comparison(): Expr {
    let left = this.#concat();
    for (;;) {
      const token = this.#peek();
      const op = token.type === 'op' ? COMPARISONS[token.text] : undefined;
      if (op) left = this.#binary(op, left, this.#next(), this.#concat());
      else if (this.#isWord('is')) left = this.#isNull(left);
      else if (this.#isWord('not') || this.#isWord('in') || this.#isWord('between') || this.#isWord('like')) left = this.#predicate(left);
      else return left;
    }
  }

  #isNull(operand: Expr): Expr {
    const opAt = this.#next().at;
    const negated = this.#acceptWord('not');
    this.#expectWord('null', 'after `IS [NOT]`');
    return { kind: 'isNull', at: operand.at, opAt, negated, operand };
  }

  /** `[NOT] IN (…)`, `[NOT] BETWEEN a AND b`, `[NOT] LIKE p`. */
  #predicate(operand: Expr): Expr {
    const opAt = this.#peek().at;
    const negated = this.#acceptWord('not');
    const at = operand.at;
    if (this.#acceptWord('in')) {
      this.#expectOp('(', 'after `IN`');
      const list = this.#list('the IN list');
      return { kind: 'in', at, opAt, negated, operand, list };
    }
    if (this.#acceptWord('between')) {
      const low = this.#concat();
      this.#expectWord('and', 'between the bounds of `BETWEEN`');
      return { kind: 'between', at, opAt, negated, operand, low, high: this.#concat() };
    }
    if (this.#acceptWord('like')) return { kind: 'like', at, opAt, negated, operand, pattern: this.#concat() };
    throw this.#error(this.#peek(), `expected \`IN\`, \`BETWEEN\` or \`LIKE\` after \`NOT\`, found ${quoteFound(this.#peek().text)}`);
  }

  #concat(): Expr {
    let left = this.#additive();
    while (this.#isOp('||')) left = this.#binary('||', left, this.#next(), this.#additive());
    return left;
  }

  #additive(): Expr {
    let left = this.#multiplicative();
    while (this.#isOp('+') || this.#isOp('-')) {
      const token = this.#next();
      left = this.#binary(token.text as BinaryOperator, left, token, this.#multiplicative());
    }
    return left;
  }

  #multiplicative(): Expr {
    let left = this.#unary();
    while (this.#isOp('*') || this.#isOp('/') || this.#isOp('%')) {
      const token = this.#next();
      left = this.#binary(token.text as BinaryOperator, left, token, this.#unary());
    }
    return left;
  }

  #unary(): Expr {
    if (!this.#isOp('-') && !this.#isOp('+')) return this.#primary();
    const token = this.#next();
    return { kind: 'unary', at: token.at, op: token.text as '-' | '+', operand: this.#unary() };
  }

  #primary(): Expr {
    const token = this.#peek();
    switch (token.type) {
      case 'number':
        return this.#number(this.#next());
      case 'string':
        this.#next();
        return { kind: 'literal', at: token.at, type: 'string', value: token.value };
      case 'quoted':
        this.#next();
        return { kind: 'column', at: token.at, name: token.value };
      case 'ident':
        return this.#word();
      case 'op':
        if (token.text === '(') return this.#parenthesised();
        break;
      case 'eof':
        break;
    }
    throw this.#error(token, `expected an expression, found ${quoteFound(token.text)}`);
  }

  #parenthesised(): Expr {
    this.#next();
    const inner = this.#or();
    this.#expectOp(')', 'to close the parenthesis');
    return inner;
  }

  #number(token: Token): LiteralNode {
    const value = Number(token.text);
    if (/[.eE]/.test(token.text)) return { kind: 'literal', at: token.at, type: 'double', value };
    if (!Number.isSafeInteger(value)) {
      throw this.#error(token, `expected an integer up to ${Number.MAX_SAFE_INTEGER}, found \`${token.text}\`; write a larger number as a decimal (e.g. \`${token.text}.0\`)`);
    }
    return { kind: 'literal', at: token.at, type: value > MAX_INTEGER ? 'long' : 'integer', value };
  }

  /** An identifier: a keyword-led form, a typed literal, a function call or a column. */
  #word(): Expr {
    const token = this.#peek();
    const word = token.value.toLowerCase();
    const after = this.#tokens[this.#pos + 1];
    if (word === 'true' || word === 'false') {
      this.#next();
      return { kind: 'literal', at: token.at, type: 'boolean', value: word === 'true' };
    }
    if (word === 'null') {
      this.#next();
      return { kind: 'literal', at: token.at, type: 'null', value: null };
    }
    if (word === 'case') return this.#case();
    if (word === 'cast') return this.#cast();
    if ((word === 'date' || word === 'timestamp') && after?.type === 'string') return this.#typedLiteral(word);
    if (after?.type === 'op' && after.text === '(') return this.#call();
    if (OPERATOR_WORDS.has(word)) throw this.#error(token, `expected an expression, found \`${token.text.toUpperCase()}\``);
    if (RESERVED_WORDS.has(word)) {
      throw this.#error(token, `expected an expression, found the keyword \`${token.text.toUpperCase()}\`; a column of that name must be quoted: \`${token.text}\``);
    }
    this.#next();
    return { kind: 'column', at: token.at, name: token.value };
  }

  #typedLiteral(word: 'date' | 'timestamp'): LiteralNode {
    const at = this.#next().at;
    const text = this.#next();
    const time = word === 'date' ? parseDateText(text.value) : parseTimestampText(text.value);
    if (time === null || (word === 'date' && !/^\s*\d{4}-\d{1,2}-\d{1,2}\s*$/.test(text.value))) {
      const form = word === 'date' ? "DATE 'yyyy-MM-dd'" : "TIMESTAMP 'yyyy-MM-ddTHH:mm:ss[.SSS][Z|±hh:mm]'";
      throw this.#error(text, `expected a valid ${word} in the form ${form}, found ${text.text}`);
    }
    const iso = new Date(time).toISOString();
    return { kind: 'literal', at, type: word, value: word === 'date' ? iso.slice(0, 10) : iso };
  }

  #case(): Expr {
    const at = this.#next().at;
    if (this.#isWord('end')) throw this.#error(this.#peek(), 'expected `WHEN` in `CASE`, found `END`');
    const subject = this.#isWord('when') ? null : this.#or();
    const branches: CaseBranch[] = [];
    while (this.#acceptWord('when')) {
      const when = this.#or();
      this.#expectWord('then', 'after the `WHEN` condition');
      branches.push({ when, then: this.#or() });
    }
    if (branches.length === 0) throw this.#error(this.#peek(), `expected \`WHEN\` in \`CASE\`, found ${quoteFound(this.#peek().text)}`);
    const otherwise = this.#acceptWord('else') ? this.#or() : null;
    this.#expectWord('end', 'to close `CASE` (or another `WHEN` / `ELSE`)');
    return { kind: 'case', at, subject, branches, otherwise };
  }

  #cast(): Expr {
    const at = this.#next().at;
    this.#expectOp('(', 'after `CAST`');
    const operand = this.#or();
    this.#expectWord('as', 'in `CAST(x AS type)`');
    const name = this.#peek();
    if (name.type !== 'ident') throw this.#error(name, `expected a type name after \`AS\`, found ${quoteFound(name.text)}`);
    const type = parseCastType(this.#source, name);
    this.#next();
    if (this.#isOp('(')) this.#skipTypeParameters();
    this.#expectOp(')', 'to close `CAST(`');
    return { kind: 'cast', at, operand, type };
  }

  /** `DECIMAL(10, 2)`, `VARCHAR(20)`: precision and length do not change weft's type. */
  #skipTypeParameters(): void {
    this.#next();
    for (;;) {
      const token = this.#next();
      if (token.type !== 'number') throw this.#error(token, `expected a number in the type's parameters, found ${quoteFound(token.text)}`);
      if (this.#isOp(')')) break;
      this.#expectOp(',', 'between type parameters');
    }
    this.#next();
  }

  #call(): CallNode {
    const nameToken = this.#next();
    const name = nameToken.value.toUpperCase();
    this.#next();
    const base = { kind: 'call' as const, at: nameToken.at, name };
    if (this.#isOp('*')) {
      const star = this.#next();
      if (name !== 'COUNT') throw this.#error(star, `expected arguments of \`${name}\`, found \`*\` (only \`COUNT(*)\` takes \`*\`)`);
      this.#expectOp(')', 'after `COUNT(*`');
      return { ...base, args: [], distinct: false, star: true };
    }
    const distinct = this.#acceptWord('distinct');
    if (this.#isOp(')') && !distinct) {
      this.#next();
      return { ...base, args: [], distinct, star: false };
    }
    return { ...base, args: this.#list(`the arguments of \`${name}\``), distinct, star: false };
  }

  /** Comma-separated expressions up to and including `)`; the `(` is already consumed. */
  #list(what: string): Expr[] {
    const items = [this.#or()];
    while (this.#isOp(',')) {
      this.#next();
      items.push(this.#or());
    }
    this.#expectOp(')', `to close ${what} (or \`,\` for another item)`);
    return items;
  }

  #binary(op: BinaryOperator, left: Expr, token: Token, right: Expr): Expr {
    return { kind: 'binary', at: left.at, opAt: token.at, op, left, right };
  }

  #peek(): Token {
    return this.#tokens[this.#pos] ?? this.#tokens[this.#tokens.length - 1]!;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.type !== 'eof') this.#pos++;
    return token;
  }

  #isWord(word: string): boolean {
    const token = this.#peek();
    return token.type === 'ident' && token.value.toLowerCase() === word;
  }

  #isOp(op: string): boolean {
    const token = this.#peek();
    return token.type === 'op' && token.text === op;
  }

  #acceptWord(word: string): boolean {
    if (!this.#isWord(word)) return false;
    this.#next();
    return true;
  }

  #expectWord(word: string, where: string): void {
    if (!this.#acceptWord(word)) throw this.#error(this.#peek(), `expected \`${word.toUpperCase()}\` ${where}, found ${quoteFound(this.#peek().text)}`);
  }

  #expectOp(op: string, where: string): void {
    if (!this.#isOp(op)) throw this.#error(this.#peek(), `expected \`${op}\` ${where}, found ${quoteFound(this.#peek().text)}`);
    this.#next();
  }

  #error(token: Token, message: string): Error {
    return expressionError(this.#source, token.at, message);
  }
}
