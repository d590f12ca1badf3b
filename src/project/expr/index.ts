/**
 * weft's expression language: the SQL-like expressions of mappings (`filter` conditions,
 * `select`/`extend` columns, `aggregate` aggregations, `sort`) and of `validate` assertions.
 * weft parses, type-checks and compiles them itself; the language is documented in
 * `docs/expressions.md`.
 *
 * A parsed {@link Expression} is plain data: it can be posted to a worker thread and compiled there.
 *
 * @example
 * ```ts
 * import { parseExpression, checkExpression, compileCondition } from './project/expr/index.js';
 *
 * const columns = { usaf: 'string', wind_speed: 'double' } as const;
 * const expr = parseExpression('wind_speed > 3 AND usaf IS NOT NULL', {
 *   location: { file: '/p/mappings.yml', line: 12, column: 23 },
 * });
 * checkExpression(expr, columns); // { type: 'boolean', nullable: true }
 * const keep = compileCondition(expr, columns);
 * keep({ usaf: '010010', wind_speed: 4.5 }); // true
 * keep({ usaf: '010010', wind_speed: null }); // false: NULL > 3 is NULL, not TRUE
 * ```
 */
export type {
  BetweenNode,
  BinaryNode,
  BinaryOperator,
  ArithmeticOperator,
  CallNode,
  CaseBranch,
  CaseNode,
  CastNode,
  ColumnNode,
  ComparisonOperator,
  Expr,
  Expression,
  InNode,
  IsNullNode,
  LikeNode,
  LiteralNode,
  LiteralType,
  UnaryNode,
  UnaryOperator,
} from './ast.js';
export { childrenOf, walk } from './ast.js';
export { parseExpression, type ParseOptions } from './parser.js';
export { checkExpression, type CheckOptions } from './check.js';
export { compileExpression, compileCondition } from './compile.js';
export type { Evaluator, Row } from './function-def.js';
export { formatExpression } from './format.js';
export { referencedColumns } from './references.js';
export { analyzeAggregation, aggregationColumns, aggregateType, AGGREGATE_COLUMN_PREFIX, type AggregateCall, type AggregationAnalysis } from './aggregates.js';
export type { AggregateKind } from './aggregate-functions.js';
export { createAccumulator, type Accumulator } from './accumulators.js';
export type { ColumnTypes, ResultType } from './types.js';
