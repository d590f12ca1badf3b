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
