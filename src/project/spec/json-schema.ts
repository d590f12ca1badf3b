/**
 * The JSON Schema of project files (`project.yml` and module files), generated from the specs of
 * every built-in kind and committed as `schema/weft.project.schema.json`, so editors complete and
 * check project files. Entities are discriminated by `kind`. A string holding a variable reference
 * (`$year`, `${delay}`) is accepted wherever a number or boolean is, because it becomes one when the
 * job runs.
 */
import { z, type ZodType } from 'zod';
import { builtinKinds } from '../builtin-kinds.js';
import { PARAMETER_TYPES } from '../jobs/parameters.js';

/** Where the schema is published, relative to the package root. */
export const PROJECT_SCHEMA_PATH = 'schema/weft.project.schema.json';

const keyValues = z.union([z.array(z.string().regex(/^[^=]+=/)), z.record(z.string(), z.unknown())]);
const names = z.union([z.string(), z.array(z.string())]);

function entities(kinds: ReadonlyMap<string, { kind: string; summary: string; spec: ZodType }>, common: Record<string, ZodType>): ZodType {
  const options = [...kinds.values()].map((k) => {
    const base = k.spec as unknown as z.ZodObject;
    const extended = typeof base.safeExtend === 'function' ? base.safeExtend({ kind: z.literal(k.kind), ...common }) : z.intersection(base, z.object({ kind: z.literal(k.kind), ...common }));
    return extended.describe(k.summary);
  });
  return z.record(z.string(), z.union(options as unknown as [ZodType, ZodType, ...ZodType[]]));
}

/** The schema object. */
export function projectJsonSchema(): Record<string, unknown> {
  const kinds = builtinKinds();
  const description = z.string().optional();
  const job = z.strictObject({
    description,
    extends: names.optional(),
    parameters: z
      .array(
        z.strictObject({
          name: z.string(),
          type: z.enum(PARAMETER_TYPES),
          default: z.union([z.string(), z.number(), z.boolean()]).optional(),
          description,
          granularity: z.union([z.string(), z.number()]).optional(),
        }),
      )
      .optional(),
    environment: keyValues.optional(),
    config: keyValues.optional(),
    targets: z.array(z.string()).optional(),
  });
  const sections = {
    config: keyValues.optional().describe('settings: a map, or a list of key=value (docs/configuration.md)'),
    environment: keyValues.optional().describe('variables: a list of name=value, or a map'),
    profiles: z.record(z.string(), z.strictObject({ config: keyValues.optional(), environment: keyValues.optional() })).optional(),
    relations: entities(kinds.relations, { description }).optional(),
    mappings: entities(kinds.mappings, { description }).optional(),
    targets: entities(kinds.targets, { description, before: names.optional(), after: names.optional() }).optional(),
    jobs: z.record(z.string(), job).optional(),
  };
  const file = z
    .strictObject({
      name: z.string().optional().describe('the project name (project.yml only)'),
      version: z.union([z.string(), z.number()]).optional(),
      description,
      modules: names.optional().describe('module files, or folders of them (project.yml only)'),
      ...sections,
    })
    .describe('A weft project file (project.yml or a module); see docs/projects.md.');
  const schema = z.toJSONSchema(file, { io: 'input', target: 'draft-07', unrepresentable: 'any' });
  return allowVariables(schema) as Record<string, unknown>;
}

/** Lets a `$…` string stand wherever the schema wants a number, an integer or a boolean. */
function allowVariables(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowVariables);
  if (node === null || typeof node !== 'object') return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, allowVariables(v)]));
  const type = (out as { type?: unknown }).type;
  if (type === 'number' || type === 'integer' || type === 'boolean') return { anyOf: [out, { type: 'string', pattern: '\\$' }] };
  return out;
}

/** The committed file's exact text. */
export function projectJsonSchemaText(): string {
  return `${JSON.stringify(projectJsonSchema(), null, 2)}\n`;
}
