/**
 * Settings from repeatable `--conf key=value` flags. The key is a dotted setting name, the value
 * text is coerced by the key's type like an environment variable; a later flag for the same key wins.
 */
import { ConfigError } from './errors.js';
import { isSettingKey } from './keys.js';
import { makeLayer } from './layer.js';
import type { ConfigEntry, ConfigLayer } from './layer.js';
import type { CliSetting, SettingKey } from './settings.js';
import { suggestKeys, unknownKeyMessage } from './suggest.js';
import { checkValue, coerceText } from './values.js';

/**
 * Reads the values of each `--conf` flag, e.g. `['weft.scheduler.mode=FAIR', 'weft.task.maxFailures=2']`.
 * An entry given as a {@link CliSetting} records its own flag (`-p`, `-j`, `--backend`) as its source.
 */
export function cliLayer(settings: ReadonlyArray<string | CliSetting>): ConfigLayer {
  const entries = new Map<SettingKey, ConfigEntry>();
  for (const setting of settings) {
    const flag = typeof setting === 'string' ? setting : setting.entry;
    const origin = typeof setting === 'string' ? '--conf' : setting.flag;
    const where = origin === '--conf' ? `--conf ${flag}` : `${origin} (${flag})`;
    const eq = flag.indexOf('=');
    const key = flag.slice(0, Math.max(eq, 0)).trim();
    if (eq < 0 || key === '') {
      throw new ConfigError(`${where}: expected key=value, e.g. --conf weft.scheduler.mode=FAIR.`, { where });
    }
    if (!isSettingKey(key)) throw new ConfigError(unknownKeyMessage(where, key, suggestKeys(key)), { key, where });
    const value = checkValue(key, coerceText(key, flag.slice(eq + 1), where), where);
    entries.set(key, { value, source: { kind: 'cli', where: origin } });
  }
  return makeLayer('cli', 'cli', entries);
}
