/**
 * The phases of a job's targets and the lifecycles that chain them (Flowman's execution phases):
 * `weft job build` runs validate → create → build → verify, each phase over all targets before
 * the next; `truncate` and `destroy` undo in reverse dependency order.
 */

/** Every phase, in lifecycle order. */
export const PHASES = ['validate', 'create', 'build', 'verify', 'truncate', 'destroy'] as const;

/** One phase of a target's life. */
export type Phase = (typeof PHASES)[number];

/** The phases a command runs, in order. */
export const LIFECYCLES: Readonly<Record<Phase, readonly Phase[]>> = {
  validate: ['validate'],
  create: ['validate', 'create'],
  build: ['validate', 'create', 'build', 'verify'],
  verify: ['verify'],
  truncate: ['truncate'],
  destroy: ['truncate', 'destroy'],
};

/** True for the phases that undo work: they run dependents before their dependencies. */
export function isTeardown(phase: Phase): boolean {
  return phase === 'truncate' || phase === 'destroy';
}
