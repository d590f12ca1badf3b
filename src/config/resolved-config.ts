/**
 * The result of resolving settings: every key's value and the source it came from. Immutable;
 * {@link ResolvedConfig.with} stacks one more `code` layer on a copy, which is how an operator or
 * a job overrides a setting without touching the config it was given.
 */
import { ConfigError } from './errors.js';
import { SETTING_KEYS, isSettingKey, specOf } from './keys.js';
import { codeLayer } from './layer.js';
import type { ConfigEntry, ConfigLayer } from './layer.js';
import type { ConfigSource, SettingKey, Settings } from './settings.js';
import { suggestKeys, unknownKeyMessage } from './suggest.js';

/** One row of {@link ResolvedConfig.explain}. */
export interface ExplainedSetting {
  key: SettingKey;
  value: unknown;
  source: ConfigSource;
  description: string;
}

/** Every setting resolved by precedence. Build one with `resolveConfig()`. */
export class ResolvedConfig {
  #layers: readonly ConfigLayer[];
  #effective = new Map<SettingKey, ConfigEntry>();

  /**
   * @internal Use `resolveConfig()`. `layers` are lowest precedence first; the first must set every key.
   */
  constructor(layers: readonly ConfigLayer[]) {
    this.#layers = layers;
    for (const layer of layers) for (const [key, entry] of layer.entries) this.#effective.set(key, entry);
    const missing = SETTING_KEYS.find((key) => !this.#effective.has(key));
    if (missing !== undefined) throw new ConfigError(`Internal: no layer sets \`${missing}\`; the default layer must set every key.`);
  }

  /** The resolved value of `key`. Objects are frozen. */
  get<K extends SettingKey>(key: K): Settings[K] {
    return this.#entry(key).value as Settings[K];
  }

  /** Where the resolved value of `key` came from. */
  source(key: SettingKey): ConfigSource {
    return this.#entry(key).source;
  }

  /** Every key in table order with its value, source and description (for `weft config --explain`). */
  explain(): ExplainedSetting[] {
    return SETTING_KEYS.map((key) => {
      const { value, source } = this.#entry(key);
      return { key, value, source, description: specOf(key).description };
    });
  }

  /** The names of the layers, lowest precedence first, e.g. `['default', 'file', 'env', 'cli', 'code']`. */
  layers(): string[] {
    return this.#layers.map((layer) => layer.name);
  }

  /**
   * A new config with `code` as a layer above all others; this one is unchanged.
   *
   * @example
   * ```ts
   * const forStep = config.with({ 'weft.task.maxFailures': 1 });
   * ```
   */
  with(code: Partial<Settings>): ResolvedConfig {
    return new ResolvedConfig([...this.#layers, codeLayer(code)]);
  }

  #entry(key: SettingKey): ConfigEntry {
    const entry = this.#effective.get(key);
    if (entry === undefined || !isSettingKey(key)) {
      throw new ConfigError(unknownKeyMessage('code', String(key), suggestKeys(String(key))), { key: String(key), where: 'code' });
    }
    return entry;
  }
}
