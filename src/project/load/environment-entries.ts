/**
 * An `environment` section — Flowman's list of `name=value` strings, or a map `name: value` — read
 * into variable definitions that remember where each was written. Values may refer to other
 * variables; they are resolved when used.
 */
import { isMap, isNode, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { ProjectError } from '../errors.js';
import type { VariableDef } from './variables.js';
import type { YamlFile } from './yaml-file.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*$/;

/** Reads an `environment` node. */
export function readEnvironment(yaml: YamlFile, node: Node | null): VariableDef[] {
  if (node === null || (isScalar(node) && node.value === null)) return [];
  const out: VariableDef[] = [];
  if (isSeq(node)) {
    for (const item of node.items) {
      const text = isScalar(item) ? item.value : undefined;
      const eq = typeof text === 'string' ? text.indexOf('=') : -1;
      if (typeof text !== 'string' || eq <= 0) {
        throw new ProjectError(`expected a \`name=value\` string in the environment list (e.g. \`basedir=data\`), got ${JSON.stringify(isNode(item) ? (item.toJSON() as unknown) : item ?? null)}`, {
          location: yaml.locate(item),
        });
      }
      out.push(define(yaml, item as Node, text.slice(0, eq).trim(), text.slice(eq + 1).trim()));
    }
    return out;
  }
  if (!isMap(node)) {
    throw new ProjectError('expected `environment` to be a map of variables or a list of `name=value` strings', { location: yaml.locate(node) });
  }
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    const raw = value === null ? null : (value.toJSON() as unknown);
    if (raw !== null && !['string', 'number', 'boolean'].includes(typeof raw)) {
      throw new ProjectError(`expected a text, number or boolean for variable \`${name}\`, got a structure`, { location: yaml.locate(value) });
    }
    out.push(define(yaml, (value ?? pair.key) as Node, name, raw as VariableDef['value']));
  }
  return out;
}

function define(yaml: YamlFile, node: Node, name: string, value: VariableDef['value']): VariableDef {
  if (!NAME.test(name)) {
    throw new ProjectError(`expected a variable name of letters, digits and \`_\` (e.g. \`basedir\`), got ${JSON.stringify(name)}`, { location: yaml.locate(node) });
  }
  return { name, value, where: yaml.locate(node) };
}
