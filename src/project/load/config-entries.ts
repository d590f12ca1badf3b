/**
 * A `config` section of a project file — a map (nested or dotted keys, as in `weft.config.yaml`)
 * or Flowman's list of `key=value` strings — read into config entries that remember where each
 * was written. The config layer checks keys and values; this module only flattens.
 */
import { isMap, isNode, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { ConfigLayerEntry } from '../../config/index.js';
import { SETTING_KEYS } from '../../config/index.js';
import { formatLocation } from '../location.js';
import { ProjectError } from '../errors.js';
import type { YamlFile } from './yaml-file.js';

const KNOWN = new Set<string>(SETTING_KEYS);

/** Reads a `config` node. */
export function readConfigEntries(yaml: YamlFile, node: Node | null): ConfigLayerEntry[] {
  if (node === null || (isScalar(node) && node.value === null)) return [];
  const out: ConfigLayerEntry[] = [];
  if (isSeq(node)) {
    for (const item of node.items) {
      const where = formatLocation(yaml.locate(item));
      const text = isScalar(item) ? item.value : undefined;
      const eq = typeof text === 'string' ? text.indexOf('=') : -1;
      if (typeof text !== 'string' || eq <= 0) {
        throw new ProjectError(`expected a \`key=value\` string in the config list (e.g. \`weft.execution.executor.class=parallel\`), got ${JSON.stringify(isNode(item) ? (item.toJSON() as unknown) : item ?? null)}`, {
          location: yaml.locate(item),
        });
      }
      out.push({ key: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim(), where });
    }
    return out;
  }
  if (!isMap(node)) {
    throw new ProjectError('expected `config` to be a map of settings or a list of `key=value` strings', { location: yaml.locate(node) });
  }
  flatten(yaml, node, '', out);
  return out;
}

function flatten(yaml: YamlFile, map: Node, prefix: string, out: ConfigLayerEntry[]): void {
  if (!isMap(map)) return;
  for (const pair of map.items) {
    const keyNode = pair.key as Node;
    const name = isScalar(keyNode) ? String(keyNode.value) : '';
    const key = prefix === '' ? name : `${prefix}.${name}`;
    const value = pair.value as Node | null;
    if (!KNOWN.has(key) && isMap(value)) {
      flatten(yaml, value, key, out);
      continue;
    }
    out.push({ key, value: value === null ? null : value.toJSON() as unknown, where: formatLocation(yaml.locate(value ?? keyNode)) });
  }
}
