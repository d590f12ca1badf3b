/**
 * `aggregate` mapping: one row per group of `dimensions` (columns, or named expressions), with each
 * aggregation an expression over aggregate calls — `MIN(wind_speed)`, `ROUND(AVG(temp), 1)`,
 * `SUM(a) / COUNT(*)`, `COUNT(DISTINCT usaf)` — and an optional `filter` on the output rows (SQL's
 * HAVING). It runs as a keyed two-phase aggregation on the dataflow engine: states are folded per
 * task before the exchange and per key after it.
 */
import { z } from 'zod';
import type { ProjectField } from '../data-types.js';
import { ProjectError } from '../errors.js';
import { aggregationColumns, analyzeAggregation, checkExpression, type Expression } from '../expr/index.js';
import { nameSpec } from '../spec/common.js';
import { combineGroups, finishGroup, startGroup, type AggregatePlan } from './aggregate-functions.js';
import { base } from './basic-kinds.js';
import { fieldOf, parseAt, typesOf } from './expression-parsing.js';
import type { MappingKind } from './mapping.js';

const spec = z.strictObject({
  input: nameSpec,
  /** Grouping columns: names, or `name: expression`. */
  dimensions: z.union([z.array(nameSpec), z.record(z.string().min(1), z.string().min(1))]).default([]),
  aggregations: z.record(z.string().min(1), z.string().min(1)),
  filter: z.string().min(1).optional(),
});

/** The `aggregate` mapping kind. */
export const aggregateKind: MappingKind<z.infer<typeof spec>> = {
  kind: 'aggregate',
  summary: 'one row per group, with aggregations such as MIN(x), AVG(y), COUNT(*)',
  spec,
  create(s, setup) {
    const dims: Array<{ name: string; expression: Expression }> = Array.isArray(s.dimensions)
      ? s.dimensions.map((name, i) => ({ name, expression: parseAt(setup, ['dimensions', i], `\`${name}\``) }))
      : Object.entries(s.dimensions).map(([name, text]) => ({ name, expression: parseAt(setup, ['dimensions', name], text) }));
    const aggs = Object.entries(s.aggregations).map(([name, text]) => ({ name, expression: parseAt(setup, ['aggregations', name], text) }));
    if (aggs.length === 0) throw new ProjectError(`mapping \`${setup.name}\`: expected at least one aggregation`, { location: setup.location });
    const having = s.filter === undefined ? undefined : parseAt(setup, ['filter'], s.filter);
    return base(setup, 'aggregate', [s.input], [], (_ctx, inputs) => {
      const input = inputs.get(s.input)!;
      const dimFields = dims.map((d) => fieldOf(d.name, d.expression, input.schema));
      const grouped = { fields: [...input.schema.fields.filter((f) => !dims.some((d) => d.name === f.name)), ...dimFields] };
      const groupBy = dims.map((d) => d.name);
      const calls: Array<AggregatePlan['calls'][number]> = [];
      const outputs: Array<AggregatePlan['outputs'][number]> = [];
      const fields: ProjectField[] = [...dimFields];
      let groupColumns: ProjectField[] = [...dimFields];
      for (const agg of aggs) {
        const result = checkExpression(agg.expression, grouped, { aggregate: true, groupBy });
        const analysis = analyzeAggregation(agg.expression);
        const offset = calls.length;
        const renumber = new Map<string, string>();
        for (const call of analysis.aggregates) {
          const column = `$agg${offset + renumber.size}`;
          renumber.set(call.column, column);
          const type = call.argument ? checkExpression(call.argument, input.schema).type : 'long';
          calls.push({ kind: call.kind, argument: call.argument, type, column });
        }
        const columns = aggregationColumns(analysis, grouped, { groupBy });
        groupColumns = [...groupColumns, ...columns.fields.filter((f) => renumber.has(f.name)).map((f) => ({ ...f, name: renumber.get(f.name)! }))];
        outputs.push({ name: agg.name, post: renamePost(analysis.post, renumber) });
        fields.push({ name: agg.name, type: result.type, nullable: result.nullable });
      }
      const outputTypes = typesOf({ fields });
      if (having) {
        const type = checkExpression(having, { fields }).type;
        if (type !== 'boolean') throw new ProjectError(`mapping \`${setup.name}\`: expected \`filter\` to be true or false per group, got a ${type} expression`, { location: setup.locate(['filter']) });
      }
      const plan: AggregatePlan = {
        dimensions: dims,
        calls,
        outputs,
        input: typesOf(input.schema),
        groups: typesOf({ fields: groupColumns }),
        output: outputTypes,
        ...(having ? { having } : {}),
      };
      const dataset = input.dataset
        .map(startGroup, { with: plan, label: `aggregate ${setup.name}` })
        .keyBy('k')
        .reduce(combineGroups, { with: plan, label: `aggregate ${setup.name}` })
        .flatMap(finishGroup, { with: plan, label: `aggregate ${setup.name}` });
      return Promise.resolve({ dataset, schema: { fields } });
    });
  },
};

/** The post-expression with its synthetic columns renamed to this mapping's numbering. */
function renamePost(post: Expression, renumber: ReadonlyMap<string, string>): Expression {
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (node === null || typeof node !== 'object') return node;
    const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rename(v)]));
    if ((copy as { kind?: unknown }).kind === 'column' && typeof copy.name === 'string' && renumber.has(copy.name)) copy.name = renumber.get(copy.name);
    return copy;
  };
  return { ...post, root: rename(post.root) as Expression['root'] };
}
