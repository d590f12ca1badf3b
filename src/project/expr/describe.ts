/**
 * How type errors name what they found: "string column `name`", "integer 3", "NULL",
 * "double `a / b`" — the type first, then the operand as the user would recognise it.
 */
import type { Expr } from './ast.js';
import { formatExpression } from './format.js';
import type { ExprType } from './types.js';
import type { ParamKind } from './function-def.js';

const MAX_TEXT = 40;

/** The operand `node` of type `type`, for "…, got <this>". */
export function describeOperand(node: Expr, type: ExprType): string {
  if (node.kind === 'column') return `${type} column \`${node.name}\``;
  if (node.kind === 'literal') return node.type === 'null' ? 'NULL' : `${type} ${formatExpression(node)}`;
  const text = formatExpression(node);
  return `${type} \`${text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text}\``;
}

/** What a parameter kind accepts, for "expected <this>". */
export function describeKind(kind: ParamKind): string {
  switch (kind) {
    case 'number':
      return 'a number';
    case 'integer':
      return 'an integer';
    case 'temporal':
      return 'a date or timestamp';
    case 'any':
      return 'a value';
    default:
      return `a ${kind}`;
  }
}

/** True when a value of `type` fits a parameter of `kind`; NULL fits everything. */
export function fitsKind(type: ExprType, kind: ParamKind): boolean {
  if (type === 'null' || kind === 'any') return true;
  switch (kind) {
    case 'number':
      return type === 'integer' || type === 'long' || type === 'double';
    case 'integer':
      return type === 'integer' || type === 'long';
    case 'temporal':
      return type === 'date' || type === 'timestamp';
    default:
      return type === kind;
  }
}

/** `columns` as a short list for messages: the first 30 names, then "and N more". */
export function listColumns(names: readonly string[]): string {
  const shown = names.slice(0, 30).join(', ');
  return names.length > 30 ? `${shown} and ${names.length - 30} more` : shown || '(none)';
}
