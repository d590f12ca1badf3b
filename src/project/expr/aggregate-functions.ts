/**
 * The table of aggregate functions — `COUNT`, `SUM`, `MIN`, `MAX`, `AVG`, `FIRST`, `LAST` — with
 * their argument and result types. They are valid only where an aggregation is expected; the
 * checker enforces that, `analyzeAggregation` splits them out, and `accumulators.ts` computes them.
 */
import type { CallNode } from './ast.js';
import type { ParamKind } from './function-def.js';
import type { ExprType } from './types.js';

/** What an aggregate call computes. */
export type AggregateKind = 'count' | 'count_distinct' | 'sum' | 'min' | 'max' | 'avg' | 'first' | 'last';

/** One aggregate function. */
export interface AggregateDef {
  /** Upper-case name. */
  readonly name: string;
  readonly signature: string;
  readonly summary: string;
  /** What its argument accepts. */
  readonly param: ParamKind;
}

/** Every aggregate function, in the order the docs list them. */
export const AGGREGATE_FUNCTIONS: readonly AggregateDef[] = [
  { name: 'COUNT', signature: 'COUNT(*) | COUNT(x) | COUNT(DISTINCT x)', summary: 'the number of rows, of non-NULL `x`, or of distinct non-NULL `x`; never NULL', param: 'any' },
  { name: 'SUM', signature: 'SUM(x)', summary: 'the sum of the non-NULL `x` (a `long` for integers, else a `double`)', param: 'number' },
  { name: 'MIN', signature: 'MIN(x)', summary: 'the smallest non-NULL `x`', param: 'any' },
  { name: 'MAX', signature: 'MAX(x)', summary: 'the largest non-NULL `x`', param: 'any' },
  { name: 'AVG', signature: 'AVG(x)', summary: 'the mean of the non-NULL `x`, a `double`', param: 'number' },
  { name: 'FIRST', signature: 'FIRST(x)', summary: '`x` of the first row in input order (which may be NULL)', param: 'any' },
  { name: 'LAST', signature: 'LAST(x)', summary: '`x` of the last row in input order (which may be NULL)', param: 'any' },
];

const BY_NAME: ReadonlyMap<string, AggregateDef> = new Map(AGGREGATE_FUNCTIONS.map((def) => [def.name, def]));

/** The aggregate function called `name` (any case), or undefined. */
export function aggregateFunction(name: string): AggregateDef | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** True when `node` calls an aggregate function. */
export function isAggregateCall(node: CallNode): boolean {
  return BY_NAME.has(node.name);
}

/** The kind of an aggregate call (`COUNT(DISTINCT x)` is `count_distinct`). */
export function aggregateKind(node: CallNode): AggregateKind {
  if (node.name === 'COUNT') return node.distinct ? 'count_distinct' : 'count';
  return node.name.toLowerCase() as AggregateKind;
}

/** The result type of an aggregate of `kind` over values of `argument` (`null` for `COUNT(*)`). */
export function aggregateResultType(kind: AggregateKind, argument: ExprType): ExprType {
  switch (kind) {
    case 'count':
    case 'count_distinct':
      return 'long';
    case 'sum':
      return argument === 'double' ? 'double' : argument === 'null' ? 'null' : 'long';
    case 'avg':
      return argument === 'null' ? 'null' : 'double';
    default:
      return argument;
  }
}

/** True when an aggregate of `kind` may be NULL (all but the counts: no rows, or only NULLs). */
export function aggregateNullable(kind: AggregateKind): boolean {
  return kind !== 'count' && kind !== 'count_distinct';
}
