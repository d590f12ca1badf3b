/**
 * A dataflow job's `job.*` and `stage.*` events on the one event stream (events.ts): what the CLI
 * progress, the run history and the UI show as jobs → stages → tasks. Events are built only when
 * someone listens.
 */
import { serializeError } from '../../errors.js';
import type { EventStream, JobEvent, JobEventType, StageEvent, StageEventType } from '../../events.js';
import { describeNode } from '../plan/logical.js';
import type { PhysicalPlan, Stage } from '../plan/physical.js';
import type { StageCounters } from './stage-runner.js';

/** What a finished job reports. */
export interface JobOutcome {
  rowsRead: number;
  rows: number;
  malformedSkipped: number;
  malformedQuarantined: number;
  malformed: ReadonlyArray<{ file: string; line: number; message: string }>;
}

/** Reports one job and its stages. */
export class JobReporter {
  readonly #events: EventStream | undefined;
  readonly #base: Pick<JobEvent, 'jobId' | 'action' | 'stages' | 'tasks'>;
  readonly #startedAt = Date.now();
  readonly #stageStarts = new Map<Stage, number>();

  constructor(events: EventStream | undefined, jobId: number, action: string, plan: PhysicalPlan) {
    this.#events = events;
    this.#base = { jobId, action, stages: plan.stages.length, tasks: plan.stages.reduce((n, s) => n + s.parallelism, 0) };
  }

  /** True when someone listens to job events (else malformed-row counts go to the console). */
  get listened(): boolean {
    return this.#events?.wants('job.succeeded') === true;
  }

  jobStarted(): void {
    this.#job('job.started', {});
  }

  jobSucceeded(outcome: JobOutcome): void {
    this.#job('job.succeeded', { ...outcome, malformed: outcome.malformed.map(({ file, line, message }) => ({ file, line, message })), durationMs: Date.now() - this.#startedAt });
  }

  jobFailed(error: unknown): void {
    this.#job('job.failed', { durationMs: Date.now() - this.#startedAt, error: serializeError(error) });
  }

  stageStarted(stage: Stage): void {
    this.#stageStarts.set(stage, Date.now());
    this.#stage('stage.started', stage, {});
  }

  stageSucceeded(stage: Stage, counters: StageCounters): void {
    this.#stage('stage.succeeded', stage, { tasks: counters.tasks, rowsIn: counters.rowsRead, rowsOut: counters.rowsOut, durationMs: this.#since(stage) });
  }

  stageFailed(stage: Stage, error: unknown): void {
    if (!this.#stageStarts.has(stage)) return;
    this.#stage('stage.failed', stage, { durationMs: this.#since(stage), error: serializeError(error) });
  }

  #since(stage: Stage): number {
    return Date.now() - (this.#stageStarts.get(stage) ?? Date.now());
  }

  #job(type: JobEventType, extra: Partial<JobEvent>): void {
    if (this.#events?.wants(type) !== true) return;
    this.#events.emit({ type, time: Date.now(), ...this.#base, ...extra });
  }

  #stage(type: StageEventType, stage: Stage, extra: Partial<StageEvent>): void {
    if (this.#events?.wants(type) !== true) return;
    const name = [...new Set([...stage.nodes, ...stage.ops.map((op) => op.node)])].map(describeNode).join(' → ');
    this.#events.emit({ type, time: Date.now(), jobId: this.#base.jobId, stageId: stage.id, name, tasks: stage.parallelism, ...extra });
  }
}
