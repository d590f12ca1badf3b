/**
 * Settings written as a list of entries, each with where it was written: a project's `config`
 * (a map or Flowman's list of `key=value` strings in `project.yml` or a module), a job's `config`,
 * or the defaults of the project layer. Text values are coerced by the key's type like `--conf`;
 * other values must already have the key's type. A later entry for the same key wins.
 */
import { ConfigError } from './errors.js';
import { isSettingKey } from './keys.js';
import { makeLayer } from './layer.js';
import type { ConfigEntry, ConfigLayer } from './layer.js';
import type { ConfigLayerInput, ConfigSourceKind, SettingKey } from './settings.js';
import { suggestKeys, unknownKeyMessage } from './suggest.js';
import { checkValue, coerceText } from './values.js';

/** Builds a layer named `name` of kind `kind` from user-written entries. */
export function entriesLayer(name: string, kind: ConfigSourceKind, input: ConfigLayerInput): ConfigLayer {
  const entries = new Map<SettingKey, ConfigEntry>();
  for (const { key, value, where } of input) {
    if (!isSettingKey(key)) throw new ConfigError(unknownKeyMessage(where, key, suggestKeys(key)), { key, where });
    const typed = typeof value === 'string' ? coerceText(key, value, where) : value;
    entries.set(key, { value: checkValue(key, typed, where), source: { kind, where } });
  }
  return makeLayer(name, kind, entries);
}
