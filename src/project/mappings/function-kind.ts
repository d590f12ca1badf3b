/**
 * `function` mapping: a TypeScript or JavaScript module's export that receives the input datasets
 * (by name) and returns a dataset — for transformations the built-in mappings do not cover. It runs
 * on the main thread while the job is planned and only builds the plan; the functions it passes to
 * `map`, `filter` … follow the dataflow rules (top-level `step`-style functions or self-contained
 * lambdas, with `{ with }` for outside values). Its schema is declared, or inferred from the first
 * rows.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Dataset } from '../../dataflow/index.js';
import { describeValue } from '../../errors.js';
import type { DataType, ProjectField, ProjectSchema } from '../data-types.js';
import { ProjectError } from '../errors.js';
import type { SourceLocation } from '../location.js';
import type { Row } from '../relations/relation.js';
import { fieldsSpec, nameSpec } from '../spec/common.js';
import { base } from './basic-kinds.js';
import type { MappingKind } from './mapping.js';

/** What a mapping function receives besides its inputs. */
export interface MappingFunctionContext {
  /** The `options` of the mapping's spec, after variables. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The schema of each input. */
  readonly schemas: Readonly<Record<string, ProjectSchema>>;
  /** The mapping's name. */
  readonly name: string;
}

/** The shape of a mapping function. */
export type MappingFunction = (inputs: Readonly<Record<string, Dataset<Row>>>, context: MappingFunctionContext) => Dataset<Row> | Promise<Dataset<Row>>;

const spec = z.strictObject({
  module: z.string().min(1),
  export: z.string().min(1).default('default'),
  inputs: z.array(nameSpec).default([]),
  options: z.record(z.string(), z.unknown()).default({}),
  schema: fieldsSpec.optional(),
});

/** Rows sampled to infer a function mapping's schema when none is declared. */
const SAMPLE_ROWS = 100;

/** The `function` mapping kind. */
export const functionKind: MappingKind<z.infer<typeof spec>> = {
  kind: 'function',
  summary: 'a module export that builds a dataset from the input datasets',
  spec,
  create(s, setup) {
    const file = resolve(setup.projectDir, s.module);
    return base(setup, 'function', s.inputs, [], async (_ctx, inputs) => {
      const fn = await loadFunction(file, s.export, setup.locate(['module']));
      const datasets = Object.fromEntries(s.inputs.map((name) => [name, inputs.get(name)!.dataset]));
      const schemas = Object.fromEntries(s.inputs.map((name) => [name, inputs.get(name)!.schema]));
      let dataset: unknown;
      try {
        dataset = await fn(datasets, { options: s.options, schemas, name: setup.name });
      } catch (error) {
        throw new ProjectError(`mapping \`${setup.name}\`: ${s.export} in ${file} threw: ${(error as Error).message}`, { location: setup.location, cause: error });
      }
      if (typeof dataset !== 'object' || dataset === null || typeof (dataset as Dataset<Row>).collect !== 'function') {
        throw new ProjectError(`mapping \`${setup.name}\`: expected ${s.export} in ${file} to return a Dataset, got ${describeValue(dataset)}`, { location: setup.location });
      }
      const out = dataset as Dataset<Row>;
      const schema = s.schema ? { fields: s.schema } : inferSchema(await out.first(SAMPLE_ROWS));
      return { dataset: out, schema };
    });
  },
};

async function loadFunction(file: string, name: string, location: SourceLocation | undefined): Promise<MappingFunction> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const message = (error as Error).message;
    const hint = /require\(\)|ES Module|Unexpected token 'export'/.test(message) ? ' (an ES module needs "type": "module" in the package.json of its folder, or the .mts/.mjs extension)' : '';
    throw errorAt(location, `cannot load module ${file}: ${message}${hint}`, error);
  }
  const fn = module[name];
  if (typeof fn !== 'function') {
    const exports = Object.keys(module).filter((k) => typeof module[k] === 'function');
    throw errorAt(location, `module ${file} has no function export \`${name}\` (its function exports: ${exports.join(', ') || 'none'})`);
  }
  return fn as MappingFunction;
}

function errorAt(location: SourceLocation | undefined, message: string, cause?: unknown): ProjectError {
  return new ProjectError(message, { location, ...(cause === undefined ? {} : { cause }) });
}

/** Column types from sampled rows: numbers double (integers if every value is whole), strings, booleans, dates. */
export function inferSchema(rows: readonly Row[]): ProjectSchema {
  const names: string[] = [];
  const types = new Map<string, Set<DataType | 'null'>>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      if (!types.has(name)) {
        names.push(name);
        types.set(name, new Set());
      }
      types.get(name)!.add(typeOfValue(value));
    }
  }
  const fields: ProjectField[] = names.map((name) => {
    const seen = [...types.get(name)!].filter((t) => t !== 'null');
    const type: DataType = seen.length === 0 ? 'string' : seen.every((t) => t === 'integer') ? 'integer' : seen.every((t) => t === 'integer' || t === 'double') ? 'double' : seen.length === 1 ? seen[0]! : 'string';
    return { name, type, nullable: true };
  });
  return { fields };
}

function typeOfValue(value: unknown): DataType | 'null' {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 'integer' : 'double';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'timestamp';
  return 'string';
}
