/**
 * What running a job reports: per instance, per phase, per target — status, times, rows, and why
 * a target was skipped or what failed. The CLI's summary, `--json` and the benchmarks read these.
 */
import type { Phase } from '../phases.js';

/**
 * How one phase of one target ended.
 * - `succeeded`: it ran and did its work.
 * - `clean`: its output exists and nothing it depends on changed since it last succeeded; not run.
 * - `done-before`: `--resume` found it succeeded in the run being resumed; not run.
 * - `would-run`: `--dry-run` found it would run (not clean, forced, or downstream of one that would run).
 * - `skipped`: it did not run because a target it depends on failed or was skipped (`reason`).
 * - `failed`, `cancelled`, `not-run` as for any node.
 */
export type TargetStatus = 'succeeded' | 'clean' | 'done-before' | 'would-run' | 'failed' | 'skipped' | 'cancelled' | 'not-run';

/** One target in one phase. */
export interface TargetRun {
  readonly target: string;
  readonly phase: Phase;
  readonly status: TargetStatus;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly durationMs?: number;
  readonly rows?: number;
  readonly message?: string;
  readonly reason?: string;
  readonly error?: Error;
}

/** One phase of one instance. */
export interface PhaseRun {
  readonly phase: Phase;
  readonly status: 'succeeded' | 'failed' | 'cancelled' | 'not-run';
  readonly targets: readonly TargetRun[];
  readonly durationMs: number;
}

/** Final status of an instance or a whole job run. */
export type InstanceStatus = 'succeeded' | 'failed' | 'cancelled' | 'not-run';

/** One job instance. */
export interface InstanceRun {
  readonly key: string;
  readonly status: InstanceStatus;
  readonly phases: readonly PhaseRun[];
  readonly startedAt: number;
  readonly endedAt: number;
  /** The first failure (planning errors included). */
  readonly error?: Error;
  /** Why it did not run (e.g. `succeeded in the resumed run`, `an earlier instance failed`). */
  readonly reason?: string;
}
