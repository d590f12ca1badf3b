/**
 * Everything that can be checked about a run before any work starts, in one place, so that
 * `pipeline.run()` and `weft run --dry-run` check exactly the same things: wiring (missing
 * producers, cycles), that every step's function can be found by a worker (the lambda check),
 * that params can be sent to a worker, that the async context's pool exists, and that a step with
 * `cache: true` reads no module-level value that its cache key could not hold.
 *
 * What depends only on the plan and the backend (labels, function references, who reads whose
 * output) is prepared once per plan and backend and reused by later runs; what depends on values
 * that may change between runs (params, module-level bindings, the async context's pool) is
 * checked on every run.
 */
import type { BackendKind } from '../events.js';
import { assertSendable, toFunctionRef, type FunctionRef } from '../runtime/index.js';
import { UnknownPoolError, currentPool } from '../scheduler/index.js';
import { assertCacheable } from './cache-bindings.js';
import type { Pipeline, PipelinePlan, PipelineStep } from './pipeline.js';
import { stepDefinition } from './step.js';

/** One argument of a step filled from another step's output. */
export interface PreparedInput {
  /** The argument's name. */
  arg: string;
  /** The output it reads. */
  output: string;
  /** The step producing that output. */
  producer: PreparedStep;
}

/** A step ready to run: where it runs and how a worker finds its function. */
export interface PreparedStep {
  step: PipelineStep;
  label: string;
  backend: BackendKind;
  ref: FunctionRef;
  /** How many step inputs read this step's output (under any of its names). */
  consumers: number;
  /** The arguments filled from other steps' outputs, in the step's declaration order. */
  inputs: PreparedInput[];
}

/** A function the run calls, for the backends to check and load before the run starts. */
export interface PreparedFunction {
  fn: FunctionRef;
  label: string;
  backend: BackendKind;
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
  /** By step name. */
  steps: Map<string, PreparedStep>;
  /** By declaration index (the step's `index`, which is also its node's index in the plan's DAG). */
  list: readonly PreparedStep[];
  /** Each function the run calls, once per backend (the first step naming it labels it). */
  functions: readonly PreparedFunction[];
}

/** Per plan, per default backend: the prepared steps (dropped with the plan once steps change). */
const preparedPlans = new WeakMap<PipelinePlan, Map<BackendKind, Preflight>>();

/**
 * Runs every check that happens before work starts. Throws the first problem found: a
 * `MissingInputError`, `CycleError`, `CapturedVariableError`, `UnsendableValueError`, `UnknownPoolError`
 * or `UncacheableStepError`.
 */
export function preflight(pipeline: Pipeline, target: PreflightTarget): Preflight {
  const plan = pipeline.plan();
  const pool = currentPool();
  if (pool !== undefined && !target.pools.includes(pool)) throw new UnknownPoolError(pool, target.pools);
  let byBackend = preparedPlans.get(plan);
  if (byBackend === undefined) preparedPlans.set(plan, (byBackend = new Map<BackendKind, Preflight>()));
  let prepared = byBackend.get(target.backend);
  if (prepared !== undefined && prepared.list.every((p) => (p.step.options.backend ?? target.backend) === p.backend)) {
    for (const p of prepared.list) checkValues(p);
    return prepared;
  }
  prepared = prepare(plan, target.backend);
  byBackend.set(target.backend, prepared);
  return prepared;
}

/** Prepares every step and checks it, in declaration order; throws the first problem found. */
function prepare(plan: PipelinePlan, defaultBackend: BackendKind): Preflight {
  const steps = new Map<string, PreparedStep>();
  const list: PreparedStep[] = [];
  for (const { data: step } of plan.dag.nodes) {
    const label = `step "${step.name}"`;
    const backend = step.options.backend ?? defaultBackend;
    const ref = toFunctionRef(step.fn, label, backend);
    const p: PreparedStep = { step, label, backend, ref, consumers: 0, inputs: [] };
    checkValues(p);
    steps.set(step.name, p);
    list.push(p);
  }
  for (const p of list) {
    p.step.inputs.forEach((output, arg) => {
      const producer = steps.get(plan.producers.get(output)!)!;
      producer.consumers++;
      p.inputs.push({ arg, output, producer });
    });
  }
  return { plan, steps, list, functions: functionsOf(list) };
}

/** The checks of values that may change between runs: params sent to a worker, bindings read by a cached step. */
function checkValues({ step, label, backend }: PreparedStep): void {
  if (backend !== 'async') assertSendable(step.params, { label, path: 'params' });
  if (step.options.cache === true) assertCacheable(step.fn, stepDefinition(step.fn)?.moduleUrl, label);
}

/** Each function of `list`, once per backend (the first step naming it labels it). */
function functionsOf(list: readonly PreparedStep[]): PreparedFunction[] {
  const seen = new Map<FunctionRef, Set<BackendKind>>();
  const functions: PreparedFunction[] = [];
  for (const p of list) {
    let kinds = seen.get(p.ref);
    if (kinds === undefined) seen.set(p.ref, (kinds = new Set()));
    if (kinds.has(p.backend)) continue;
    kinds.add(p.backend);
    functions.push({ fn: p.ref, label: p.label, backend: p.backend });
  }
  return functions;
}
