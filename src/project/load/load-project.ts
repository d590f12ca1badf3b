/**
 * Loads a project: finds `project.yml`, reads it and every module it lists (files, or folders of
 * `.yml`/`.yaml` files, in code-point order), and collects their entities, config, environment
 * and profiles. Only structure is checked here — known sections, names, duplicates across files;
 * each entity's own spec is checked when it is instantiated, with the variables of a job instance.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { YAMLMap, isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { ConfigLayerEntry } from '../../config/index.js';
import { closest } from '../../config/suggest.js';
import { ProjectError } from '../errors.js';
import { formatLocation } from '../location.js';
import type { Profile, Project, RawEntity, Section } from '../project.js';
import { singular } from '../project.js';
import { readConfigEntries } from './config-entries.js';
import { readEnvironment } from './environment-entries.js';
import type { VariableDef } from './variables.js';
import { YamlFile } from './yaml-file.js';

const PROJECT_FILES = ['project.yml', 'project.yaml'];
const SECTIONS: readonly Section[] = ['relations', 'mappings', 'targets', 'jobs'];
const MODULE_KEYS = ['config', 'environment', 'profiles', ...SECTIONS];
const PROJECT_KEYS = ['name', 'version', 'description', 'modules', ...MODULE_KEYS];
const ENTITY_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** What a module contributes. */
interface Collected {
  entities: Record<Section, Map<string, RawEntity>>;
  config: ConfigLayerEntry[];
  environment: VariableDef[];
  profiles: Map<string, Profile>;
}

/**
 * Loads the project at `path`: a directory holding `project.yml`, or the file itself.
 * @throws ProjectError naming the file and position of the first problem.
 */
export async function loadProject(path: string): Promise<Project> {
  const file = await findProjectFile(resolve(path));
  const dir = dirname(file);
  const yaml = await YamlFile.read(file);
  const root = rootMap(yaml, PROJECT_KEYS, 'project file');
  const name = scalarField(yaml, root, 'name', true);
  if (!ENTITY_NAME.test(name ?? '')) {
    throw new ProjectError(`expected \`name\` to be a project name of letters, digits, \`_\`, \`-\` and \`.\`, got ${JSON.stringify(name)}`, {
      location: yaml.locate(root.get('name', true) ?? root),
    });
  }
  const collected: Collected = { entities: { relations: new Map(), mappings: new Map(), targets: new Map(), jobs: new Map() }, config: [], environment: [], profiles: new Map() };
  collect(yaml, root, collected);
  const modules = await moduleFiles(yaml, root.get('modules', true), dir);
  for (const moduleFile of modules) {
    const moduleYaml = await YamlFile.read(moduleFile);
    collect(moduleYaml, rootMap(moduleYaml, MODULE_KEYS, 'module'), collected);
  }
  return {
    name: name!,
    version: scalarField(yaml, root, 'version', false),
    description: scalarField(yaml, root, 'description', false),
    dir,
    file,
    modules: [file, ...modules],
    relations: collected.entities.relations,
    mappings: collected.entities.mappings,
    targets: collected.entities.targets,
    jobs: collected.entities.jobs,
    config: collected.config,
    environment: collected.environment,
    profiles: collected.profiles,
  };
}

async function findProjectFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new ProjectError(`no project at ${path}: it does not exist. Pass the project directory (holding project.yml) or the project.yml file with -f.`);
  if (info.isFile()) return path;
  for (const name of PROJECT_FILES) {
    const candidate = join(path, name);
    if (await stat(candidate).then((s) => s.isFile()).catch(() => false)) return candidate;
  }
  const names = (await readdir(path)).sort().slice(0, 12);
  throw new ProjectError(`no project.yml in ${path} (it holds: ${names.join(', ') || 'nothing'}). Pass the project directory or the project file with -f.`);
}

/** The document's root map, checking its top-level keys. */
function rootMap(yaml: YamlFile, known: readonly string[], what: string): YAMLMap {
  const root = yaml.doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return new YAMLMap();
  if (!isMap(root)) throw new ProjectError(`expected the ${what} to be a map of sections (${known.join(', ')}), got ${typeof root.toJSON()}`, { location: yaml.locate(root) });
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!known.includes(key)) {
      const near = closest(key, known, 1);
      throw new ProjectError(`unknown section \`${key}\` in the ${what}.${near.length > 0 ? ` Did you mean \`${near[0]}\`?` : ''} Known sections: ${known.join(', ')}.`, {
        location: yaml.locate(pair.key),
      });
    }
  }
  return root;
}

function scalarField(yaml: YamlFile, map: YAMLMap, key: string, required: boolean): string | undefined {
  const node = map.get(key, true) as Node | undefined;
  if (node === undefined || (isScalar(node) && node.value === null)) {
    if (required) throw new ProjectError(`missing required field \`${key}\` in the project file`, { location: yaml.locate(map) });
    return undefined;
  }
  if (!isScalar(node) || !['string', 'number'].includes(typeof node.value)) {
    throw new ProjectError(`expected \`${key}\` to be a text, got a structure`, { location: yaml.locate(node) });
  }
  return String(node.value);
}

