/**
 * Validation of the scheduler's options, so that a wrong value fails when the scheduler is built,
 * with a message saying what was expected, what arrived and where to fix it.
 */
import { UsageError, describeValue } from '../errors.js';
import { InvalidPoolConfigError } from './errors.js';
import type { SchedulingMode } from './pool.js';

const MODES: readonly SchedulingMode[] = ['FIFO', 'FAIR'];

/** Returns the value when valid, else throws. */
export function checkCount(key: string, value: number, max: number): number {
  if (Number.isInteger(value) && value >= 1 && value <= max) return value;
  const range = max === Infinity ? 'an integer from 1 and up' : `an integer from 1 to ${max} (the backend's slots)`;
  throw new UsageError(`Expected \`${key}\` to be ${range}, got ${describeValue(value)}. Fix the scheduler's \`${key}\` option.`);
}

/** Returns the value when valid, else throws. */
export function checkMode(pool: string, mode: unknown): SchedulingMode {
  if (MODES.includes(mode as SchedulingMode)) return mode as SchedulingMode;
  throw new InvalidPoolConfigError(pool, 'mode', `'FIFO' or 'FAIR' (upper case)`, mode);
}

/** Returns the value when valid, else throws. */
export function checkWeight(pool: string, weight: unknown): number {
  if (typeof weight === 'number' && Number.isFinite(weight) && weight > 0) return weight;
  throw new InvalidPoolConfigError(pool, 'weight', 'a number greater than 0', weight);
}

/** Returns the value when valid, else throws. */
export function checkMinShare(pool: string, minShare: unknown): number {
  if (typeof minShare === 'number' && Number.isFinite(minShare) && minShare >= 0) return minShare;
  throw new InvalidPoolConfigError(pool, 'minShare', 'a number from 0 and up', minShare);
}
