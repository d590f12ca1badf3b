/**
 * The write modes every relation kind accepts, and their check: what a write does when the target
 * (a partition, or the whole relation) already holds data.
 */
import { ProjectError } from '../errors.js';
import type { WriteMode } from './relation.js';

/** Every write mode, as project files spell them. */
export const WRITE_MODES: readonly WriteMode[] = ['overwrite', 'append', 'error_if_exists', 'ignore_if_exists'];

/**
 * Checks a write mode.
 * @throws {ProjectError} for anything else, listing the modes.
 */
export function checkWriteMode(mode: unknown, relation: string): WriteMode {
  if (WRITE_MODES.includes(mode as WriteMode)) return mode as WriteMode;
  throw new ProjectError(`unknown write mode ${JSON.stringify(mode)} for relation ${relation}: expected one of ${WRITE_MODES.join(', ')}`, { code: 'WEFT_PROJECT' });
}
