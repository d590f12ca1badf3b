/**
 * Human-readable types of settings (`integer ≥ 1 | null`, `"FIFO" | "FAIR"`), derived from each
 * key's zod schema through its JSON Schema so that docs, `--explain` and error messages can never
 * disagree with what validation accepts.
 */
import { z } from 'zod';
import { specOf } from './keys.js';
import type { SettingKey } from './settings.js';

/** The subset of JSON Schema that weft's settings use. */
interface JsonSchemaNode {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchemaNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: JsonSchemaNode | boolean;
}

const cache = new Map<SettingKey, string>();

/** How the type of `key` reads, e.g. `integer ≥ 1 | null`. */
export function typeTextOf(key: SettingKey): string {
  let text = cache.get(key);
  if (text === undefined) {
    const spec = specOf(key);
    text = spec.typeText ?? describeSchema(z.toJSONSchema(spec.schema) as JsonSchemaNode);
    cache.set(key, text);
  }
  return text;
}

/** The kinds of JSON value a key's schema accepts, used to coerce strings from env and CLI. */
export function jsonTypesOf(key: SettingKey): ReadonlySet<string> {
  const types = new Set<string>();
  const visit = (node: JsonSchemaNode): void => {
    if (node.anyOf) node.anyOf.forEach(visit);
    else if (node.enum) node.enum.forEach((value) => types.add(value === null ? 'null' : typeof value));
    else if (node.type) types.add(node.type);
  };
  visit(z.toJSONSchema(specOf(key).schema) as JsonSchemaNode);
  return types;
}

function describeSchema(node: JsonSchemaNode): string {
  if (node.anyOf) return node.anyOf.map(describeSchema).join(' | ');
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  switch (node.type) {
    case 'integer':
    case 'number':
      return [node.type, ...bounds(node)].join(' ');
    case 'object':
      return describeObject(node);
    case 'string':
      return node.pattern === undefined ? 'string' : `string matching /${node.pattern}/`;
    default:
      return node.type ?? 'any';
  }
}

function bounds(node: JsonSchemaNode): string[] {
  const out: string[] = [];
  if (node.exclusiveMinimum !== undefined) out.push(`> ${node.exclusiveMinimum}`);
  else if (node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER) out.push(`≥ ${node.minimum}`);
  if (node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${node.maximum}`);
  return out.length === 2 ? [`${out[0]},`, out[1] ?? ''] : out;
}

function describeObject(node: JsonSchemaNode): string {
  if (node.properties) {
    const required = new Set(node.required ?? []);
    const fields = Object.entries(node.properties).map(
      ([name, field]) => `${name}${required.has(name) ? '' : '?'}: ${describeSchema(field)}`,
    );
    return `{ ${fields.join(', ')} }`;
  }
  if (typeof node.additionalProperties === 'object') return `map of name → ${describeSchema(node.additionalProperties)}`;
  return 'object';
}
