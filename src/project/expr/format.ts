/**
 * The canonical text of an expression: upper-case keywords and function names, single spaces,
 * only the parentheses precedence needs, backticks only where a name needs them. `explain` output
 * shows it, and fingerprints hash it, so two spellings of one expression get one text; parsing the
 * text again gives the same tree (up to offsets).
 */
import type { Expr, Expression, LiteralNode } from './ast.js';
import { RESERVED_WORDS } from './parser.js';

/** Binding strength of each level, loosest first (see the parser). */
const enum Level {
  Or = 1,
  And = 2,
  Not = 3,
  Comparison = 4,
  Concat = 5,
  Additive = 6,
  Multiplicative = 7,
  Unary = 8,
  Primary = 9,
}

/** The canonical text of an expression or node. */
export function formatExpression(expression: Expression | Expr): string {
  return format('root' in expression ? expression.root : expression);
}

function levelOf(node: Expr): Level {
  switch (node.kind) {
    case 'binary':
      if (node.op === 'or') return Level.Or;
      if (node.op === 'and') return Level.And;
      if (node.op === '||') return Level.Concat;
      if (node.op === '+' || node.op === '-') return Level.Additive;
      if (node.op === '*' || node.op === '/' || node.op === '%') return Level.Multiplicative;
      return Level.Comparison;
    case 'unary':
      return node.op === 'not' ? Level.Not : Level.Unary;
    case 'isNull':
    case 'in':
    case 'between':
    case 'like':
      return Level.Comparison;
    default:
      return Level.Primary;
  }
}

/** `node` in parentheses when it binds looser than `min`. */
function operand(node: Expr, min: Level): string {
  const text = format(node);
  return levelOf(node) < min ? `(${text})` : text;
}

function format(node: Expr): string {
  switch (node.kind) {
    case 'literal':
      return formatLiteral(node);
    case 'column':
      return formatName(node.name);
    case 'unary':
      return formatUnary(node.op, node.operand);
    case 'binary': {
      const level = levelOf(node);
      const op = node.op === 'and' || node.op === 'or' ? node.op.toUpperCase() : node.op;
      return `${operand(node.left, level)} ${op} ${operand(node.right, level + 1)}`;
    }
    case 'isNull':
      return `${operand(node.operand, Level.Comparison)} IS ${node.negated ? 'NOT ' : ''}NULL`;
    case 'in':
      return `${operand(node.operand, Level.Comparison)} ${node.negated ? 'NOT ' : ''}IN (${node.list.map(format).join(', ')})`;
    case 'between':
      return `${operand(node.operand, Level.Comparison)} ${node.negated ? 'NOT ' : ''}BETWEEN ${operand(node.low, Level.Concat)} AND ${operand(node.high, Level.Concat)}`;
    case 'like':
      return `${operand(node.operand, Level.Comparison)} ${node.negated ? 'NOT ' : ''}LIKE ${operand(node.pattern, Level.Concat)}`;
    case 'case': {
      const subject = node.subject ? ` ${format(node.subject)}` : '';
      const branches = node.branches.map((b) => ` WHEN ${format(b.when)} THEN ${format(b.then)}`).join('');
      const otherwise = node.otherwise ? ` ELSE ${format(node.otherwise)}` : '';
      return `CASE${subject}${branches}${otherwise} END`;
    }
    case 'cast':
      return `CAST(${format(node.operand)} AS ${node.type.toUpperCase()})`;
    case 'call':
      if (node.star) return `${node.name}(*)`;
      return `${node.name}(${node.distinct ? 'DISTINCT ' : ''}${node.args.map(format).join(', ')})`;
  }
}

function formatUnary(op: '-' | '+' | 'not', inner: Expr): string {
  if (op === 'not') return `NOT ${operand(inner, Level.Not)}`;
  // `- -x` must not print as `--x`, and `-(1)` keeps a literal's sign apart from it.
  const text = operand(inner, Level.Unary);
  return inner.kind === 'unary' && inner.op !== 'not' ? `${op}(${text})` : `${op}${text}`;
}

function formatLiteral(node: LiteralNode): string {
  switch (node.type) {
    case 'null':
      return 'NULL';
    case 'boolean':
      return node.value === true ? 'TRUE' : 'FALSE';
    case 'string':
      return quoteString(String(node.value));
    case 'date':
      return `DATE ${quoteString(String(node.value))}`;
    case 'timestamp':
      return `TIMESTAMP ${quoteString(String(node.value))}`;
    case 'double': {
      // A double must read back as a double: `1` would be an integer.
      const text = String(node.value);
      return /[.e]/.test(text) ? text : `${text}.0`;
    }
    default:
      return String(node.value);
  }
}

/** `'text'` with `'` doubled. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A column name, in backticks unless it is a plain identifier and not a keyword. */
export function formatName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED_WORDS.has(name.toLowerCase()) ? name : `\`${name.replaceAll('`', '``')}\``;
}
