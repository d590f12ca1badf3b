/**
 * Type inference: resolves every column against the input columns and gives every node its type
 * and nullability, or throws an `ExpressionError` pointing at the first thing that does not fit —
 * an unknown column or function, a wrong number of arguments, operands whose types do not meet, an
 * aggregate where a value per row is expected (or a bare column where an aggregate is).
 */
import type { BinaryNode, CaseNode, Expr, Expression } from './ast.js';
import { canCast } from './casts.js';
import { checkCall } from './check-call.js';
import { describeOperand, listColumns } from './describe.js';
import { didYouMean, expressionError } from './format-error.js';
import { forbiddenReason } from './functions.js';
import { moduloType } from './math-functions.js';
import { columnInfos, commonType, describeExpected, isNumberType, toResultType, type ColumnInfo, type ColumnTypes, type ExprType, type ResultType } from './types.js';

/** Options of {@link checkExpression}. */
export interface CheckOptions {
  /**
   * Check an aggregation (an `aggregate` mapping's aggregations): aggregate calls are expected,
   * and a column outside them must be one of `groupBy`. @default false
   */
  readonly aggregate?: boolean;
  /** The grouping columns of an aggregation, usable outside aggregate calls. @default [] */
  readonly groupBy?: readonly string[];
}

/** The type of one node. */
export interface NodeType {
  readonly type: ExprType;
  readonly nullable: boolean;
}

/** Every node's type, by node. */
export type TypeMap = ReadonlyMap<Expr, NodeType>;

/**
 * The result type of `expression` over `columns`. Throws `ExpressionError` (with position and
 * caret) for unknown names, wrong arities, ill-typed operands, misplaced aggregates.
 */
export function checkExpression(expression: Expression, columns: ColumnTypes, options: CheckOptions = {}): ResultType {
  const types = inferTypes(expression, columns, options);
  const root = types.get(expression.root) ?? { type: 'null', nullable: true };
  return toResultType(root.type, root.nullable);
}

/** The type of every node of `expression`; throws like {@link checkExpression}. */
export function inferTypes(expression: Expression, columns: ColumnTypes, options: CheckOptions = {}): TypeMap {
  const checker = new Checker(expression, columnInfos(columns), options);
  checker.visit(expression.root);
  return checker.types;
}

/** What `check-call.ts` needs from the checker. */
export interface CheckScope {
  readonly options: CheckOptions;
  /** The aggregate call being checked, when inside one. */
  aggregate: string | undefined;
  visit(node: Expr): NodeType;
  fail(offset: number, message: string): never;
}

class Checker implements CheckScope {
  readonly types = new Map<Expr, NodeType>();
  readonly options: CheckOptions;
  aggregate: string | undefined;
  readonly #expression: Expression;
  readonly #columns: Map<string, ColumnInfo>;

  constructor(expression: Expression, columns: Map<string, ColumnInfo>, options: CheckOptions) {
    this.#expression = expression;
    this.#columns = columns;
    this.options = options;
  }

  visit(node: Expr): NodeType {
    const type = this.#infer(node);
    this.types.set(node, type);
    return type;
  }

  fail(offset: number, message: string): never {
    throw expressionError(this.#expression, offset, message);
  }

  #infer(node: Expr): NodeType {
    switch (node.kind) {
      case 'literal':
        return { type: node.type, nullable: node.type === 'null' };
      case 'column':
        return this.#column(node.name, node.at);
      case 'unary':
        return this.#unary(node.op, node.operand);
      case 'binary':
        return this.#binary(node);
      case 'isNull':
        this.visit(node.operand);
        return { type: 'boolean', nullable: false };
      case 'in':
        return this.#comparisons(node.operand, node.list, node.negated ? 'NOT IN' : 'IN');
      case 'between':
        return this.#comparisons(node.operand, [node.low, node.high], node.negated ? 'NOT BETWEEN' : 'BETWEEN');
      case 'like':
        return this.#like(node.operand, node.pattern, node.negated ? 'NOT LIKE' : 'LIKE');
      case 'case':
        return this.#case(node);
      case 'cast': {
        const from = this.visit(node.operand);
        if (!canCast(from.type, node.type)) this.fail(node.operand.at, `expected a value that converts to ${node.type} in \`CAST\`, got ${describeOperand(node.operand, from.type)}`);
        // Parsing a string, narrowing a number or converting a time can fail: NULL, not an error.
        return { type: node.type, nullable: from.nullable || (from.type !== node.type && node.type !== 'string') };
      }
      case 'call':
        return checkCall(this, node);
    }
  }

  #column(name: string, at: number): NodeType {
    const info = this.#columns.get(name);
    if (info === undefined) return this.fail(at, this.#unknownColumn(name));
    const { aggregate, groupBy = [] } = this.options;
    if (aggregate === true && this.aggregate === undefined && !groupBy.includes(name)) {
      const grouping = groupBy.length > 0 ? `grouping columns: ${groupBy.join(', ')}` : 'there are no grouping columns';
      this.fail(at, `expected column \`${name}\` inside an aggregate function such as \`SUM(${name})\` or \`FIRST(${name})\`, found it bare in an aggregation (${grouping})`);
    }
    return { type: info.type, nullable: info.nullable };
  }

