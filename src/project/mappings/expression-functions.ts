/**
 * The per-row functions of the expression mappings (select, extend, filter) and of expression
 * assertions. They receive parsed expressions as `with` data and compile them once per task in the
 * worker that runs it — the expression tree travels, never code.
 */
import { registerAt } from '../../runtime/index.js';
import type { OpContext } from '../../dataflow/index.js';
import { compileCondition, compileExpression, type ColumnTypes, type Evaluator, type Expression } from '../expr/index.js';
import type { Row } from '../relations/relation.js';

/** Data of {@link selectColumns} and {@link extendColumns}. */
export interface ColumnsExpressionData {
  readonly columns: ReadonlyArray<{ readonly name: string; readonly expression: Expression }>;
  /** Types of the input columns. */
  readonly types: ColumnTypes;
}

/** Data of {@link keepWhere} and {@link failsCondition}. */
export interface ConditionData {
  readonly condition: Expression;
  readonly types: ColumnTypes;
}

type Compiled = ReadonlyArray<{ readonly name: string; readonly evaluate: Evaluator }>;
const compiledColumns = new WeakMap<object, Compiled>();
const compiledConditions = new WeakMap<object, (row: Row) => boolean>();

function columnsOf(data: ColumnsExpressionData): Compiled {
  let compiled = compiledColumns.get(data);
  if (!compiled) {
    compiled = data.columns.map((c) => ({ name: c.name, evaluate: compileExpression(c.expression, data.types) }));
    compiledColumns.set(data, compiled);
  }
  return compiled;
}

function conditionOf(data: ConditionData): (row: Row) => boolean {
  let compiled = compiledConditions.get(data);
  if (!compiled) {
    compiled = compileCondition(data.condition, data.types);
    compiledConditions.set(data, compiled);
  }
  return compiled;
}

/** A row of exactly the selected columns. */
export const selectColumns = (row: Row, ctx: OpContext<ColumnsExpressionData>): Row => {
  const out: Row = {};
  for (const { name, evaluate } of columnsOf(ctx.with)) out[name] = evaluate(row);
  return out;
};

/** The row with the columns added or replaced (replaced ones keep their place). */
export const extendColumns = (row: Row, ctx: OpContext<ColumnsExpressionData>): Row => {
  const out: Row = { ...row };
  for (const { name, evaluate } of columnsOf(ctx.with)) out[name] = evaluate(row);
  return out;
};

/** True where the condition is TRUE (SQL: NULL drops the row). */
export const keepWhere = (row: Row, ctx: OpContext<ConditionData>): boolean => conditionOf(ctx.with)(row);

/** True where the condition is not TRUE (a row breaking an assertion). */
export const failsCondition = (row: Row, ctx: OpContext<ConditionData>): boolean => !conditionOf(ctx.with)(row);

const here = import.meta.url;
registerAt(here, 'weft.project.select', selectColumns);
registerAt(here, 'weft.project.extend', extendColumns);
registerAt(here, 'weft.project.keepWhere', keepWhere);
registerAt(here, 'weft.project.failsCondition', failsCondition);
