/**
 * The error a run rejects with when its signal aborts: the signal's reason when it is an error
 * (the scheduler passes `CancelledError` or `TimeoutError`), else a `CancelledError` wrapping it.
 */
import { CancelledError } from '../errors.js';

/** The abort reason of `signal` as an `Error`. */
export function abortReason(signal: AbortSignal): Error {
  return abortError(signal.reason);
}

/** An abort `reason` as an `Error` (see the module comment). */
export function abortError(reason: unknown): Error {
  return reason instanceof Error ? reason : new CancelledError(typeof reason === 'string' ? reason : 'Cancelled', { cause: reason });
}
