/**
 * A job of a project: its parameters, environment, config and the targets it builds — read from
 * its YAML with positions, with `extends` resolved (parameters, environment, config and targets of
 * the parent jobs come first; the child's win).
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { z } from 'zod';
import type { ConfigLayerEntry } from '../../config/index.js';
import { closest } from '../../config/suggest.js';
import { ProjectError } from '../errors.js';
import type { SourceLocation } from '../location.js';
import { readConfigEntries } from '../load/config-entries.js';
import { readEnvironment } from '../load/environment-entries.js';
import { materialize } from '../load/materialize.js';
import { parseSpec } from '../load/spec-issues.js';
import type { VariableDef } from '../load/variables.js';
import type { Project, RawEntity } from '../project.js';
import { PARAMETER_TYPES, parseParameterValue, type Parameter } from './parameters.js';

/** A job, ready to expand into instances. */
export interface Job {
  readonly name: string;
  readonly description: string | undefined;
  readonly location: SourceLocation;
  readonly parameters: readonly Parameter[];
  readonly environment: readonly VariableDef[];
  readonly config: readonly ConfigLayerEntry[];
  /** Target names in the order listed (parents' first), each with where it is listed. */
  readonly targets: ReadonlyArray<{ readonly name: string; readonly location: SourceLocation }>;
}

const parameterSpec = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a parameter name of letters, digits and `_`'),
  type: z
    .string()
    .transform((t) => t.toLowerCase())
    .pipe(z.enum(PARAMETER_TYPES)),
  default: z.union([z.string(), z.number(), z.boolean(), z.date(), z.null()]).optional(),
  description: z.string().optional(),
  granularity: z.union([z.string(), z.number()]).optional(),
});

const jobSpec = z.strictObject({
  description: z.string().optional(),
  extends: z.union([z.string(), z.array(z.string())]).optional(),
  parameters: z.array(parameterSpec).optional(),
  environment: z.unknown().optional(),
  config: z.unknown().optional(),
  targets: z.array(z.string()).optional(),
});

/**
 * Reads job `name` of `project`, resolving `extends`.
 * @throws ProjectError for an unknown job (listing the jobs), a bad spec, an unknown target, or an `extends` loop.
 */
export function readJob(project: Project, name: string, chain: readonly string[] = []): Job {
  const entity = project.jobs.get(name);
  if (!entity) {
    const near = closest(name, [...project.jobs.keys()], 1);
    const known = [...project.jobs.keys()].join(', ') || 'none';
    throw new ProjectError(`project \`${project.name}\` has no job \`${name}\`${near.length > 0 ? ` (did you mean \`${near[0]}\`?)` : ''}; its jobs: ${known}`);
  }
  if (chain.includes(name)) throw new ProjectError(`job \`${name}\` extends itself: ${[...chain, name].join(' → ')}`, { location: entity.location });
  const located = materialize(entity.yaml, entity.node, undefined);
  const spec = parseSpec(jobSpec, located, `job \`${name}\``);
  const parents = (typeof spec.extends === 'string' ? [spec.extends] : (spec.extends ?? [])).map((parent) => readJob(project, parent, [...chain, name]));
  const own = ownParts(project, entity, spec.parameters ?? [], located.locate);
  const merged = parents.reduce<Omit<Job, 'name' | 'description' | 'location'>>(
    (acc, parent) => ({
      parameters: mergeParameters(acc.parameters, parent.parameters),
      environment: [...acc.environment, ...parent.environment],
      config: [...acc.config, ...parent.config],
      targets: [...acc.targets, ...parent.targets.filter((t) => !acc.targets.some((a) => a.name === t.name))],
    }),
    { parameters: [], environment: [], config: [], targets: [] },
  );
  return {
    name,
    description: spec.description,
    location: entity.location,
    parameters: mergeParameters(merged.parameters, own.parameters),
    environment: [...merged.environment, ...own.environment],
    config: [...merged.config, ...own.config],
    targets: [...merged.targets, ...own.targets.filter((t) => !merged.targets.some((m) => m.name === t.name))],
  };
}

function ownParts(project: Project, entity: RawEntity, parameters: ReadonlyArray<z.infer<typeof parameterSpec>>, locate: (path: readonly (string | number)[]) => SourceLocation) {
  const node = entity.node;
  const child = (key: string): Node | null => (isMap(node) ? ((node.get(key, true) as Node | undefined) ?? null) : null);
  const typed = parameters.map((p, i): Parameter => {
    const base = { name: p.name, type: p.type, location: locate(['parameters', i]) };
    const extra = { ...(p.description !== undefined ? { description: p.description } : {}), ...(p.granularity !== undefined ? { granularity: String(p.granularity) } : {}) };
    if (p.default === undefined || p.default === null) return { ...base, ...extra };
    const where = locate(['parameters', i, 'default']);
    return { ...base, ...extra, default: parseParameterValue(base, p.default, `default of \`${p.name}\``, where) };
  });
  const seen = new Set<string>();
  for (const [i, p] of typed.entries()) {
    if (seen.has(p.name)) throw new ProjectError(`job \`${entity.name}\` declares parameter \`${p.name}\` twice`, { location: locate(['parameters', i]) });
    seen.add(p.name);
  }
  const targetsNode = child('targets');
  const targets = (targetsNode && isSeq(targetsNode) ? targetsNode.items : []).map((item) => {
    const name = isScalar(item) ? String(item.value) : '';
    const location = entity.yaml.locate(item);
    if (!project.targets.has(name)) {
      const near = closest(name, [...project.targets.keys()], 1);
      throw new ProjectError(`job \`${entity.name}\` lists target \`${name}\`, which is not defined${near.length > 0 ? `; did you mean \`${near[0]}\`?` : ''} (targets: ${[...project.targets.keys()].join(', ') || 'none'})`, { location });
    }
    return { name, location };
  });
  return { parameters: typed, environment: readEnvironment(entity.yaml, child('environment')), config: readConfigEntries(entity.yaml, child('config')), targets };
}

function mergeParameters(base: readonly Parameter[], over: readonly Parameter[]): Parameter[] {
  const out = base.filter((p) => !over.some((o) => o.name === p.name));
  return [...out, ...over];
}
