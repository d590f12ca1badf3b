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
  /** Every problem this error reports: itself, or each one of a file that had several. */
  readonly problems: readonly ConfigError[];
  constructor(message: string, options?: { cause?: unknown; key?: string | null; where?: string | null; problems?: readonly ConfigError[] }) {
    super(message, { code: 'WEFT_CONFIG', ...(options?.cause === undefined ? {} : { cause: options.cause }) });
    this.key = options?.key ?? null;
    this.where = options?.where ?? null;
    this.problems = options?.problems ?? [this];
  }
}

/**
 * One error for all the problems found in one source (a config file, one value), so that a user
 * fixes them in one go: the single problem itself, or an error listing each on its own line
 * (each starting with its `file:line:column`). `key` and `where` are the first problem's.
 */
export function configErrors(problems: readonly ConfigError[], source: string): ConfigError {
  const all = problems.flatMap((p) => p.problems);
  const first = all[0];
  if (first === undefined) throw new Error('weft internal error: configErrors() needs at least one problem');
  if (all.length === 1) return first;
  return new ConfigError(`${source}: ${all.length} problems:\n${all.map((p) => `  ${p.message}`).join('\n')}`, {
    key: first.key,
    where: first.where,
    problems: all,
  });
}

registerErrorClass(ConfigError.name, ConfigError);
