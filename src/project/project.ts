/**
 * A loaded project: its identity, its directory, and every relation, mapping, target and job as
 * written (YAML nodes with positions), plus the config, environment and profiles of its files.
 * Entities are instantiated later, per job instance, once the variables of that instance are known
 * (Flowman instantiates the same way), so a `$year` in a target's partition is that instance's year.
 */
import type { Node } from 'yaml';
import type { ConfigLayerEntry } from '../config/index.js';
import type { SourceLocation } from './location.js';
import type { VariableDef } from './load/variables.js';
import type { YamlFile } from './load/yaml-file.js';

/** The four kinds of named entity a module can define. */
export type Section = 'relations' | 'mappings' | 'targets' | 'jobs';

/** One named entity as written. */
export interface RawEntity {
  readonly section: Section;
  readonly name: string;
  readonly yaml: YamlFile;
  /** The entity's value node (a map). */
  readonly node: Node;
  /** Where its name is written. */
  readonly location: SourceLocation;
}

/** A named profile: extra config and environment activated with `--profile name`. */
export interface Profile {
  readonly name: string;
  readonly config: readonly ConfigLayerEntry[];
  readonly environment: readonly VariableDef[];
  readonly location: SourceLocation;
}

/** Everything a project's files hold. Build one with `loadProject`. */
export interface Project {
  readonly name: string;
  readonly version: string | undefined;
  readonly description: string | undefined;
  /** Absolute directory of the project. */
  readonly dir: string;
  /** Absolute path of `project.yml`. */
  readonly file: string;
  /** Absolute paths of the module files, in load order (project.yml first). */
  readonly modules: readonly string[];
  readonly relations: ReadonlyMap<string, RawEntity>;
  readonly mappings: ReadonlyMap<string, RawEntity>;
  readonly targets: ReadonlyMap<string, RawEntity>;
  readonly jobs: ReadonlyMap<string, RawEntity>;
  /** The `config` of project.yml and every module, in load order. */
  readonly config: readonly ConfigLayerEntry[];
  /** The `environment` of project.yml and every module, in load order. */
  readonly environment: readonly VariableDef[];
  readonly profiles: ReadonlyMap<string, Profile>;
}

/** The singular of a section, for messages: `relation`, `mapping`, `target`, `job`. */
export function singular(section: Section): string {
  return section.slice(0, -1);
}
