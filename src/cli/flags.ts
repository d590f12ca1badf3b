/** Flags shared by commands, turned into `--conf` entries so that one resolver applies them all. */
import { parseParallelism, type CliSetting } from '../config/index.js';

export interface CommonFlags {
  jobs?: string;
  backend?: string;
  /** `-p`: default parallelism of dataflow operators (`weft.parallelism.default`). */
  parallelism?: string;
  conf?: string[];
}

/** Commander's collector for a repeatable `--conf key=value`. */
export function collectConf(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `-j` and `--backend` are shorthands for their settings; explicit `--conf` entries come first. */
export function configFromFlags(flags: CommonFlags): string[] {
  const out = [...(flags.conf ?? [])];
  if (flags.jobs !== undefined) out.push(`weft.execution.executor.parallelism=${parseParallelism(flags.jobs, '-j')}`);
  if (flags.backend !== undefined) out.push(`weft.execution.backend=${flags.backend}`);
  if (flags.parallelism !== undefined) out.push(`weft.parallelism.default=${parseParallelism(flags.parallelism, '-p')}`);
  return out;
}

/**
 * {@link configFromFlags} with the shorthand flags' own names kept as their sources, so that
 * `weft explain` shows `-p` rather than `--conf` (pass to `setProcessCliConfig` / `resolveConfig`).
 */
export function cliSettingsFromFlags(flags: CommonFlags): Array<string | CliSetting> {
  const out: Array<string | CliSetting> = [...(flags.conf ?? [])];
  if (flags.jobs !== undefined) out.push({ entry: `weft.execution.executor.parallelism=${parseParallelism(flags.jobs, '-j')}`, flag: '-j' });
  if (flags.backend !== undefined) out.push({ entry: `weft.execution.backend=${flags.backend}`, flag: '--backend' });
  if (flags.parallelism !== undefined) out.push({ entry: `weft.parallelism.default=${parseParallelism(flags.parallelism, '-p')}`, flag: '-p' });
  return out;
}

/** The settings that decide the executor itself; only these replace a module's own `executor` export. */
const EXECUTOR_KEYS = ['weft.execution.executor.parallelism', 'weft.execution.backend'];

/**
 * True when the command line asks for another executor than the module's own: `-j`, `--backend`,
 * or `--conf` of `weft.execution.executor.parallelism` / `weft.execution.backend`. Other `--conf`
 * keys (e.g. `weft.task.maxFailures`) leave the module's executor in place.
 */
export function replacesExecutor(flags: CommonFlags): boolean {
  if (flags.jobs !== undefined || flags.backend !== undefined) return true;
  return (flags.conf ?? []).some((entry) => EXECUTOR_KEYS.includes(entry.slice(0, entry.indexOf('=')).trim()));
}
