/**
 * Splits an aggregation such as `ROUND(AVG(CAST(x AS double)), 2)` or `SUM(a) / COUNT(*)` into the
 * aggregate calls it makes and a post-expression over their results, so that a mapping can (1)
 * compute each call's argument per row, (2) accumulate per group (see `accumulators.ts`), (3)
 * evaluate the post-expression once per group, reading each call's result from a synthetic column.
 */
import type { DataType, ProjectField, ProjectSchema } from '../data-types.js';
import { mapChildren, walk, withRoot, type CallNode, type Expr, type Expression } from './ast.js';
import { aggregateKind, aggregateNullable, aggregateResultType, isAggregateCall, type AggregateKind } from './aggregate-functions.js';
import { inferTypes, type CheckOptions } from './check.js';
import { expressionError } from './format-error.js';
import { formatExpression } from './format.js';
import { columnInfos, toResultType, type ColumnTypes } from './types.js';

/** Prefix of the synthetic columns that hold aggregate results in a post-expression. */
export const AGGREGATE_COLUMN_PREFIX = '$agg';

/** One aggregate call of an aggregation. */
export interface AggregateCall {
  /** What it computes. */
  readonly kind: AggregateKind;
  /** The row expression whose values it aggregates; `null` for `COUNT(*)`. */
  readonly argument: Expression | null;
  /** The synthetic column (`$agg0`, `$agg1`, …) through which the post-expression reads the result. */
  readonly column: string;
  /** Offset of the call in the expression text. */
  readonly at: number;
}

/** An aggregation split into aggregate calls and a post-expression. */
export interface AggregationAnalysis {
  /** The distinct aggregate calls, in order of first appearance (`SUM(x) / SUM(x)` makes one). */
  readonly aggregates: readonly AggregateCall[];
  /**
   * A row expression over the calls' synthetic columns and the grouping columns, evaluated once
   * per group: `SUM(a) / COUNT(*)` gives `` `$agg0` / `$agg1` ``.
   */
  readonly post: Expression;
}

/**
 * Splits `expression` into its aggregate calls and a post-expression. Throws `ExpressionError`
 * for a nested aggregate (`SUM(COUNT(x))`). Types are checked separately: run
 * `checkExpression(expression, columns, { aggregate: true, groupBy })` first.
 */
export function analyzeAggregation(expression: Expression): AggregationAnalysis {
  const aggregates: AggregateCall[] = [];
  const byKey = new Map<string, string>();
  const replace = (node: Expr): Expr => {
    if (node.kind !== 'call' || !isAggregateCall(node)) return mapChildren(node, replace);
    rejectNested(expression, node);
    const kind = aggregateKind(node);
    const argument = node.star ? null : (node.args[0] ?? null);
    const key = `${kind}:${argument ? formatExpression(argument) : '*'}`;
    let column = byKey.get(key);
    if (column === undefined) {
      column = `${AGGREGATE_COLUMN_PREFIX}${aggregates.length}`;
      byKey.set(key, column);
      aggregates.push({ kind, argument: argument && withRoot(expression, argument), column, at: node.at });
    }
    return { kind: 'column', at: node.at, name: column };
  };
  return { aggregates, post: withRoot(expression, replace(expression.root)) };
}

function rejectNested(expression: Expression, call: CallNode): void {
  for (const arg of call.args) {
    for (const node of walk(arg)) {
      if (node.kind === 'call' && isAggregateCall(node)) {
        throw expressionError(expression, node.at, `expected a value per row inside \`${call.name}\`, found the aggregate function \`${node.name}\`; aggregates cannot be nested`);
      }
    }
  }
}

/**
 * The columns the post-expression of `analysis` reads: the grouping columns (with their input
 * types) and one synthetic column per aggregate call, typed by its kind and argument (`SUM` of
 * integers is a `long`, `AVG` a `double`, `COUNT` a non-null `long`).
 */
export function aggregationColumns(analysis: AggregationAnalysis, columns: ColumnTypes, options: Omit<CheckOptions, 'aggregate'> = {}): ProjectSchema {
  const infos = columnInfos(columns);
  const fields: ProjectField[] = [];
  for (const name of options.groupBy ?? []) {
    const info = infos.get(name);
    if (info) fields.push({ name, type: info.type, nullable: info.nullable });
  }
  for (const call of analysis.aggregates) {
    const argumentType = call.argument ? (inferTypes(call.argument, columns).get(call.argument.root)?.type ?? 'null') : 'null';
    const result = toResultType(aggregateResultType(call.kind, argumentType), aggregateNullable(call.kind));
    fields.push({ name: call.column, type: result.type, nullable: result.nullable });
  }
  return { fields };
}

/** The result type of an aggregate of `kind` over values of `argument` (any type for `COUNT(*)`). */
export function aggregateType(kind: AggregateKind, argument: DataType): DataType {
  return toResultType(aggregateResultType(kind, argument), true).type;
}
