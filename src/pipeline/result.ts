/**
 * What `pipeline.run()` returns: the run's status and, per step, its status, output, error,
 * attempts, timings and the backend and slot it ran on.
 */
import type { BackendKind } from '../events.js';
import type { NodeStatus, RunStatus } from '../graph/index.js';
import { PipelineFailedError } from './errors.js';
import { toJsonValue } from './json-value.js';
import type { StepHandle } from './pipeline.js';

/** One step's outcome. */
export interface StepResult {
  name: string;
  status: NodeStatus;
  output?: unknown;
  error?: Error;
  /** Attempts made (0 when the step never started). */
  attempts: number;
  /** Epoch milliseconds. */
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
  backend?: BackendKind;
  slot?: number;
  /** True when the output came from the step cache. */
  cached?: boolean;
  /** Why the step was skipped, cancelled or not run. */
  reason?: string;
}

/** The outcome of one pipeline run. */
export class PipelineResult {
  readonly pipeline: string;
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The first failure, or the cancellation. */
  readonly error: Error | undefined;
  #steps: readonly StepResult[] | (() => StepResult[]);
  #outputs: Readonly<Record<string, unknown>> | (() => Record<string, unknown>);

  /**
   * `steps` and `outputs` may be given as functions that build them: a large run's result is then
   * built only if it is read (a caller that only checks `ok` never pays for 10,000 step objects).
   */
  constructor(init: {
    pipeline: string;
    runId: string;
    status: RunStatus;
    startedAt: number;
    endedAt: number;
    steps: StepResult[] | (() => StepResult[]);
    outputs: Record<string, unknown> | (() => Record<string, unknown>);
    error?: Error | undefined;
  }) {
    this.pipeline = init.pipeline;
    this.runId = init.runId;
    this.status = init.status;
    this.startedAt = init.startedAt;
    this.endedAt = init.endedAt;
    this.#steps = init.steps;
    this.#outputs = init.outputs;
    this.error = init.error;
  }

  /** Per step, in declaration order. */
  get steps(): readonly StepResult[] {
    if (typeof this.#steps === 'function') this.#steps = this.#steps();
    return this.#steps;
  }

  /** Every published output by name (step names and declared output names). */
  get outputs(): Readonly<Record<string, unknown>> {
    if (typeof this.#outputs === 'function') this.#outputs = this.#outputs();
    return this.#outputs;
  }

  /** Wall time of the run. */
  get durationMs(): number {
    return this.endedAt - this.startedAt;
  }

  /** True when every step succeeded or was skipped by a `when` condition. */
  get ok(): boolean {
    return this.status === 'succeeded';
  }

  /** One step's result by name. */
  step(name: string | StepHandle): StepResult {
    const key = typeof name === 'string' ? name : name.name;
    const found = this.steps.find((s) => s.name === key);
    if (!found) throw new PipelineFailedError(`pipeline "${this.pipeline}" has no step "${key}"; steps: ${this.steps.map((s) => s.name).join(', ')}`);
    return found;
  }

  /** An output by name or step handle; throws when the run did not produce it. */
  output<R>(name: string | StepHandle<R>): R {
    const key = typeof name === 'string' ? name : name.name;
    if (!(key in this.outputs)) {
      const step = this.steps.find((s) => s.name === key);
      const why = step ? `step "${key}" ${step.status}${step.reason ? ` (${step.reason})` : ''}` : `no step or output is named "${key}"`;
      throw new PipelineFailedError(`pipeline "${this.pipeline}" has no output "${key}": ${why}`, { cause: step?.error });
    }
    return this.outputs[key] as R;
  }

  /** Throws the run's error (with every failed step named) unless it succeeded. */
  assertSucceeded(): this {
    if (this.ok) return this;
    const failed = this.steps.filter((s) => s.status === 'failed').map((s) => `${s.name}: ${s.error?.message ?? 'failed'}`);
    throw new PipelineFailedError(
      `pipeline "${this.pipeline}" ${this.status}${failed.length ? `; failed steps — ${failed.join('; ')}` : ''}`,
      { cause: this.error },
    );
  }

  /**
   * A JSON-friendly summary: times as ISO strings (the run's and each step's), errors as name,
   * message and stack, and outputs that `JSON.stringify` would lose (bigint, Map, Set, typed
   * arrays, Date) converted as described in `toJsonValue`.
   */
  toJSON(): Record<string, unknown> {
    return {
      pipeline: this.pipeline,
      runId: this.runId,
      status: this.status,
      startedAt: new Date(this.startedAt).toISOString(),
      endedAt: new Date(this.endedAt).toISOString(),
      durationMs: this.durationMs,
      steps: this.steps.map((s) => ({
        ...s,
        ...('output' in s ? { output: toJsonValue(s.output) } : {}),
        ...(s.startedAt !== undefined ? { startedAt: new Date(s.startedAt).toISOString() } : {}),
        ...(s.endedAt !== undefined ? { endedAt: new Date(s.endedAt).toISOString() } : {}),
        error: s.error ? { name: s.error.name, message: s.error.message, stack: s.error.stack } : undefined,
      })),
      outputs: toJsonValue(this.outputs),
    };
  }
}
