/**
 * Parses a parallelism given as text, the way people write it on a command line or in YAML:
 * a whole number (`4`) or a share of this machine's CPUs (`50%`). Shared by the
 * `weft.execution.executor.parallelism` setting and by CLI flags such as `-p`.
 */
import os from 'node:os';
import { ConfigError } from './errors.js';

const WHOLE = /^\d+$/;
const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/**
 * Turns `"4"` into 4 and `"50%"` into half of `os.availableParallelism()`, rounded down but at
 * least 1. Percentages above 100 oversubscribe the CPUs.
 *
 * @param where - names the origin of the text in errors, e.g. `--conf weft.execution.executor.parallelism=0`.
 * @throws ConfigError for 0, negative, fractional or non-numeric text.
 * @example
 * ```ts
 * parseParallelism('50%', '-p'); // 4 on an 8-CPU machine
 * ```
 */
export function parseParallelism(text: string, where: string): number {
  const trimmed = text.trim();
  const cpus = os.availableParallelism();
  const percent = PERCENT.exec(trimmed);
  if (percent) {
    const share = Number(percent[1]);
    if (share > 0) return Math.max(1, Math.floor((cpus * share) / 100));
  } else if (WHOLE.test(trimmed)) {
    const count = Number(trimmed);
    if (count >= 1 && Number.isSafeInteger(count)) return count;
  }
  throw new ConfigError(
    `${where}: expected a parallelism as a whole number from 1 up (e.g. "4") or a percentage above 0 of the ` +
      `${cpus} available CPUs (e.g. "50%"), got ${JSON.stringify(text)}.`,
    { where },
  );
}
