/**
 * Settings from a YAML config file (`weft.config.yaml`). Keys may be nested maps
 * (`weft: { scheduler: { mode: FAIR } }`), dotted (`weft.scheduler.mode: FAIR`) or any mix; they
 * flatten to dotted keys, and a known key's value is taken whole (so `weft.scheduler.pools` is a
 * leaf map). The document is parsed with positions kept, so every error names `file:line:column`.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import { describeValue } from '../errors.js';
import { ConfigError, configErrors } from './errors.js';
import { SETTING_GROUPS, SETTING_KEYS, isSettingKey, specOf } from './keys.js';
import { makeLayer } from './layer.js';
import type { ConfigEntry, ConfigLayer } from './layer.js';
import type { SettingKey } from './settings.js';
import { EXPLAIN_HINT, suggestKeys, unknownKeyMessage } from './suggest.js';
import { checkValue } from './values.js';

/** Name of the config file looked for in the project directory. */
export const CONFIG_FILE_NAME = 'weft.config.yaml';

/**
 * Reads the config file at absolute path `file`. Returns `undefined` when it does not exist and
 * `required` is false (the default file is optional; one named by option or `WEFT_CONFIG` is not).
 */
export function fileLayer(file: string, required: boolean, name = 'file'): ConfigLayer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${file}: cannot read the config file (${(error as Error).message}). Check the path and its permissions.`, {
      where: file,
      cause: error,
    });
  }
  return parseConfigText(text, file, name);
}

/** Parses config file text; `file` names it in sources and errors. */
export function parseConfigText(text: string, file: string, name = 'file'): ConfigLayer {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): string => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((syntax) => {
      const where = at(syntax.pos[0]);
      return new ConfigError(`${where}: invalid YAML: ${syntax.message.split('\n')[0]}. Fix the syntax of the config file.`, { where, cause: syntax });
    });
    throw configErrors(problems, file);
  }
  const entries = new Map<SettingKey, ConfigEntry>();
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return makeLayer(name, 'file', entries);
  if (!isMap(root)) {
    const where = at(root.range[0]);
    throw new ConfigError(`${where}: expected a map of settings (e.g. \`weft.scheduler.mode: FAIR\`), got ${describeValue(root.toJS(doc))}.`, {
      where,
    });
  }
  const problems: ConfigError[] = [];
  new FileWalker(doc, file, at, entries, problems).walk(root, '');
  if (problems.length > 0) throw configErrors(problems, file);
  return makeLayer(name, 'file', entries);
}

/**
 * Flattens one document into `entries`, checking each key and value where it is written. Every
 * problem is collected into `problems` rather than thrown, so that one error lists them all.
 */
class FileWalker {
  #doc: Document;
  #file: string;
  #at: (offset: number) => string;
  #entries: Map<SettingKey, ConfigEntry>;
  #problems: ConfigError[];

  constructor(doc: Document, file: string, at: (offset: number) => string, entries: Map<SettingKey, ConfigEntry>, problems: ConfigError[]) {
    this.#doc = doc;
    this.#file = file;
    this.#at = at;
    this.#entries = entries;
    this.#problems = problems;
  }

  walk(map: YAMLMap, prefix: string): void {
    for (const pair of map.items) {
      try {
        this.#pair(pair.key, pair.value, map, prefix);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        this.#problems.push(error);
      }
    }
  }

  /** One `key: value` of `map`: a setting, a group to walk into, or a problem (thrown). */
  #pair(keyNode: unknown, valueNode: unknown, map: YAMLMap, prefix: string): void {
    const keyWhere = this.#where(keyNode, map);
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      throw new ConfigError(`${keyWhere}: expected a setting name as key, got ${describeValue(this.#js(keyNode))}. ${EXPLAIN_HINT}`, {
        where: keyWhere,
      });
    }
    const path = prefix === '' ? String(keyNode.value) : `${prefix}.${String(keyNode.value)}`;
    if (isSettingKey(path)) this.#leaf(path, keyWhere, valueNode, keyNode);
    else if (SETTING_GROUPS.has(path) && isMap(valueNode)) this.walk(valueNode, path);
    else if (SETTING_GROUPS.has(path)) {
      const where = this.#where(valueNode, keyNode);
      throw new ConfigError(
        `${where}: \`${path}\` is a group of settings, expected a map under it (e.g. \`${path}.${nextSegment(path)}: …\`), ` +
          `got ${describeValue(this.#js(valueNode))}. ${EXPLAIN_HINT}`,
        { key: path, where },
      );
    } else {
      throw new ConfigError(unknownKeyMessage(keyWhere, path, suggestKeys(path, isMap(valueNode))), { key: path, where: keyWhere });
    }
  }

  #leaf(key: SettingKey, keyWhere: string, valueNode: unknown, keyNode: Node): void {
    const earlier = this.#entries.get(key);
    if (earlier) {
      throw new ConfigError(
        `${keyWhere}: \`${key}\` is set twice in ${this.#file}, here and at ${earlier.source.where}. Keep one of them.`,
        { key, where: keyWhere },
      );
    }
    const where = this.#where(valueNode, keyNode);
    const raw = this.#js(valueNode);
    const parseText = specOf(key).parseText;
    const value = typeof raw === 'string' && parseText ? parseText(raw, `${where}: \`${key}\``) : raw;
    const locate = (path: readonly PropertyKey[], at: 'key' | 'value'): string | undefined => {
      if (!isMap(valueNode)) return undefined;
      if (at === 'key') {
        const named = keyNodeIn(valueNode, path);
        return named ? this.#where(named, valueNode) : undefined;
      }
      for (let depth = path.length; depth > 0; depth--) {
        const found = valueNode.getIn(path.slice(0, depth), true);
        if (isNodeLike(found)) return this.#where(found, valueNode);
      }
      return undefined;
    };
    this.#entries.set(key, { value: checkValue(key, value, where, locate), source: { kind: 'file', where: keyWhere } });
  }

  /** `file:line:column` of a node, or of `fallback` when the node has no position (e.g. an empty value). */
  #where(node: unknown, fallback: unknown): string {
    const offset = isNodeLike(node) ? node.range?.[0] : undefined;
    if (offset !== undefined) return this.#at(offset);
    const other = isNodeLike(fallback) ? fallback.range?.[0] : undefined;
    return other === undefined ? this.#file : this.#at(other);
  }

  #js(node: unknown): unknown {
    return isNodeLike(node) ? node.toJS(this.#doc) : node;
  }
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'toJS' in value;
}

/** The key node of an unknown field, e.g. `wieght` inside a pool, found by its parent path. */
function keyNodeIn(map: YAMLMap, path: readonly PropertyKey[]): Node | undefined {
  const parent = path.length > 1 ? (map.getIn(path.slice(0, -1), true)) : map;
  if (!isMap(parent)) return undefined;
  const name = String(path.at(-1));
  const pair = (parent.items).find((item) => isScalar(item.key) && String(item.key.value) === name);
  return pair && isNodeLike(pair.key) ? pair.key : undefined;
}

function nextSegment(group: string): string {
  const key = SETTING_KEYS.find((candidate) => candidate.startsWith(`${group}.`)) ?? `${group}.…`;
  return key.slice(group.length + 1).split('.')[0] ?? '…';
}
