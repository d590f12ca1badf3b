/**
 * The mappings that move rows without expressions: `read` (a relation, optionally some partitions),
 * `union`, `join` on equal columns, `deduplicate`, `sort`. Each checks its inputs' schemas when it
 * is instantiated, so a wrong column name fails while the job is planned, before any data is read.
 */
import { z } from 'zod';
import { ProjectError } from '../errors.js';
import type { EntitySetup } from '../entity-setup.js';
import type { ProjectField, ProjectSchema } from '../data-types.js';
import { nameSpec, partitionFilterSpec } from '../spec/common.js';
import type { PartitionCondition, PartitionFilter, Row } from '../relations/relation.js';
import type { Mapping, MappingKind } from './mapping.js';
import { conform, keepFirst, withKey, withSortKey } from './row-functions.js';
import { requireColumns } from './schema-checks.js';

const names = z.union([nameSpec, z.array(nameSpec).min(1)]).transform((v) => (typeof v === 'string' ? [v] : v));

/** `read`: the rows of a relation, optionally only some partitions. */
export const readKind: MappingKind<z.infer<typeof readSpec>> = {
  kind: 'read',
  summary: 'rows of a relation, optionally filtered by partition',
  get spec() {
    return readSpec;
  },
  create(spec, setup) {
    const filter = spec.partitions === undefined ? undefined : toPartitionFilter(spec.partitions);
    const location = setup.locate(['relation']);
    return base(setup, 'read', [], [{ relation: spec.relation, ...(filter ? { filter } : {}), ...(location ? { location } : {}) }], async (ctx) => {
      const relation = ctx.relation(spec.relation, location);
      const [dataset, schema] = await Promise.all([relation.read(ctx.relationContext, filter), relation.schema(ctx.relationContext)]);
      return { dataset: dataset.name(`read ${spec.relation}`), schema };
    });
  },
};
const readSpec = z.strictObject({ relation: nameSpec, partitions: partitionFilterSpec.optional() });

/** `union`: every row of every input; their columns must agree (by name; order from the first). */
export const unionKind: MappingKind<z.infer<typeof unionSpec>> = {
  kind: 'union',
  summary: 'all rows of several inputs with the same columns',
  get spec() {
    return unionSpec;
  },
  create(spec, setup) {
    return base(setup, 'union', spec.inputs, [], (_ctx, inputs) => {
      const outputs = spec.inputs.map((name) => inputs.get(name)!);
      const schema = outputs[0]!.schema;
      const names = schema.fields.map((f) => f.name);
      outputs.forEach((output, i) => {
        const other = output.schema.fields.map((f) => f.name);
        const missing = names.filter((n) => !other.includes(n));
        const extra = other.filter((n) => !names.includes(n));
        if (missing.length + extra.length > 0) {
          throw new ProjectError(
            `mapping \`${setup.name}\`: input \`${spec.inputs[i]}\` has other columns than \`${spec.inputs[0]}\`${missing.length ? `; it lacks ${missing.join(', ')}` : ''}${extra.length ? `; it has extra ${extra.join(', ')}` : ''}. Select the same columns in every input.`,
            { location: setup.locate(['inputs', i]) },
          );
        }
      });
      const aligned = outputs.map((o) => o.dataset.map(conform, { with: { fields: names }, label: 'align columns' }));
      return Promise.resolve({ dataset: aligned[0]!.union(...aligned.slice(1)), schema });
    });
  },
};
const unionSpec = z.strictObject({ inputs: z.array(nameSpec).min(2) });

