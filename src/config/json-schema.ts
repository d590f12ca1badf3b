/**
 * The JSON Schema of `weft.config.yaml`, generated from the key table with zod's `toJSONSchema`
 * and committed as `schema/weft.config.schema.json` so that editors complete and check config
 * files. It accepts every form the loader accepts: nested maps, dotted keys, and any mix
 * (`weft: { scheduler.mode: FAIR }`).
 */
import { z } from 'zod';
import { SETTING_KEYS, specOf } from './keys.js';
import type { SettingKey } from './settings.js';

/** Where the schema is published, relative to the package root. */
export const CONFIG_SCHEMA_PATH = 'schema/weft.config.schema.json';

type Meta = { title?: string; description?: string; default?: unknown };

/** Builds the JSON Schema object of the config file. */
export function configJsonSchema(): Record<string, unknown> {
  const metadata = z.registry<Meta>();
  const groups = new Map<string, z.ZodType>();
  const leaf = (key: SettingKey): z.ZodType => {
    const spec = specOf(key);
    const schema = (spec.input ?? spec.schema).optional();
    const meta: Meta = { description: spec.description };
    if (spec.defaultText === undefined) meta.default = spec.default();
    metadata.add(schema, meta);
    return schema;
  };
  // The map reached after the first `depth` segments of a key, whatever grouping led there.
  const group = (segments: readonly string[], depth: number): z.ZodType => {
    const prefix = segments.slice(0, depth).join('.');
    const cached = groups.get(prefix);
    if (cached) return cached;
    const shape: Record<string, z.ZodType> = {};
    for (const key of SETTING_KEYS) {
      const parts = key.split('.');
      if (depth > 0 && parts.slice(0, depth).join('.') !== prefix) continue;
      for (let end = depth + 1; end <= parts.length; end++) {
        const name = parts.slice(depth, end).join('.');
        shape[name] ??= end === parts.length ? leaf(key) : group(parts, end).optional();
      }
    }
    const schema = z.strictObject(shape);
    if (depth === 0) metadata.add(schema, { title: 'weft.config.yaml', description: 'weft settings; see docs/configuration.md.' });
    groups.set(prefix, schema);
    return schema;
  };
  return z.toJSONSchema(group([], 0), { metadata, io: 'input', target: 'draft-07' });
}

/** The committed file's exact text: two-space JSON and a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
