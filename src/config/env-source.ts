/**
 * Settings from environment variables. The rule is exact and checked against the known keys:
 * `WEFT_CONF_` followed by the key upper-cased with every `.` replaced by `_`, e.g.
 * `weft.scheduler.mode` → `WEFT_CONF_WEFT_SCHEDULER_MODE`, `weft.task.maxFailures` →
 * `WEFT_CONF_WEFT_TASK_MAXFAILURES`. The variable name is looked up in a table built from the
 * keys (never split back into a key), so camelCase and dots cannot make it ambiguous; a test
 * proves no two keys share a name.
 */
import { ConfigError } from './errors.js';
import { SETTING_KEYS } from './keys.js';
import { makeLayer } from './layer.js';
import type { ConfigEntry, ConfigLayer } from './layer.js';
import type { SettingKey } from './settings.js';
import { closest, unknownKeyMessage } from './suggest.js';
import { checkValue, coerceText } from './values.js';

/** Prefix of every settings variable. `WEFT_CONFIG` (the config file path) does not match it. */
export const ENV_PREFIX = 'WEFT_CONF_';

/** The environment variable that sets `key`, e.g. `WEFT_CONF_WEFT_SCHEDULER_MODE`. */
export function envVarName(key: SettingKey): string {
  return ENV_PREFIX + key.toUpperCase().replaceAll('.', '_');
}

const keyByVar: ReadonlyMap<string, SettingKey> = new Map(SETTING_KEYS.map((key) => [envVarName(key), key]));

/** The key an environment variable sets, or `undefined` when it sets none. */
export function keyOfEnvVar(name: string): SettingKey | undefined {
  return keyByVar.get(name);
}

/**
 * Reads every `WEFT_CONF_*` variable of `env` (in name order, so errors are deterministic).
 * Empty values count as unset. An unknown name is an error that suggests the closest variables.
 */
export function envLayer(env: NodeJS.ProcessEnv): ConfigLayer {
  const entries = new Map<SettingKey, ConfigEntry>();
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX))
    .sort();
  for (const name of names) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const key = keyByVar.get(name);
    if (key === undefined) {
      throw new ConfigError(unknownKeyMessage(name, name, closest(name, keyByVar.keys())), { key: name, where: name });
    }
    const value = checkValue(key, coerceText(key, text, name), name);
    entries.set(key, { value, source: { kind: 'env', where: name } });
  }
  return makeLayer('env', 'env', entries);
}