/** `join`: rows of two inputs with equal values in the key columns (SQL semantics: null keys never match). */
export const joinKind: MappingKind<z.infer<typeof joinSpec>> = {
  kind: 'join',
  summary: 'rows of two inputs matched on equal key columns (inner, left, right, full)',
  get spec() {
    return joinSpec;
  },
  create(spec, setup) {
    const [leftName, rightName] = spec.inputs;
    return base(setup, 'join', spec.inputs, [], (_ctx, inputs) => {
      const left = inputs.get(leftName)!;
      const right = inputs.get(rightName)!;
      requireColumns(left.schema, spec.columns, `mapping \`${setup.name}\`: left input \`${leftName}\``, setup.locate(['columns']));
      requireColumns(right.schema, spec.columns, `mapping \`${setup.name}\`: right input \`${rightName}\``, setup.locate(['columns']));
      const clash = right.schema.fields.filter((f) => !spec.columns.includes(f.name) && left.schema.fields.some((l) => l.name === f.name));
      if (clash.length > 0) {
        throw new ProjectError(
          `mapping \`${setup.name}\`: both inputs have the column(s) ${clash.map((f) => `\`${f.name}\``).join(', ')} besides the join columns; rename them in one input (a select mapping) so every output column has one source`,
          { location: setup.location },
        );
      }
      const fields: ProjectField[] = [
        ...left.schema.fields.map((f) => (spec.mode === 'right' || spec.mode === 'full' ? { ...f, nullable: true } : f)),
        ...right.schema.fields.filter((f) => !spec.columns.includes(f.name)).map((f) => (spec.mode === 'left' || spec.mode === 'full' ? { ...f, nullable: true } : f)),
      ];
      const key = { columns: spec.columns, as: '__weft_key' };
      const joined = left.dataset
        .map(withKey, { with: key, label: 'join key' })
        .join(right.dataset.map(withKey, { with: key, label: 'join key' }), '__weft_key', { how: spec.mode })
        .map(conform, { with: { fields: fields.map((f) => f.name) }, label: 'join columns' });
      return Promise.resolve({ dataset: joined, schema: { fields } });
    });
  },
};
const joinSpec = z.strictObject({
  inputs: z.tuple([nameSpec, nameSpec]),
  columns: names,
  mode: z.enum(['inner', 'left', 'right', 'full']).default('inner'),
});

/** `deduplicate`: each row once, or the first row per distinct value of `columns`. */
export const deduplicateKind: MappingKind<z.infer<typeof dedupSpec>> = {
  kind: 'deduplicate',
  summary: 'each distinct row once (or the first row per key columns)',
  get spec() {
    return dedupSpec;
  },
  create(spec, setup) {
    return base(setup, 'deduplicate', [spec.input], [], (_ctx, inputs) => {
      const input = inputs.get(spec.input)!;
      const all = input.schema.fields.map((f) => f.name);
      const columns = spec.columns ?? all;
      requireColumns(input.schema, columns, `mapping \`${setup.name}\``, setup.locate(['columns']));
      const dataset = input.dataset
        .map(withKey, { with: { columns, as: '__weft_key' }, label: 'dedup key' })
        .keyBy('__weft_key')
        .reduce(keepFirst, { label: 'keep first' })
        .map(conform, { with: { fields: all }, label: 'dedup columns' });
      return Promise.resolve({ dataset, schema: input.schema });
    });
  },
};
const dedupSpec = z.strictObject({ input: nameSpec, columns: names.optional() });

/** `sort`: rows ordered by columns, each ascending (nulls first) or descending (nulls last). */
export const sortKind: MappingKind<z.infer<typeof sortSpec>> = {
  kind: 'sort',
  summary: 'rows ordered by columns, ascending or descending',
  get spec() {
    return sortSpec;
  },
  create(spec, setup) {
    return base(setup, 'sort', [spec.input], [], (_ctx, inputs) => {
      const input = inputs.get(spec.input)!;
      const columns = spec.columns.map((c) => (typeof c === 'string' ? { name: c, descending: false } : { name: Object.keys(c)[0]!, descending: Object.values(c)[0] === 'desc' }));
      requireColumns(input.schema, columns.map((c) => c.name), `mapping \`${setup.name}\``, setup.locate(['columns']));
      const names = input.schema.fields.map((f) => f.name);
      const dataset = input.dataset
        .map(withSortKey, { with: { columns, as: '__weft_sort' }, label: 'sort key' })
        .sortBy('__weft_sort')
        .map(conform, { with: { fields: names }, label: 'sort columns' });
      return Promise.resolve({ dataset, schema: input.schema });
    });
  },
};
const sortSpec = z.strictObject({
  input: nameSpec,
  columns: z.array(z.union([nameSpec, z.record(nameSpec, z.enum(['asc', 'desc']))])).min(1),
});

/** A read mapping's spec filter as a partition filter (values typed by the relation). */
export function toPartitionFilter(spec: z.infer<typeof partitionFilterSpec>): PartitionFilter {
  const out: Record<string, PartitionCondition> = {};
  for (const [column, condition] of Object.entries(spec)) {
    if (Array.isArray(condition)) out[column] = { kind: 'values', values: condition };
    else if (typeof condition === 'object') out[column] = { kind: 'range', ...(condition.start !== undefined ? { start: condition.start } : {}), ...(condition.end !== undefined ? { end: condition.end } : {}) };
    else out[column] = { kind: 'values', values: [condition] };
  }
  return out;
}

/** A mapping from its parts. */
export function base(
  setup: EntitySetup,
  kind: string,
  inputs: readonly string[],
  reads: Mapping['reads'],
  instantiate: Mapping['instantiate'],
): Mapping {
  return { name: setup.name, kind, location: setup.location, inputs, reads, instantiate };
}

/** The schema of rows as the dataset holds them (re-exported for kinds that build schemas). */
export type { ProjectSchema, Row };
