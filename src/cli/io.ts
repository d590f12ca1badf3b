/** Where a command writes and how it ends; tests pass their own streams. */
import { UsageError } from '../errors.js';
import {
  CapturedVariableError,
  DuplicateFunctionError,
  FunctionNotFoundError,
  UnsendableValueError,
  UnsupportedFunctionError,
} from '../runtime/index.js';
import type { Output } from './progress.js';

export const ExitCode = { Ok: 0, Failed: 1, Usage: 2, Interrupted: 130 } as const;

export interface CommandIO {
  stdout: Output;
  stderr: Output;
  exitCode: number;
}

const BAD_INPUT = [CapturedVariableError, UnsupportedFunctionError, UnsendableValueError, FunctionNotFoundError, DuplicateFunctionError];

/**
 * True for an error that means the user's input is wrong (exit 2): any `UsageError`, and the
 * runtime's checks that fail before work starts (a lambda capturing a variable, a value that
 * cannot be sent, a function a worker cannot find).
 */
export function isBadInput(error: unknown): boolean {
  return error instanceof UsageError || BAD_INPUT.some((cls) => error instanceof cls);
}

let brokenPipesHandled = false;

/**
 * Makes a closed reader end the command quietly: `weft run … | head` closes stdout early, and a
 * write after that fails with EPIPE, which would otherwise crash as an unhandled 'error' event.
 * The command exits at once with the exit code set so far (0 if none), like a Unix filter.
 */
export function exitQuietlyOnBrokenPipe(): void {
  if (brokenPipesHandled) return;
  brokenPipesHandled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok);
    });
  }
}
