/**
 * Runs a pipeline on an engine: checks everything that can be checked before any step starts
 * (see `preflight.ts`), then drives the DAG executor whose node bodies are tasks on the engine's
 * one scheduler. The engine is shared (an executor's, or the process-wide default), so this run's
 * steps compete with other runs' for the same slots, in the pool of the caller's async context.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { EventStream } from '../events.js';
import { runGraph, type ExecuteContext, type GraphRunResult, type NodeExecution, type NodeResult } from '../graph/index.js';
import { isLoadingUserModule } from '../runtime/index.js';
import { JobScope, type Engine } from '../scheduler/engine.js';
import type { TaskRequest } from '../runtime/index.js';
import type { TaskResult, TaskSink } from '../scheduler/index.js';
import { StepCache } from './cache.js';
import { StepOutputError } from './errors.js';
import type { Pipeline, PipelineStep } from './pipeline.js';
import { preflight, type PreparedStep } from './preflight.js';
import { PipelineResult, type StepResult } from './result.js';
import type { RunOptions } from './run-options.js';
import { stepDefinition } from './step.js';

/** Runs `pipeline` on `engine`. Rejects (before any step starts) when a check fails. */
export async function runPipeline(pipeline: Pipeline, options: RunOptions, engine: Engine): Promise<PipelineResult> {
  const runId = options.runId ?? randomUUID();
  if (isLoadingUserModule()) return inertResult(pipeline, runId);
  const config = options.config ?? engine.config;
  const { plan, list: prepared, functions } = preflight(pipeline, { backend: engine.defaultBackend, pools: engine.pools });
  const events = options.events ?? new EventStream();
  const cache = new StepCache(options.cacheDir ?? resolve(config.get('weft.cache.dir')));
  await engine.backends.prepare(functions, options.signal);
  const scope = new JobScope(engine, events);
  try {
    return await engine.run(async () => {
      const jobId = scope.newJobId();
      const outputs = new RunOutputs(prepared.length);
      /** Runs one attempt of a step as a task of its own task set (stage = the step's index) and publishes its output. */
      const submit = (p: PreparedStep, args: Record<string, unknown>, ctx: ExecuteContext, sink: StepSink): void => {
        const taskSet = engine.scheduler.createTaskSet({ name: p.step.name, jobId, stageId: p.step.index });
        const request: TaskRequest = { fn: p.ref, mode: 'call', input: args, label: p.label, attempt: ctx.attempt, backend: p.backend };
        if (transferable(p)) request.transfer = true;
        try {
          // Step retries are the DAG executor's: one attempt per submission here.
          engine.scheduler.submitTo(new StepTask(p, ctx, outputs, sink), taskSet, request, { signal: ctx.abortSource, maxFailures: 1 });
        } finally {
          // The set takes no other task; closing it now only forbids later submissions.
          taskSet.close();
        }
      };
      const graph = await runGraph(plan.dag, {
        name: pipeline.name,
        runId,
        parallelism: engine.slots,
        retryMaxDelayMs: config.get('weft.retry.maxDelayMs'),
        ...(options.failurePolicy ? { failurePolicy: options.failurePolicy } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        events,
        reportsStart: true,
        execute: (node, ctx): Promise<NodeExecution> | undefined => {
          const p = prepared[node.data.index]!;
          const args = argumentsOf(p, outputs);
          const { when, cache: cached } = p.step.options;
          // Plain steps take the short path: no extra promise per step for checks that do not apply.
          if (!when && !cached) {
            submit(p, args, ctx, ctx);
            return undefined;
          }
          return (async (): Promise<NodeExecution> => {
            if (when && !(await when(args))) return { skipped: { reason: 'its `when` condition was false' } };
            let key: string | undefined;
            if (cached) {
              key = cache.key(p.step.fn, stepDefinition(p.step.fn)?.moduleUrl, args, p.label);
              const hit = await cache.get(pipeline.name, p.step.name, key);
              if (hit.hit) {
                outputs.publish(p.step, hit.value);
                return { value: hit.value, cached: true };
              }
            }
            const execution = await new Promise<NodeExecution>((succeed, fail) => submit(p, args, ctx, { succeed, fail }));
            if (key !== undefined) await cache.set(pipeline.name, p.step.name, key, execution.value);
            return execution;
          })();
        },
      });
      outputs.finished = true;
      return toPipelineResult(pipeline, graph, () => outputs.toRecord(prepared));
    }, scope);
  } finally {
    scope.close();
  }
}

/** True when the step's arguments may be moved to its worker rather than copied. */
function transferable(p: PreparedStep): boolean {
  return p.step.options.transfer === true && p.backend !== 'async';
}

/**
 * A step's argument object: its params merged with its inputs. With `transfer`, whatever would be
 * moved must not be needed again: the pipeline's own params are cloned (a re-run needs them), and
 * an upstream output is moved only when this step is its only consumer and will not be retried;
 * otherwise it is copied too.
 */
function argumentsOf(p: PreparedStep, outputs: RunOutputs): Record<string, unknown> {
  const moving = transferable(p);
  const args: Record<string, unknown> = moving ? structuredClone({ ...p.step.params }) : { ...p.step.params };
  if (p.inputs.length === 0) return args;
  const retries = (p.step.options.retries ?? 0) > 0;
  for (const { arg, output, producer } of p.inputs) {
    const value = outputs.get(producer.step, output);
    args[arg] = !moving || (producer.consumers === 1 && !retries) ? value : structuredClone(value);
  }
  return args;
}

/**
 * The outputs a run published: per step (by declaration index) its return value and, for a step
 * with several declared outputs, each of them. Kept in arrays rather than a map by name: reads
 * go through the producer a preflight found, and the result lists them in declaration order.
 */
class RunOutputs {
  readonly #published: Uint8Array;
  readonly #values: unknown[];
  /** Per step with several declared outputs: their values, in declaration order. */
  readonly #parts: (unknown[] | undefined)[];
  /** Set once the run's result is decided: a step still running then (a cache read outliving a cancellation) publishes nothing. */
  finished = false;

  constructor(steps: number) {
    this.#published = new Uint8Array(steps);
    this.#values = new Array<unknown>(steps);
    this.#parts = new Array<unknown[] | undefined>(steps);
  }

  /** Publishes a step's return value under its name and its declared outputs. */
  publish(step: PipelineStep, value: unknown): void {
    if (this.finished) return;
    if (step.outputs.length > 1) {
      if (value === null || typeof value !== 'object') {
        throw new StepOutputError(
          `step "${step.name}" declares outputs ${step.outputs.map((o) => `"${o}"`).join(', ')} and so must return an object with those properties; it returned ${value === null ? 'null' : typeof value}`,
        );
      }
      const missing = step.outputs.filter((o) => !(o in value));
      if (missing.length > 0) {
        throw new StepOutputError(`step "${step.name}" returned an object without the declared output(s) ${missing.map((o) => `"${o}"`).join(', ')}`);
      }
      this.#parts[step.index] = step.outputs.map((o) => (value as Record<string, unknown>)[o]);
    }
    this.#published[step.index] = 1;
    this.#values[step.index] = value;
  }

  /** The value of output `output` of `step` (its name, or one of its declared outputs). */
  get(step: PipelineStep, output: string): unknown {
    const parts = this.#parts[step.index];
    const at = parts === undefined ? -1 : step.outputs.indexOf(output);
    return at < 0 ? this.#values[step.index] : parts![at];
  }

  /** Every published output by name, steps in declaration order, each step's name before its declared outputs. */
  toRecord(steps: readonly PreparedStep[]): Record<string, unknown> {
    const record: Record<string, unknown> = {};
    for (const { step } of steps) {
      if (this.#published[step.index] !== 1) continue;
      record[step.name] = this.#values[step.index];
      step.outputs.forEach((o) => (record[o] = this.get(step, o)));
    }
    return record;
  }
}

/** Where a step attempt's outcome goes: the graph attempt itself, or a promise's resolvers. */
interface StepSink {
  succeed(execution: NodeExecution): void;
  fail(error: unknown): void;
}

/**
 * One attempt of a step as the scheduler's task sink: reports where it started, publishes the
 * output and settles the graph attempt (one object instead of two promises and five closures
 * per step).
 */
class StepTask implements TaskSink {
  constructor(
    readonly p: PreparedStep,
    readonly ctx: ExecuteContext,
    readonly outputs: RunOutputs,
    readonly sink: StepSink,
  ) {}

  started(slot: number): void {
    this.ctx.started({ backend: this.p.backend, slot });
  }

  resolve(result: TaskResult): void {
    try {
      this.outputs.publish(this.p.step, result.value);
    } catch (error) {
      this.sink.fail(error);
      return;
    }
    // A task result is a node execution: value, backend, slot and times.
    this.sink.succeed(result);
  }

  reject(error: unknown): void {
    this.sink.fail(error);
  }
}

function toPipelineResult(pipeline: Pipeline, graph: GraphRunResult, outputs: () => Record<string, unknown>): PipelineResult {
  return new PipelineResult({
    pipeline: pipeline.name,
    runId: graph.runId,
    status: graph.status,
    startedAt: graph.startedAt,
    endedAt: graph.endedAt,
    steps: () => Array.from(graph.nodes.values(), toStepResult),
    outputs,
    error: graph.error,
  });
}

function toStepResult(node: NodeResult): StepResult {
  const r: StepResult = { name: node.id, status: node.status, attempts: node.attempts };
  if (node.status === 'succeeded') r.output = node.value;
  if (node.error) r.error = node.error;
  if (node.startedAt !== undefined) r.startedAt = node.startedAt;
  if (node.endedAt !== undefined) r.endedAt = node.endedAt;
  if (node.durationMs !== undefined) r.durationMs = node.durationMs;
  if (node.backend !== undefined) r.backend = node.backend;
  if (node.slot !== undefined) r.slot = node.slot;
  if (node.cached) r.cached = true;
  if (node.reason !== undefined) r.reason = node.reason;
  return r;
}

/**
 * A worker imports the user's module to find its steps; a `pipeline.run()` at that module's top
 * level must not start a second run inside the worker. It returns at once, having run nothing.
 */
function inertResult(pipeline: Pipeline, runId: string): PipelineResult {
  const now = Date.now();
  const reason = 'not run: the module was imported by a weft worker to find its steps';
  return new PipelineResult({
    pipeline: pipeline.name,
    runId,
    status: 'cancelled',
    startedAt: now,
    endedAt: now,
    steps: pipeline.steps.map((s) => ({ name: s.name, status: 'not-run', attempts: 0, reason })),
    outputs: {},
  });
}
