/**
 * The syntax tree of weft's expression language. It is plain data — objects, arrays, strings,
 * numbers, booleans and `null`, no classes, functions, `Map`s or `Date`s — because a parsed
 * expression travels to worker threads (and later other machines) as a message and is compiled
 * there (DESIGN.md: code is found, not sent). `JSON.stringify` and `structuredClone` keep it intact.
 *
 * Every node has `at`, the 0-based offset of its first character in the expression text, so that
 * the type checker and compiler can point at the offending character long after parsing.
 */
import type { SourceLocation } from '../location.js';
import type { DataType } from '../data-types.js';

/** The type of a literal: a data type, or `null` for the `NULL` literal. */
export type LiteralType = DataType | 'null';

/**
 * A literal. Numbers carry JS numbers; dates and timestamps carry their canonical ISO text
 * (`2013-01-01`, `2013-01-01T10:00:00.000Z`) so that the tree stays JSON-safe.
 */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly at: number;
  readonly type: LiteralType;
  readonly value: number | string | boolean | null;
}

/** A reference to an input column. */
export interface ColumnNode {
  readonly kind: 'column';
  readonly at: number;
  readonly name: string;
}

/** Unary operators: arithmetic negation and plus, and logical `NOT`. */
export type UnaryOperator = '-' | '+' | 'not';

/** `-x`, `+x`, `NOT c`. */
export interface UnaryNode {
  readonly kind: 'unary';
  readonly at: number;
  readonly op: UnaryOperator;
  readonly operand: Expr;
}

/** Arithmetic operators. */
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
/** Comparison operators (`==` is written as `=`, `<>` as `!=`). */
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
/** Binary operators. */
export type BinaryOperator = ArithmeticOperator | ComparisonOperator | '||' | 'and' | 'or';

/** `left op right`. `opAt` is the offset of the operator. */
export interface BinaryNode {
  readonly kind: 'binary';
  readonly at: number;
  readonly opAt: number;
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

/** `x IS [NOT] NULL`. */
export interface IsNullNode {
  readonly kind: 'isNull';
  readonly at: number;
  readonly opAt: number;
  readonly negated: boolean;
  readonly operand: Expr;
}

/** `x [NOT] IN (a, b, …)`. */
export interface InNode {
  readonly kind: 'in';
  readonly at: number;
  readonly opAt: number;
  readonly negated: boolean;
  readonly operand: Expr;
  readonly list: readonly Expr[];
}

/** `x [NOT] BETWEEN low AND high` (both ends included). */
export interface BetweenNode {
  readonly kind: 'between';
  readonly at: number;
  readonly opAt: number;
  readonly negated: boolean;
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
}

/** `x [NOT] LIKE pattern` with `%` (any run) and `_` (one character); `\` escapes. */
export interface LikeNode {
  readonly kind: 'like';
  readonly at: number;
  readonly opAt: number;
  readonly negated: boolean;
  readonly operand: Expr;
  readonly pattern: Expr;
}

/** One `WHEN … THEN …` of a `CASE`. */
export interface CaseBranch {
  readonly when: Expr;
  readonly then: Expr;
}

/** `CASE [subject] WHEN … THEN … [ELSE …] END`; `subject` and `otherwise` are `null` when absent. */
export interface CaseNode {
  readonly kind: 'case';
  readonly at: number;
  readonly subject: Expr | null;
  readonly branches: readonly CaseBranch[];
  readonly otherwise: Expr | null;
}

/** `CAST(x AS type)`; `type` is the canonical type of the name written. */
export interface CastNode {
  readonly kind: 'cast';
  readonly at: number;
  readonly operand: Expr;
  readonly type: DataType;
}

/**
 * A function call, scalar or aggregate. `name` is upper-case. `star` marks `COUNT(*)` (then
 * `args` is empty) and `distinct` marks `COUNT(DISTINCT x)`.
 */
export interface CallNode {
  readonly kind: 'call';
  readonly at: number;
  readonly name: string;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  readonly star: boolean;
}

/** Any node of an expression. */
export type Expr = LiteralNode | ColumnNode | UnaryNode | BinaryNode | IsNullNode | InNode | BetweenNode | LikeNode | CaseNode | CastNode | CallNode;

/**
 * A parsed expression: its tree and the text it came from, with the text's place in the user's
 * file, so that every later error can quote the text with a caret and start with `file:line:column`.
 */
export interface Expression {
  /** The expression as written. */
  readonly text: string;
  /** The root of the tree. */
  readonly root: Expr;
  /** Where the first character of `text` is in the user's file, when it is in one. */
  readonly location?: SourceLocation | undefined;
  /** Indentation of the lines after the first (a YAML block scalar's), for locations. @default 0 */
  readonly indent?: number | undefined;
}

/** The direct children of a node, in source order. */
export function childrenOf(node: Expr): Expr[] {
  switch (node.kind) {
    case 'literal':
    case 'column':
      return [];
    case 'unary':
    case 'isNull':
    case 'cast':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'in':
      return [node.operand, ...node.list];
    case 'between':
      return [node.operand, node.low, node.high];
    case 'like':
      return [node.operand, node.pattern];
    case 'case':
      return [...(node.subject ? [node.subject] : []), ...node.branches.flatMap((b) => [b.when, b.then]), ...(node.otherwise ? [node.otherwise] : [])];
    case 'call':
      return [...node.args];
  }
}

/** Every node of the tree, parents before children, in source order. */
export function* walk(node: Expr): Generator<Expr> {
  yield node;
  for (const child of childrenOf(node)) yield* walk(child);
}

/** The same expression (text, location) with another root, e.g. a sub-expression. */
export function withRoot(expression: Expression, root: Expr): Expression {
  return { ...expression, root };
}

/** A copy of `node` whose children are replaced by `f(child)` (leaves are returned as they are). */
export function mapChildren(node: Expr, f: (child: Expr) => Expr): Expr {
  switch (node.kind) {
    case 'literal':
    case 'column':
      return node;
    case 'unary':
    case 'isNull':
    case 'cast':
      return { ...node, operand: f(node.operand) };
    case 'binary':
      return { ...node, left: f(node.left), right: f(node.right) };
    case 'in':
      return { ...node, operand: f(node.operand), list: node.list.map(f) };
    case 'between':
      return { ...node, operand: f(node.operand), low: f(node.low), high: f(node.high) };
    case 'like':
      return { ...node, operand: f(node.operand), pattern: f(node.pattern) };
    case 'case':
      return {
        ...node,
        subject: node.subject && f(node.subject),
        branches: node.branches.map((b) => ({ when: f(b.when), then: f(b.then) })),
        otherwise: node.otherwise && f(node.otherwise),
      };
    case 'call':
      return { ...node, args: node.args.map(f) };
  }
}