  #unknownColumn(name: string): string {
    const reason = forbiddenReason(name);
    if (reason) return `\`${name.toUpperCase()}\` is not available: ${reason}`;
    const names = [...this.#columns.keys()];
    const sameButCase = names.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    const hint = sameButCase ? `; did you mean \`${sameButCase}\`? (column names are case-sensitive)` : didYouMean(name, names);
    return `unknown column \`${name}\`${hint || '.'} Columns: ${listColumns(names)}`;
  }

  #unary(op: '-' | '+' | 'not', operand: Expr): NodeType {
    const inner = this.visit(operand);
    const wanted = op === 'not' ? 'boolean' : 'number';
    const fits = inner.type === 'null' || (op === 'not' ? inner.type === 'boolean' : isNumberType(inner.type));
    if (!fits) this.fail(operand.at, `expected a ${wanted} after \`${op === 'not' ? 'NOT' : op}\`, got ${describeOperand(operand, inner.type)}`);
    return inner;
  }

  #binary(node: BinaryNode): NodeType {
    const left = this.visit(node.left);
    const right = this.visit(node.right);
    const nullable = left.nullable || right.nullable;
    switch (node.op) {
      case 'and':
      case 'or':
        this.#expect(node, left.type, right.type, (t) => t === 'boolean', 'a boolean');
        return { type: 'boolean', nullable };
      case '||':
        return { type: 'string', nullable };
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        this.#expect(node, left.type, right.type, isNumberType, 'a number');
        if (node.op === '/') return { type: left.type === 'null' || right.type === 'null' ? 'null' : 'double', nullable: true };
        if (node.op === '%') return { type: moduloType([left.type, right.type]), nullable: true };
        return { type: commonType(left.type, right.type) ?? 'double', nullable };
      }
      default:
        if (commonType(left.type, right.type) === undefined) {
          this.fail(node.opAt, `expected values of the same kind on both sides of \`${node.op}\`, got ${describeOperand(node.left, left.type)} and ${describeOperand(node.right, right.type)}; convert one side with CAST(… AS type)`);
        }
        return { type: 'boolean', nullable };
    }
  }

  /** Both operands of `node` must be NULL or pass `ok`. */
  #expect(node: BinaryNode, left: ExprType, right: ExprType, ok: (type: ExprType) => boolean, wanted: string): void {
    const op = node.op === 'and' || node.op === 'or' ? node.op.toUpperCase() : node.op;
    if (left !== 'null' && !ok(left)) this.fail(node.left.at, `expected ${wanted} on the left of \`${op}\`, got ${describeOperand(node.left, left)}`);
    if (right !== 'null' && !ok(right)) this.fail(node.right.at, `expected ${wanted} on the right of \`${op}\`, got ${describeOperand(node.right, right)}`);
  }

  /** `x IN (…)` and `x BETWEEN a AND b`: each item must compare with `x`. */
  #comparisons(operand: Expr, items: readonly Expr[], what: string): NodeType {
    const subject = this.visit(operand);
    let nullable = subject.nullable;
    for (const item of items) {
      const type = this.visit(item);
      nullable ||= type.nullable;
      if (commonType(subject.type, type.type) === undefined) {
        this.fail(item.at, `expected a value comparable with ${describeOperand(operand, subject.type)} in \`${what}\`, got ${describeOperand(item, type.type)}`);
      }
    }
    return { type: 'boolean', nullable };
  }

  #like(operand: Expr, pattern: Expr, what: string): NodeType {
    const left = this.visit(operand);
    const right = this.visit(pattern);
    if (left.type !== 'string' && left.type !== 'null') this.fail(operand.at, `expected a string before \`${what}\`, got ${describeOperand(operand, left.type)}`);
    if (right.type !== 'string' && right.type !== 'null') this.fail(pattern.at, `expected a string pattern after \`${what}\`, got ${describeOperand(pattern, right.type)}`);
    return { type: 'boolean', nullable: left.nullable || right.nullable };
  }

  #case(node: CaseNode): NodeType {
    const subject = node.subject ? this.visit(node.subject) : undefined;
    let result: ExprType = 'null';
    let nullable = node.otherwise === null;
    for (const branch of node.branches) {
      const when = this.visit(branch.when);
      if (node.subject && subject && commonType(subject.type, when.type) === undefined) {
        this.fail(branch.when.at, `expected a value comparable with ${describeOperand(node.subject, subject.type)} after \`WHEN\`, got ${describeOperand(branch.when, when.type)}`);
      }
      if (!node.subject && when.type !== 'boolean' && when.type !== 'null') this.fail(branch.when.at, `expected a boolean condition after \`WHEN\`, got ${describeOperand(branch.when, when.type)}`);
      ({ result, nullable } = this.#branch(branch.then, result, nullable));
    }
    if (node.otherwise) ({ result, nullable } = this.#branch(node.otherwise, result, nullable));
    return { type: result, nullable };
  }

  /** One result of a `CASE`: its type must meet the earlier ones'. */
  #branch(value: Expr, result: ExprType, nullable: boolean): { result: ExprType; nullable: boolean } {
    const type = this.visit(value);
    const next = commonType(result, type.type);
    if (next === undefined) this.fail(value.at, `expected ${describeExpected(result)} result like the earlier branches of \`CASE\`, got ${describeOperand(value, type.type)}`);
    return { result: next, nullable: nullable || type.nullable };
  }
}
