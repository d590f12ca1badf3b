/**
 * The mapping and target kinds weft ships, by the name project files use. Relation kinds live with
 * the relations (`relations/kinds.ts`); {@link builtinKinds} gathers all three for a session.
 */
import { deduplicateKind, joinKind, readKind, sortKind, unionKind } from './mappings/basic-kinds.js';
import { aggregateKind } from './mappings/aggregate-kind.js';
import { extendKind, filterKind, projectKind, selectKind } from './mappings/expression-kinds.js';
import { functionKind } from './mappings/function-kind.js';
import type { Kinds } from './instantiate.js';
import type { MappingKind } from './mappings/mapping.js';
import { RELATION_KINDS } from './relations/kinds.js';
import { consoleTargetKind } from './targets/console-target.js';
import { fileTargetKind } from './targets/file-target.js';
import { relationTargetKind } from './targets/relation-target.js';
import type { TargetKind } from './targets/target.js';
import { validateTargetKind } from './targets/validate-target.js';

const byName = <K extends { kind: string }>(kinds: readonly K[]): ReadonlyMap<string, K> => new Map(kinds.map((k) => [k.kind, k]));

/** Every built-in mapping kind. */
export const MAPPING_KINDS: ReadonlyMap<string, MappingKind> = byName<MappingKind>([readKind, selectKind, extendKind, filterKind, projectKind, aggregateKind, joinKind, unionKind, deduplicateKind, sortKind, functionKind] as MappingKind[]);

/** Every built-in target kind. */
export const TARGET_KINDS: ReadonlyMap<string, TargetKind> = byName<TargetKind>([relationTargetKind, validateTargetKind, fileTargetKind, consoleTargetKind] as TargetKind[]);

/** Every built-in kind: relations, mappings and targets. */
export function builtinKinds(): Kinds {
  return { relations: RELATION_KINDS, mappings: MAPPING_KINDS, targets: TARGET_KINDS };
}
