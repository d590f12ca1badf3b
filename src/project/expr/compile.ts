/**
 * Compiles a checked tree into a JS closure by composing one closure per node — no `eval`, no
 * `new Function`, so it runs wherever the tree arrives as data (worker threads). Sub-expressions
 * without columns are computed once at compile time; `LIKE` patterns, regular expressions, date
 * patterns and constant `IN` lists are prepared once. The per-row path allocates nothing except
 * the values it returns (strings, `Date`s).
 */
import type { BetweenNode, BinaryNode, CaseNode, ComparisonOperator, Expr, Expression, InNode, LikeNode } from './ast.js';
import { isAggregateCall } from './aggregate-functions.js';
import { conversion } from './casts.js';
import { inferTypes, type NodeType, type TypeMap } from './check.js';
import { and, arithmetic, columnVersusNumber, comparison, maybeNot, negate, not, or } from './compile-ops.js';
import { expressionError } from './format-error.js';
import type { Evaluator, Row } from './function-def.js';
import { scalarFunction } from './functions.js';
import { compileLike, likeCache } from './like.js';
import { concatenation } from './string-functions.js';
import { commonType, describeExpected, familyOf, type ColumnTypes, type ExprType } from './types.js';
import { comparatorFor, equalityFor, keyFor, stringifierFor } from './values.js';

const NO_ROW: Row = Object.freeze({});

/**
 * The evaluator of a row expression over `columns`: type-checks it first (throwing
 * `ExpressionError`), then returns `(row) => value` with `null` for NULL.
 */
export function compileExpression(expression: Expression, columns: ColumnTypes): Evaluator {
  const types = inferTypes(expression, columns);
  return new Compiler(expression, types).compile(expression.root).evaluate;
}

/**
 * The predicate of a condition (a `filter`, an assertion): true only where the condition is
 * TRUE — FALSE and NULL both reject the row. Throws `ExpressionError` unless it is a boolean.
 */
export function compileCondition(expression: Expression, columns: ColumnTypes): (row: Row) => boolean {
  const types = inferTypes(expression, columns);
  const type = types.get(expression.root)?.type ?? 'null';
  if (type !== 'boolean' && type !== 'null') {
    throw expressionError(expression, expression.root.at, `expected a condition (a boolean such as \`x > 0\`), got ${describeExpected(type)} expression`);
  }
  const evaluate = new Compiler(expression, types).compile(expression.root).evaluate;
  return (row) => evaluate(row) === true;
}

/** Compiles a child node, noting whether it is constant. */
type Child = (node: Expr) => Compiled;

interface Compiled {
  readonly evaluate: Evaluator;
  /** True when the value does not depend on the row. */
  readonly constant: boolean;
}

class Compiler {
  readonly #expression: Expression;
  readonly #types: TypeMap;

  constructor(expression: Expression, types: TypeMap) {
    this.#expression = expression;
    this.#types = types;
  }

  compile(node: Expr): Compiled {
    if (node.kind === 'column') {
      const name = node.name;
      return { evaluate: (row) => row[name] ?? null, constant: false };
    }
    if (node.kind === 'literal') {
      const value = literalValue(node.type, node.value);
      return { evaluate: () => value, constant: true };
    }
    if (node.kind === 'call' && isAggregateCall(node)) {
      throw expressionError(this.#expression, node.at, `expected a row expression, found the aggregate \`${node.name}\`; compile the parts that analyzeAggregation() returns`);
    }
    let constant = true;
    const child: Child = (c) => {
      const compiled = this.compile(c);
      constant &&= compiled.constant;
      return compiled;
    };
    const evaluate = this.#node(node, child);
    if (!constant) return { evaluate, constant: false };
    // Every input is constant: compute once (shared `Date`s and strings are never mutated).
    const value = evaluate(NO_ROW);
    return { evaluate: () => value, constant: true };
  }

  #type(node: Expr): NodeType {
    return this.#types.get(node) ?? { type: 'null', nullable: true };
  }