/** Collects the sections of one file into `into`, rejecting names defined twice. */
function collect(yaml: YamlFile, root: YAMLMap, into: Collected): void {
  for (const section of SECTIONS) {
    const node = root.get(section, true) as Node | undefined;
    if (node === undefined || (isScalar(node) && node.value === null)) continue;
    if (!isMap(node)) throw new ProjectError(`expected \`${section}\` to be a map of ${section} by name`, { location: yaml.locate(node) });
    for (const pair of node.items) addEntity(yaml, section, pair.key as Node, pair.value as Node | null, into.entities[section]);
  }
  into.config.push(...readConfigEntries(yaml, (root.get('config', true) as Node | undefined) ?? null));
  into.environment.push(...readEnvironment(yaml, (root.get('environment', true) as Node | undefined) ?? null));
  readProfiles(yaml, (root.get('profiles', true) as Node | undefined) ?? null, into.profiles);
}

function addEntity(yaml: YamlFile, section: Section, keyNode: Node, value: Node | null, into: Map<string, RawEntity>): void {
  const name = isScalar(keyNode) ? String(keyNode.value) : '';
  const location = yaml.locate(keyNode);
  if (!ENTITY_NAME.test(name)) {
    throw new ProjectError(`expected a ${singular(section)} name of letters, digits, \`_\`, \`-\` and \`.\`, got ${JSON.stringify(name)}`, { location });
  }
  const earlier = into.get(name);
  if (earlier) {
    throw new ProjectError(`${singular(section)} \`${name}\` is defined twice: here and at ${formatLocation(earlier.location)}. Rename or remove one.`, { location });
  }
  if (value === null || !isMap(value)) {
    throw new ProjectError(`expected ${singular(section)} \`${name}\` to be a map of its fields${section === 'jobs' ? '' : ' (starting with `kind`)'}`, {
      location: value === null ? location : yaml.locate(value),
    });
  }
  into.set(name, { section, name, yaml, node: value, location });
}

function readProfiles(yaml: YamlFile, node: Node | null, into: Map<string, Profile>): void {
  if (node === null || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) throw new ProjectError('expected `profiles` to be a map of profiles by name', { location: yaml.locate(node) });
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const location = yaml.locate(pair.key);
    const body = pair.value as Node | null;
    if (body !== null && !isMap(body)) throw new ProjectError(`expected profile \`${name}\` to be a map with \`config\` and/or \`environment\``, { location });
    const earlier = into.get(name);
    if (earlier) throw new ProjectError(`profile \`${name}\` is defined twice: here and at ${formatLocation(earlier.location)}`, { location });
    for (const item of body && isMap(body) ? body.items : []) {
      const key = isScalar(item.key) ? String(item.key.value) : '';
      if (key !== 'config' && key !== 'environment') throw new ProjectError(`unknown field \`${key}\` in profile \`${name}\`; a profile has \`config\` and \`environment\``, { location: yaml.locate(item.key) });
    }
    const get = (key: string): Node | null => (body && isMap(body) ? ((body.get(key, true) as Node | undefined) ?? null) : null);
    into.set(name, { name, location, config: readConfigEntries(yaml, get('config')), environment: readEnvironment(yaml, get('environment')) });
  }
}

/** The module files listed under `modules`: files, or every `.yml`/`.yaml` file below a folder. */
async function moduleFiles(yaml: YamlFile, node: Node | undefined, dir: string): Promise<string[]> {
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  const items = isSeq(node) ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    const text = isScalar(item) ? item.value : undefined;
    if (typeof text !== 'string' || text === '') throw new ProjectError('expected a module path (a YAML file or a folder of them)', { location: yaml.locate(item) });
    const path = resolve(dir, text);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) {
      const names = (await readdir(dirname(path)).catch(() => [] as string[])).sort().slice(0, 12);
      throw new ProjectError(`module \`${text}\` not found: ${path} does not exist (${basename(dirname(path))}/ holds: ${names.join(', ') || 'nothing'})`, {
        location: yaml.locate(item),
      });
    }
    const files = info.isDirectory() ? await yamlFilesBelow(path) : [path];
    for (const file of files) if (!out.includes(file) && file !== yaml.file) out.push(file);
  }
  return out;
}

async function yamlFilesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name) && !relative(dir, join(e.parentPath, e.name)).split(/[\\/]/).some((p) => p.startsWith('.')))
    .map((e) => join(e.parentPath, e.name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
