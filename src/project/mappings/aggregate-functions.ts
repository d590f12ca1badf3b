/**
 * The per-row functions of the `aggregate` mapping, found by workers at this module's top level:
 * `start` turns a row into `{ k, s }` (its group key and one plain-data state per aggregate call),
 * `combine` merges two such records of one key (the dataflow engine folds them per task before the
 * exchange and per key after it), `finish` turns a group's record into the output row and applies
 * the optional HAVING condition. States are plain data, so they cross the exchange unchanged.
 */
import { registerAt } from '../../runtime/index.js';
import type { OpContext } from '../../dataflow/index.js';
import type { DataType } from '../data-types.js';
import { compileCondition, compileExpression, createAccumulator, type Accumulator, type AggregateKind, type ColumnTypes, type Evaluator, type Expression } from '../expr/index.js';
import type { Row } from '../relations/relation.js';

/** Everything the aggregate functions need, as data. */
export interface AggregatePlan {
  /** Grouping columns: output name and the expression computing it. */
  readonly dimensions: ReadonlyArray<{ readonly name: string; readonly expression: Expression }>;
  /** Aggregate calls: kind, argument (null for COUNT(*)), the argument's type, synthetic column. */
  readonly calls: ReadonlyArray<{ readonly kind: AggregateKind; readonly argument: Expression | null; readonly type: DataType; readonly column: string }>;
  /** Output aggregations: name and post-expression over dimensions and synthetic columns. */
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly post: Expression }>;
  /** Types of the input columns. */
  readonly input: ColumnTypes;
  /** Types of the post-expressions' columns (dimensions and synthetic columns). */
  readonly groups: ColumnTypes;
  /** Types of the output columns, for the HAVING condition. */
  readonly output: ColumnTypes;
  readonly having?: Expression;
}

/** A row on its way through the aggregation: group key and states. */
export interface GroupRecord {
  readonly k: unknown[];
  readonly s: unknown[];
}

interface Compiled {
  readonly dimensions: Evaluator[];
  readonly arguments: Array<Evaluator | undefined>;
  readonly ops: Accumulator[];
  readonly outputs: Evaluator[];
  readonly having: ((row: Row) => boolean) | undefined;
}

const cache = new WeakMap<object, Compiled>();

function compiled(plan: AggregatePlan): Compiled {
  let c = cache.get(plan);
  if (!c) {
    c = {
      dimensions: plan.dimensions.map((d) => compileExpression(d.expression, plan.input)),
      arguments: plan.calls.map((call) => (call.argument ? compileExpression(call.argument, plan.input) : undefined)),
      ops: plan.calls.map((call) => createAccumulator(call.kind, call.type, call.argument === null)),
      outputs: plan.outputs.map((o) => compileExpression(o.post, plan.groups)),
      having: plan.having ? compileCondition(plan.having, plan.output) : undefined,
    };
    cache.set(plan, c);
  }
  return c;
}

/** A row as a group record of one row. */
export const startGroup = (row: Row, ctx: OpContext<AggregatePlan>): GroupRecord => {
  const c = compiled(ctx.with);
  return {
    k: c.dimensions.map((d) => d(row) ?? null),
    s: c.ops.map((op, i) => op.add(op.initial(), c.arguments[i] ? (c.arguments[i](row) ?? null) : 1)),
  };
};

/** Two records of one group merged, `a` holding the earlier rows. */
export const combineGroups = (a: GroupRecord, b: GroupRecord, ctx: OpContext<AggregatePlan>): GroupRecord => {
  const ops = compiled(ctx.with).ops;
  return { k: a.k, s: ops.map((op, i) => op.merge(a.s[i], b.s[i])) };
};

/** The output row of a group: dimensions, then each aggregation. */
export const finishGroup = (group: GroupRecord, ctx: OpContext<AggregatePlan>): Row[] => {
  const plan = ctx.with;
  const c = compiled(plan);
  const inner: Row = {};
  plan.dimensions.forEach((d, i) => (inner[d.name] = group.k[i] ?? null));
  plan.calls.forEach((call, i) => (inner[call.column] = c.ops[i]!.result(group.s[i])));
  const out: Row = {};
  plan.dimensions.forEach((d) => (out[d.name] = inner[d.name]));
  plan.outputs.forEach((o, i) => (out[o.name] = c.outputs[i]!(inner) ?? null));
  return c.having && !c.having(out) ? [] : [out];
};

const here = import.meta.url;
registerAt(here, 'weft.project.startGroup', startGroup);
registerAt(here, 'weft.project.combineGroups', combineGroups);
registerAt(here, 'weft.project.finishGroup', finishGroup);
