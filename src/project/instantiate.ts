/**
 * Builds one relation, mapping or target from its YAML for a job instance: replaces variables,
 * checks `kind` (an unknown kind lists the known ones), validates the kind's spec with positions,
 * and calls the kind's `create`. The fields every entity of a section may carry (`kind`,
 * `description`, and for targets `before`/`after`) are taken off before the kind sees its spec.
 */
import { z, type ZodType } from 'zod';
import { closest } from '../config/suggest.js';
import { describeValue } from '../errors.js';
import { digestOf } from './digest.js';
import type { EntitySetup } from './entity-setup.js';
import { ProjectError } from './errors.js';
import { materialize, type Located, type ValuePath } from './load/materialize.js';
import { parseSpec } from './load/spec-issues.js';
import type { Variables } from './load/variables.js';
import type { MappingKind } from './mappings/mapping.js';
import type { RawEntity } from './project.js';
import { singular } from './project.js';
import type { RelationKind } from './relations/relation.js';
import type { TargetKind } from './targets/target.js';

/** The kinds a project may use, by name. */
export interface Kinds {
  readonly relations: ReadonlyMap<string, RelationKind>;
  readonly mappings: ReadonlyMap<string, MappingKind>;
  readonly targets: ReadonlyMap<string, TargetKind>;
}

/** Any kind: a name, a spec and a factory. */
interface AnyKind {
  readonly kind: string;
  readonly summary: string;
  readonly spec: ZodType;
}

const names = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === 'string' ? [v] : v));

/** The fields every entity of a section may carry besides its kind's own. */
const COMMON = {
  relations: z.object({ description: z.string().optional() }),
  mappings: z.object({ description: z.string().optional() }),
  targets: z.object({ description: z.string().optional(), before: names.optional(), after: names.optional() }),
} as const;

/** An entity's spec, checked, with what every kind's `create` needs. */
export interface Prepared<K extends AnyKind> {
  readonly kind: K;
  readonly spec: unknown;
  readonly setup: EntitySetup;
  readonly common: { description?: string | undefined; before?: string[] | undefined; after?: string[] | undefined };
  /** Digest of the entity as written after variables were replaced. */
  readonly digest: string;
}

/**
 * Prepares `entity` with `variables`: the kind and its checked spec.
 * @throws ProjectError at the position of an undefined variable, a missing or unknown kind, or a bad field.
 */
export function prepare<K extends AnyKind>(entity: RawEntity, variables: Variables, kinds: ReadonlyMap<string, K>, projectDir: string): Prepared<K> {
  const located = materialize(entity.yaml, entity.node, variables, entity.section === 'relations' ? patternPlaceholders(entity) : undefined);
  const what = `${singular(entity.section)} \`${entity.name}\``;
  const value = located.value as Record<string, unknown>;
  const kind = findKind(value.kind, kinds, located, what);
  const common = COMMON[entity.section as keyof typeof COMMON];
  const commonKeys = Object.keys(common.shape);
  const own: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (key !== 'kind' && !commonKeys.includes(key)) own[key] = v;
  const picked = Object.fromEntries(Object.entries(value).filter(([key]) => commonKeys.includes(key)));
  const shared = parseSpec(common as ZodType, { ...located, value: picked }, what) as Prepared<K>['common'];
  const spec = parseSpec(kind.spec, { ...located, value: own }, `${what} (kind ${kind.kind})`);
  const setup: EntitySetup = {
    name: entity.name,
    projectDir,
    location: entity.location,
    locate: (path) => located.locate(path),
    textStart: (path) => located.textStart(path),
  };
  return { kind, spec, setup, common: shared, digest: digestOf(entity.section, entity.name, value) };
}

/**
 * In a relation's `pattern`, `${column}` of one of its partition columns is a placeholder filled
 * per partition (as in Flowman), not a variable — even when a job parameter has the same name.
 */
function patternPlaceholders(entity: RawEntity): (path: ValuePath) => ReadonlySet<string> | undefined {
  const raw = entity.node.toJSON() as { partitions?: unknown };
  const columns = new Set<string>();
  if (Array.isArray(raw.partitions)) for (const p of raw.partitions as unknown[]) if (p !== null && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string') columns.add((p as { name: string }).name);
  return (path) => (path.length === 1 && path[0] === 'pattern' ? columns : undefined);
}

function findKind<K extends AnyKind>(kind: unknown, kinds: ReadonlyMap<string, K>, located: Located, what: string): K {
  const known = [...kinds.keys()];
  if (typeof kind !== 'string') {
    throw new ProjectError(`${what}: missing \`kind\` (one of ${known.join(', ')}), got ${describeValue(kind)}`, { location: located.locate(['kind']) });
  }
  const found = kinds.get(kind);
  if (found) return found;
  const near = closest(kind, known, 1);
  const list = [...kinds.values()].map((k) => `${k.kind} (${k.summary})`).join('; ');
  throw new ProjectError(`${what}: unknown kind \`${kind}\`${near.length > 0 ? `; did you mean \`${near[0]}\`?` : ''}. Known kinds: ${list}`, {
    location: located.locate(['kind']),
  });
}
