/** Where a command writes and how it ends; tests pass their own streams. */
import type { Output } from './progress.js';

export const ExitCode = { Ok: 0, Failed: 1, Usage: 2, Interrupted: 130 } as const;

export interface CommandIO {
  stdout: Output;
  stderr: Output;
  exitCode: number;
}
