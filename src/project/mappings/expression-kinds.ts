/**
 * The mappings written with expressions: `select` (exactly these columns, each an expression),
 * `extend` (add or replace columns, keep the rest), `filter` (rows whose condition is TRUE) and
 * `project` (keep and order columns by name). Expressions are parsed where they are written and
 * checked against the input's schema when the mapping is instantiated — a wrong column or type
 * fails while the job is planned, at its `file:line:column`.
 */
import { z } from 'zod';
import { ProjectError } from '../errors.js';
import { nameSpec } from '../spec/common.js';
import { base } from './basic-kinds.js';
import { extendColumns, keepWhere, selectColumns } from './expression-functions.js';
import { fieldOf, parseAt, typesOf } from './expression-parsing.js';
import type { MappingKind } from './mapping.js';
import { conform } from './row-functions.js';
import { requireColumns } from './schema-checks.js';

const columnsSpec = z.record(z.string().min(1), z.union([z.string().min(1), z.number(), z.boolean()]).transform(String));

const selectSpec = z.strictObject({ input: nameSpec, columns: columnsSpec });

/** `select`: exactly the given columns, each an expression over the input's columns. */
export const selectKind: MappingKind<z.infer<typeof selectSpec>> = {
  kind: 'select',
  summary: 'exactly the given columns, each an expression',
  spec: selectSpec,
  create(spec, setup) {
    const parsed = Object.entries(spec.columns).map(([name, text]) => ({ name, expression: parseAt(setup, ['columns', name], text) }));
    if (parsed.length === 0) throw new ProjectError(`mapping \`${setup.name}\`: expected at least one column in \`columns\``, { location: setup.location });
    return base(setup, 'select', [spec.input], [], (_ctx, inputs) => {
      const input = inputs.get(spec.input)!;
      const fields = parsed.map(({ name, expression }) => fieldOf(name, expression, input.schema));
      const dataset = input.dataset.map(selectColumns, { with: { columns: parsed, types: typesOf(input.schema) }, label: `select ${setup.name}` });
      return Promise.resolve({ dataset, schema: { fields } });
    });
  },
};

const extendSpec = z.strictObject({ input: nameSpec, columns: columnsSpec });

/** `extend`: the input's columns plus (or replaced by) the given expressions. */
export const extendKind: MappingKind<z.infer<typeof extendSpec>> = {
  kind: 'extend',
  summary: 'adds or replaces columns computed by expressions, keeping the others',
  spec: extendSpec,
  create(spec, setup) {
    const parsed = Object.entries(spec.columns).map(([name, text]) => ({ name, expression: parseAt(setup, ['columns', name], text) }));
    return base(setup, 'extend', [spec.input], [], (_ctx, inputs) => {
      const input = inputs.get(spec.input)!;
      const added = new Map(parsed.map(({ name, expression }) => [name, fieldOf(name, expression, input.schema)]));
      const fields = [...input.schema.fields.map((f) => added.get(f.name) ?? f), ...[...added.values()].filter((f) => !input.schema.fields.some((i) => i.name === f.name))];
      const dataset = input.dataset.map(extendColumns, { with: { columns: parsed, types: typesOf(input.schema) }, label: `extend ${setup.name}` });
      return Promise.resolve({ dataset, schema: { fields } });
    });
  },
};

const filterSpec = z.strictObject({ input: nameSpec, condition: z.string().min(1) });

/** `filter`: the rows whose condition is TRUE (NULL drops the row, as SQL's WHERE). */
export const filterKind: MappingKind<z.infer<typeof filterSpec>> = {
  kind: 'filter',
  summary: 'rows whose condition is true',
  spec: filterSpec,
  create(spec, setup) {
    const condition = parseAt(setup, ['condition'], spec.condition);
    return base(setup, 'filter', [spec.input], [], (_ctx, inputs) => {
      const input = inputs.get(spec.input)!;
      const field = fieldOf('condition', condition, input.schema);
      if (field.type !== 'boolean') {
        throw new ProjectError(`mapping \`${setup.name}\`: expected \`condition\` to be true or false per row (e.g. \`x > 0\`), got a ${field.type} expression`, {
          location: setup.locate(['condition']),
        });
      }
      const dataset = input.dataset.filter(keepWhere, { with: { condition, types: typesOf(input.schema) }, label: `filter ${setup.name}` });
      return Promise.resolve({ dataset, schema: input.schema });
    });
  },
};

const projectSpec = z.strictObject({ input: nameSpec, columns: z.array(nameSpec).min(1) });

/** `project`: only the named columns, in the given order. */
export const projectKind: MappingKind<z.infer<typeof projectSpec>> = {
  kind: 'project',
  summary: 'keeps the named columns, in the given order',
  spec: projectSpec,
  create(spec, setup) {
    return base(setup, 'project', [spec.input], [], (_ctx, inputs) => {
      const input = inputs.get(spec.input)!;
      requireColumns(input.schema, spec.columns, `mapping \`${setup.name}\``, setup.locate(['columns']));
      const fields = spec.columns.map((name) => input.schema.fields.find((f) => f.name === name)!);
      const dataset = input.dataset.map(conform, { with: { fields: spec.columns }, label: `project ${setup.name}` });
      return Promise.resolve({ dataset, schema: { fields } });
    });
  },
};
