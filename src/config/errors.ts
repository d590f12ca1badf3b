/**
 * Errors of the config layer. A bad setting is the user's input, so {@link ConfigError} is a
 * `UsageError` (the CLI exits with 2), and it is registered so that it keeps its class when it
 * crosses a worker boundary.
 */
import { UsageError, registerErrorClass } from '../errors.js';

/**
 * A setting could not be read: an unknown key, a value of the wrong type or range, a config file
 * that is missing or not valid YAML. The message starts with where the setting came from
 * (`/abs/weft.config.yaml:3:9`, `WEFT_CONF_…`, `--conf …`, `code`) and says how to fix it.
 */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
  /** The setting concerned, when there is one (e.g. `weft.scheduler.mode`). */
  readonly key: string | null;
  /** Where the bad input came from, e.g. `/abs/weft.config.yaml:3:9` or `WEFT_CONF_WEFT_SCHEDULER_MODE`. */
  readonly where: string | null;
  constructor(message: string, options?: { cause?: unknown; key?: string; where?: string }) {
    super(message, { code: 'WEFT_CONFIG', ...(options?.cause === undefined ? {} : { cause: options.cause }) });
    this.key = options?.key ?? null;
    this.where = options?.where ?? null;
  }
}

registerErrorClass(ConfigError.name, ConfigError);
