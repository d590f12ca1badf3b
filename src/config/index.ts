/**
 * Settings with precedence: one resolver for every setting in weft.
 *
 * @example
 * ```ts
 * import { resolveConfig, formatExplain } from './config/index.js';
 *
 * const config = resolveConfig({ cwd: projectDir, cli: options.conf });
 * const slots = config.get('weft.execution.executor.parallelism');
 * console.log(formatExplain(config)); // weft config --explain
 * ```
 */
export type {
  CliSetting,
  ConfigSource,
  ConfigSourceKind,
  PoolSettings,
  ResolveOptions,
  ConfigLayerEntry,
  ConfigLayerInput,
  SchedulingMode,
  SettingKey,
  Settings,
} from './settings.js';
export { ConfigError } from './errors.js';
export { resolveConfig, setProcessCliConfig } from './resolve.js';
export { ResolvedConfig } from './resolved-config.js';
export type { ExplainedSetting } from './resolved-config.js';
export { parseParallelism } from './parallelism.js';
export { formatExplain, formatSource, formatValue } from './explain.js';
export { SETTING_KEYS, isSettingKey } from './keys.js';
export { ENV_PREFIX, envVarName } from './env-source.js';
export { CONFIG_FILE_NAME } from './file-source.js';
export { configJsonSchema, configJsonSchemaText, CONFIG_SCHEMA_PATH } from './json-schema.js';
