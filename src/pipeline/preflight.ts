/**
 * Everything that can be checked about a run before any work starts, in one place, so that
 * `pipeline.run()` and `weft run --dry-run` check exactly the same things: wiring (missing
 * producers, cycles), that every step's function can be found by a worker (the lambda check),
 * that params can be sent to a worker, that the async context's pool exists, and that a step with
 * `cache: true` reads no module-level value that its cache key could not hold.
 */
import type { BackendKind } from '../events.js';
import { assertSendable, toFunctionRef, type FunctionRef } from '../runtime/index.js';
import { UnknownPoolError, currentPool } from '../scheduler/index.js';
import { assertCacheable } from './cache-bindings.js';
import type { Pipeline, PipelinePlan, PipelineStep } from './pipeline.js';
import { stepDefinition } from './step.js';

/** A step ready to run: where it runs and how a worker finds its function. */
export interface PreparedStep {
  step: PipelineStep;
  label: string;
  backend: BackendKind;
  ref: FunctionRef;
  /** How many step inputs read this step's output (under any of its names). */
  consumers: number;
}

/** What a run will run on, as far as the checks need to know. */
export interface PreflightTarget {
  /** The executor's backend, for steps that do not name their own. */
  backend: BackendKind;
  /** The scheduling pools defined, `default` included. */
  pools: readonly string[];
}

/** The checked plan of a run. */
export interface Preflight {
  plan: PipelinePlan;
  steps: Map<string, PreparedStep>;
}

/**
 * Runs every check that happens before work starts. Throws the first problem found: a
 * `MissingInputError`, `CycleError`, `CapturedVariableError`, `UnsendableValueError`, `UnknownPoolError`
 * or `UncacheableStepError`.
 */
export function preflight(pipeline: Pipeline, target: PreflightTarget): Preflight {
  const plan = pipeline.plan();
  const pool = currentPool();
  if (pool !== undefined && !target.pools.includes(pool)) throw new UnknownPoolError(pool, target.pools);
  const consumers = new Map<string, number>();
  for (const { data: step } of plan.dag.nodes) {
    for (const output of step.inputs.values()) {
      const producer = plan.producers.get(output)!;
      consumers.set(producer, (consumers.get(producer) ?? 0) + 1);
    }
  }
  const steps = new Map<string, PreparedStep>();
  for (const { data: step } of plan.dag.nodes) {
    const label = `step "${step.name}"`;
    const backend = step.options.backend ?? target.backend;
    const ref = toFunctionRef(step.fn, label, backend);
    if (backend !== 'async') assertSendable(step.params, { label, path: 'params' });
    if (step.options.cache === true) assertCacheable(step.fn, stepDefinition(step.fn)?.moduleUrl, label);
    steps.set(step.name, { step, label, backend, ref, consumers: consumers.get(step.name) ?? 0 });
  }
  return { plan, steps };
}
