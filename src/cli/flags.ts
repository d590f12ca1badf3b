/** Flags shared by commands, turned into `--conf` entries so that one resolver applies them all. */
import { parseParallelism } from '../config/index.js';

export interface CommonFlags {
  jobs?: string;
  backend?: string;
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
  return out;
}
