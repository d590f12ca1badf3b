/**
 * A layer is the set of values one source provides (built-in defaults, a config file, the
 * environment, `--conf` flags, code). Layers are stacked lowest precedence first and the highest
 * layer that sets a key wins. This module holds the layer type and the two sources that need no
 * I/O: the built-in defaults and values passed by code.
 */
import { ConfigError } from './errors.js';
import { SETTING_KEYS, isSettingKey, specOf } from './keys.js';
import type { ConfigSource, ConfigSourceKind, SettingKey } from './settings.js';
import { suggestKeys, unknownKeyMessage } from './suggest.js';
import { checkValue } from './values.js';

/** One value of a layer and where it came from. */
export interface ConfigEntry {
  readonly value: unknown;
  readonly source: ConfigSource;
}

/** The values one source provides; keys it does not set are absent. */
export interface ConfigLayer {
  /** Names the layer in precedence lists, e.g. `file` or, later, `project`. */
  readonly name: string;
  readonly kind: ConfigSourceKind;
  readonly entries: ReadonlyMap<SettingKey, ConfigEntry>;
}

/** Builds a layer whose values are deep-frozen, so a resolved config can be shared safely. */
export function makeLayer(name: string, kind: ConfigSourceKind, entries: Map<SettingKey, ConfigEntry>): ConfigLayer {
  for (const entry of entries.values()) deepFreeze(entry.value);
  return { name, kind, entries };
}

/** Every key at its built-in default (computed now, e.g. the number of CPUs). */
export function defaultLayer(): ConfigLayer {
  const source: ConfigSource = { kind: 'default', where: 'built-in' };
  const entries = new Map<SettingKey, ConfigEntry>();
  for (const key of SETTING_KEYS) entries.set(key, { value: specOf(key).default(), source });
  return makeLayer('default', 'default', entries);
}

/**
 * Values passed by code, by dotted key. `undefined` values are skipped; a string for a key with a
 * text form (e.g. parallelism `"50%"`) is parsed; everything else must already have the key's type.
 */
export function codeLayer(code: object, name = 'code'): ConfigLayer {
  const source: ConfigSource = { kind: 'code', where: 'code' };
  const entries = new Map<SettingKey, ConfigEntry>();
  for (const [key, raw] of Object.entries(code) as Array<[string, unknown]>) {
    if (raw === undefined) continue;
    if (!isSettingKey(key)) throw new ConfigError(unknownKeyMessage('code', key, suggestKeys(key)), { key, where: 'code' });
    const parseText = specOf(key).parseText;
    const value = typeof raw === 'string' && parseText ? parseText(raw, `code ${key}`) : raw;
    entries.set(key, { value: checkValue(key, value, 'code'), source });
  }
  return makeLayer(name, 'code', entries);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
