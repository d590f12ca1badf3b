// Shared helpers of the expression tests: evaluate a text over a row, catch an ExpressionError,
// print a tree fully parenthesised.
import { ExpressionError } from '../../../src/project/errors.js';
import { compileExpression, parseExpression, type ColumnTypes, type Expr } from '../../../src/project/expr/index.js';

/** Columns of most tests. */
export const COLUMNS = {
  i: 'integer',
  j: 'integer',
  l: 'long',
  x: 'double',
  y: 'double',
  s: 'string',
  t: 'string',
  b: 'boolean',
  c: 'boolean',
  d: 'date',
  ts: 'timestamp',
} as const satisfies ColumnTypes;

/** The value of `text` over `row` (NULL for columns the row lacks). */
export function evaluate(text: string, row: Record<string, unknown> = {}, columns: ColumnTypes = COLUMNS): unknown {
  return compileExpression(parseExpression(text), columns)(row);
}

/** The ExpressionError thrown by `fn`; fails the test if it throws anything else or nothing. */
export function expressionErrorOf(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionError, nothing was thrown');
}

/** A tree as an S-expression, so that tests can see exactly how a text was grouped. */
export function sexpr(node: Expr): string {
  switch (node.kind) {
    case 'literal':
      return node.type === 'string' ? `'${String(node.value)}'` : String(node.value);
    case 'column':
      return node.name;
    case 'unary':
      return `(${node.op} ${sexpr(node.operand)})`;
    case 'binary':
      return `(${node.op} ${sexpr(node.left)} ${sexpr(node.right)})`;
    case 'isNull':
      return `(${node.negated ? 'notnull' : 'isnull'} ${sexpr(node.operand)})`;
    case 'in':
      return `(${node.negated ? 'notin' : 'in'} ${sexpr(node.operand)} ${node.list.map(sexpr).join(' ')})`;
    case 'between':
      return `(${node.negated ? 'notbetween' : 'between'} ${sexpr(node.operand)} ${sexpr(node.low)} ${sexpr(node.high)})`;
    case 'like':
      return `(${node.negated ? 'notlike' : 'like'} ${sexpr(node.operand)} ${sexpr(node.pattern)})`;
    case 'case':
      return `(case${node.subject ? ` ${sexpr(node.subject)}` : ''}${node.branches.map((b) => ` [${sexpr(b.when)} ${sexpr(b.then)}]`).join('')}${node.otherwise ? ` else ${sexpr(node.otherwise)}` : ''})`;
    case 'cast':
      return `(cast ${sexpr(node.operand)} ${node.type})`;
    case 'call':
      return `(${node.name}${node.distinct ? ' distinct' : ''}${node.star ? ' *' : ''}${node.args.map((a) => ` ${sexpr(a)}`).join('')})`;
  }
}

/** The S-expression of a text. */
export function tree(text: string): string {
  return sexpr(parseExpression(text).root);
}
