/**
 * The registry of relation kinds: what `kind:` in a project file may name. The project loader
 * looks a kind up here, validates the spec against the kind's zod schema (with positions), and
 * builds the relation with the kind's `create`.
 */
import { ProjectError } from '../errors.js';
import { FILE_RELATION_KIND } from './file-relation.js';
import { POSTGRES_RELATION_KIND } from './postgres-relation.js';
import type { RelationKind } from './relation.js';

/** Every relation kind, by the name project files use. */
export const RELATION_KINDS: ReadonlyMap<string, RelationKind> = new Map<string, RelationKind>(
  [FILE_RELATION_KIND as RelationKind, POSTGRES_RELATION_KIND as RelationKind].map((k) => [k.kind, k]),
);

/**
 * The relation kind called `name`.
 * @throws {ProjectError} for an unknown kind, listing the known ones (the loader adds the position).
 * @example
 * const kind = relationKind('file');
 * const relation = kind.create(kind.spec.parse(raw), setup);
 */
export function relationKind(name: string): RelationKind {
  const kind = RELATION_KINDS.get(name);
  if (kind !== undefined) return kind;
  const known = [...RELATION_KINDS.values()].map((k) => `${k.kind} (${k.summary})`).join('; ');
  throw new ProjectError(`unknown relation kind ${JSON.stringify(name)}: expected one of ${[...RELATION_KINDS.keys()].join(', ')} — ${known}`, { code: 'WEFT_PROJECT' });
}
