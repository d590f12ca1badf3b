/**
 * Turns a YAML node of a project file into a plain value, replacing variable references in every
 * string, while remembering where each part was written — so a spec checked later (by zod, by an
 * expression parser, by a relation) can report any part at its own `file:line:column`.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { ProjectError } from '../errors.js';
import type { SourceLocation } from '../location.js';
import type { Variables } from './variables.js';
import type { TextStart, YamlFile } from './yaml-file.js';

/** A path into a value: map keys and list indices. */
export type ValuePath = readonly (string | number)[];

/** A plain value and how to find where each part of it was written. */
export interface Located {
  readonly value: unknown;
  /** The location of the part at `path` (the closest enclosing part when `path` names nothing written). */
  readonly locate: (path: ValuePath) => SourceLocation;
  /** The location of the KEY naming `path` in its map (for unknown fields), else {@link locate}. */
  readonly locateKey: (path: ValuePath) => SourceLocation;
  /** Where the text of the string at `path` starts, and whether its characters map 1:1 to columns. */
  readonly textStart: (path: ValuePath) => (TextStart & { exact: boolean }) | undefined;
}

const keyOf = (path: ValuePath): string => path.map(String).join('\u0000');

/**
 * Materialises `node` of `yaml`, replacing references with `variables` (none when undefined).
 * `keep(path)` names the references left as written in the string at `path` (templates such as a
 * file relation's `pattern: ${year}`, whose placeholders are partition columns, not variables).
 * @throws ProjectError for an undefined variable or a non-scalar map key, at its position.
 */
export function materialize(yaml: YamlFile, node: Node | null | undefined, variables: Variables | undefined, keep?: (path: ValuePath) => ReadonlySet<string> | undefined): Located {
  const nodes = new Map<string, Node>();
  const keys = new Map<string, Node>();
  const interpolated = new Set<string>();
  const walk = (current: unknown, path: ValuePath): unknown => {
    const target = isAlias(current) ? current.resolve(yaml.doc) : current;
    if (target === undefined || target === null) return null;
    nodes.set(keyOf(path), target as Node);
    if (isMap(target)) {
      const out: Record<string, unknown> = {};
      for (const pair of target.items) {
        if (!isScalar(pair.key)) throw new ProjectError('expected a plain name as map key, got a structure', { location: yaml.locate(pair.key) });
        const name = String(pair.key.value);
        keys.set(keyOf([...path, name]), pair.key);
        out[name] = walk(pair.value, [...path, name]);
      }
      return out;
    }
    if (isSeq(target)) return target.items.map((item, i) => walk(item, [...path, i]));
    if (isScalar(target)) {
      const raw = target.value;
      if (typeof raw !== 'string' || variables === undefined) return raw;
      const start = yaml.textStart(target);
      const value = variables.interpolate(raw, start.location, isExact(target), keep?.(path));
      if (value !== raw) interpolated.add(keyOf(path));
      return value;
    }
    return null;
  };
  const value = walk(node, []);
  const nearest = (path: ValuePath): Node | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const found = nodes.get(keyOf(path.slice(0, depth)));
      if (found) return found;
    }
    return undefined;
  };
  return {
    value,
    locate: (path) => yaml.locate(nearest(path) ?? node),
    locateKey: (path) => yaml.locate(keys.get(keyOf(path)) ?? nearest(path) ?? node),
    textStart: (path) => {
      const found = nodes.get(keyOf(path));
      if (!found || !isScalar(found) || typeof found.value !== 'string') return undefined;
      return { ...yaml.textStart(found), exact: isExact(found) && !interpolated.has(keyOf(path)) };
    },
  };
}

/** True when the characters of a scalar's value sit one per column on one line as written. */
function isExact(node: Node): boolean {
  if (!isScalar(node) || typeof node.value !== 'string') return false;
  if (node.type === 'PLAIN' || node.type === 'QUOTE_SINGLE') return !node.value.includes('\n') && !(node.type === 'QUOTE_SINGLE' && node.value.includes("'"));
  if (node.type === 'QUOTE_DOUBLE') return !node.value.includes('\n') && !/["\\]/.test(node.value);
  return node.type === 'BLOCK_LITERAL';
}