  #node(node: Exclude<Expr, { kind: 'column' | 'literal' }>, child: Child): Evaluator {
    switch (node.kind) {
      case 'unary':
        if (node.op === 'not') return not(child(node.operand).evaluate);
        return node.op === '-' ? negate(this.#type(node).type, child(node.operand).evaluate) : child(node.operand).evaluate;
      case 'binary':
        if (node.op === 'and') return and(child(node.left).evaluate, child(node.right).evaluate);
        if (node.op === 'or') return or(child(node.left).evaluate, child(node.right).evaluate);
        if (node.op === '||') return concatenation([child(node.left).evaluate, child(node.right).evaluate], [this.#printer(node.left), this.#printer(node.right)]);
        if (['+', '-', '*', '/', '%'].includes(node.op)) return arithmetic(node.op as '+', this.#type(node).type, child(node.left).evaluate, child(node.right).evaluate);
        return this.#comparison(node as BinaryNode & { op: ComparisonOperator }, child);
      case 'isNull': {
        const operand = child(node.operand).evaluate;
        return node.negated ? (row) => operand(row) !== null : (row) => operand(row) === null;
      }
      case 'in':
        return maybeNot(node.negated, this.#in(node, child));
      case 'between':
        return maybeNot(node.negated, this.#between(node, child));
      case 'like':
        return maybeNot(node.negated, this.#like(node, child));
      case 'case':
        return this.#case(node, child);
      case 'cast': {
        const operand = child(node.operand).evaluate;
        const convert = conversion(this.#type(node.operand).type, node.type);
        return (row) => {
          const v = operand(row);
          return v === null ? null : convert(v);
        };
      }
      case 'call': {
        const def = scalarFunction(node.name);
        if (!def) throw expressionError(this.#expression, node.at, `unknown function \`${node.name}\``);
        const args = node.args.map((a) => child(a).evaluate);
        return def.compile(args, { types: node.args.map((a) => this.#type(a).type), result: this.#type(node).type, nodes: node.args });
      }
    }
  }

  #comparison(node: BinaryNode & { op: ComparisonOperator }, child: Child): Evaluator {
    const type = this.#common(node.left, node.right);
    const left = child(node.left);
    const right = child(node.right);
    if (node.left.kind === 'column' && right.constant && familyOf(type) === 'number') {
      const value = right.evaluate(NO_ROW);
      if (value !== null) return columnVersusNumber(node.op, node.left.name, value as number);
    }
    return comparison(node.op, type, left.evaluate, right.evaluate);
  }

  #printer(node: Expr): (value: unknown) => string {
    return stringifierFor(this.#type(node).type);
  }

  /** The type two compared operands meet in. */
  #common(...nodes: Expr[]): ExprType {
    return nodes.reduce<ExprType>((acc, n) => commonType(acc, this.#type(n).type) ?? acc, 'null');
  }

  #in(node: InNode, child: Child): Evaluator {
    const type = this.#common(node.operand, ...node.list);
    const operand = child(node.operand).evaluate;
    const items = node.list.map(child);
    const key = keyFor(type);
    if (items.every((item) => item.constant)) {
      const values = items.map((item) => item.evaluate(NO_ROW));
      const set = new Set(values.filter((v) => v !== null).map(key));
      const hasNull = values.includes(null);
      return (row) => {
        const v = operand(row);
        if (v === null) return null;
        return set.has(key(v)) ? true : hasNull ? null : false;
      };
    }
    const equal = equalityFor(type);
    const evaluators = items.map((item) => item.evaluate);
    return (row) => {
      const v = operand(row);
      if (v === null) return null;
      let sawNull = false;
      for (let i = 0; i < evaluators.length; i++) {
        const item = (evaluators[i] ?? operand)(row);
        if (item === null) sawNull = true;
        else if (equal(v, item)) return true;
      }
      return sawNull ? null : false;
    };
  }

  #between(node: BetweenNode, child: Child): Evaluator {
    const compare = comparatorFor(this.#common(node.operand, node.low, node.high));
    const [operand, low, high] = [child(node.operand).evaluate, child(node.low).evaluate, child(node.high).evaluate];
    return (row) => {
      const v = operand(row);
      if (v === null) return null;
      const lo = low(row);
      const hi = high(row);
      // Three-valued `v >= lo AND v <= hi`.
      if ((lo !== null && compare(v, lo) < 0) || (hi !== null && compare(v, hi) > 0)) return false;
      return lo === null || hi === null ? null : true;
    };
  }

  #like(node: LikeNode, child: Child): Evaluator {
    const operand = child(node.operand).evaluate;
    const pattern = child(node.pattern);
    if (pattern.constant) {
      const text = pattern.evaluate(NO_ROW);
      if (text === null) return () => null;
      const matches = compileLike(text as string);
      return (row) => {
        const v = operand(row);
        return v === null ? null : matches(v as string);
      };
    }
    const matches = likeCache();
    return (row) => {
      const v = operand(row);
      if (v === null) return null;
      const p = pattern.evaluate(row);
      return p === null ? null : matches(v as string, p as string);
    };
  }

  #case(node: CaseNode, child: Child): Evaluator {
    const whens = node.branches.map((b) => child(b.when).evaluate);
    const thens = node.branches.map((b) => child(b.then).evaluate);
    const otherwise = node.otherwise ? child(node.otherwise).evaluate : () => null;
    const subject = node.subject ? child(node.subject).evaluate : undefined;
    const equal = equalityFor(this.#common(...(node.subject ? [node.subject] : []), ...node.branches.map((b) => b.when)));
    const n = whens.length;
    return (row) => {
      const s = subject ? subject(row) : true;
      if (s !== null) {
        for (let i = 0; i < n; i++) {
          const w = (whens[i] ?? otherwise)(row);
          if (subject ? w !== null && equal(s, w) : w === true) return (thens[i] ?? otherwise)(row);
        }
      }
      return otherwise(row);
    };
  }
}

/** The runtime value of a literal (dates and timestamps become `Date`s). */
function literalValue(type: string, value: number | string | boolean | null): unknown {
  return type === 'date' || type === 'timestamp' ? new Date(value as string) : value;
}
