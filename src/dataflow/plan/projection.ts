/**
 * Projection push-down: which fields of a file source's rows the rest of the job reads, so that the
 * reader stores and ships only those columns. A source stage feeding a keyed aggregation by field
 * (Spark-style `groupBy().agg()` or `keyBy().count()`, which carry no record template) needs the
 * key and the aggregated fields; a stage that only counts its rows, or feeds a join whose matches
 * are only counted, needs the key alone or nothing. Anything else — a user function, a Flink-style
 * `keyBy().sum()` that outputs each key's first record, a sort — sees whole rows.
 *
 * Readers still check every field against the schema, so a malformed row is the same malformed row
 * whatever a job reads (see csv-row-converter.ts).
 */
import type { KeySelector } from './logical.js';
import type { PhysicalPlan, Stage } from './physical.js';

/**
 * The fields the source stage's tasks must produce, or `undefined` for all of them.
 * @param finalCount - whether the job's action is `count()` (its last stage returns only a count).
 */
export function sourceFields(stage: Stage, plan: PhysicalPlan, finalCount: boolean): readonly string[] | undefined {
  const first = stage.ops[0];
  if (first === undefined) {
    if (stage === plan.final) return finalCount ? [] : undefined;
    const join = plan.stages.find((s) => s.input.kind === 'join' && (s.input.left === stage || s.input.right === stage));
    if (join === undefined || join.input.kind !== 'join' || join !== plan.final || !finalCount || join.ops.length > 0) return undefined;
    const key = join.input.left === stage ? join.input.leftKey : join.input.rightKey;
    return fieldName(key) === undefined ? undefined : [fieldName(key)!];
  }
  if (first.op !== 'aggregate' || first.phase !== 'partial' || first.style === 'record') return undefined;
  const key = fieldName(first.key);
  if (key === undefined) return undefined;
  const fields = new Set([key]);
  for (const agg of first.aggs) {
    if (agg.kind === 'count') continue;
    if (typeof agg.field !== 'string') return undefined;
    fields.add(agg.field);
  }
  return [...fields];
}

function fieldName(key: KeySelector): string | undefined {
  return key.kind === 'field' && typeof key.field === 'string' ? key.field : undefined;
}
