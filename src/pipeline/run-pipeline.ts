/**
 * Runs a pipeline on an engine: checks everything that can be checked before any step starts
 * (wiring, cycles, functions findable by workers, params sendable), then drives the DAG executor
 * whose node bodies are tasks on the one scheduler.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { EventStream } from '../events.js';
import type { BackendKind } from '../events.js';
import { resolveConfig } from '../config/index.js';
import { runGraph, type GraphRunResult, type NodeExecution } from '../graph/index.js';
import { assertSendable, isLoadingUserModule, toFunctionRef, type FunctionRef } from '../runtime/index.js';
import { Engine, type EngineOptions } from '../scheduler/engine.js';
import { StepCache } from './cache.js';
import { StepOutputError } from './errors.js';
import type { Pipeline, PipelineStep } from './pipeline.js';
import { PipelineResult, type StepResult } from './result.js';
import type { RunOptions } from './run-options.js';
import { stepDefinition } from './step.js';

/** What an executor fixes about the engine; the rest comes from config. */
export type ExecutorSpec = Pick<EngineOptions, 'slots' | 'backend'> & Partial<Pick<EngineOptions, 'mode' | 'pools'>>;

interface PreparedStep {
  step: PipelineStep;
  label: string;
  backend: BackendKind;
  ref: FunctionRef;
}

export async function runPipeline(pipeline: Pipeline, options: RunOptions, spec: ExecutorSpec): Promise<PipelineResult> {
  const runId = options.runId ?? randomUUID();
  if (isLoadingUserModule()) return inertResult(pipeline, runId);
  const config = options.config ?? resolveConfig();
  const plan = pipeline.plan();
  const prepared = new Map<string, PreparedStep>();
  for (const { data: step } of plan.dag.nodes) {
    const label = `step "${step.name}"`;
    const backend = step.options.backend ?? spec.backend;
    const ref = toFunctionRef(step.fn, label, backend);
    if (backend !== 'async') assertSendable(step.params, { label, path: 'params' });
    prepared.set(step.name, { step, label, backend, ref });
  }
  const events = options.events ?? new EventStream();
  const cache = new StepCache(options.cacheDir ?? resolve(config.get('weft.cache.dir')));
  const maxOld = config.get('weft.worker.maxOldGenerationSizeMb');
  const engineOptions: EngineOptions = {
    slots: spec.slots,
    backend: spec.backend,
    mode: spec.mode ?? config.get('weft.scheduler.mode'),
    pools: spec.pools ?? config.get('weft.scheduler.pools'),
    maxFailures: config.get('weft.task.maxFailures'),
    abortGraceMs: config.get('weft.worker.abortGraceMs'),
    events,
    ...(maxOld !== null ? { maxOldGenerationSizeMb: maxOld } : {}),
  };
  return Engine.with(engineOptions, async (engine) => {
    await engine.backends.prepare(
      [...prepared.values()].map((p) => ({ fn: p.ref, label: p.label, backend: p.backend })),
      options.signal,
    );
    const jobId = engine.scheduler.newJobId();
    const outputs = new Map<string, unknown>();
    const graph = await runGraph(plan.dag, {
      name: pipeline.name,
      runId,
      parallelism: spec.slots,
      ...(options.failurePolicy ? { failurePolicy: options.failurePolicy } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      events,
      reportsStart: true,
      execute: async (node, ctx): Promise<NodeExecution> => {
        const p = prepared.get(node.id)!;
        const args: Record<string, unknown> = { ...p.step.params };
        for (const [arg, output] of p.step.inputs) args[arg] = outputs.get(output);
        const when = p.step.options.when;
        if (when && !(await when(args))) return { skipped: { reason: 'its `when` condition was false' } };
        let key: string | undefined;
        if (p.step.options.cache) {
          key = cache.key(String(p.step.fn), stepDefinition(p.step.fn)?.moduleUrl, args, p.label);
          const hit = await cache.get(pipeline.name, p.step.name, key);
          if (hit.hit) {
            publish(p.step, hit.value, outputs);
            return { value: hit.value, cached: true };
          }
        }
        const taskSet = engine.scheduler.createTaskSet({ name: p.step.name, jobId, stageId: p.step.index });
        try {
          const result = await engine.scheduler.submit(
            taskSet,
            {
              fn: p.ref,
              mode: 'call',
              input: args,
              label: p.label,
              attempt: ctx.attempt,
              backend: p.backend,
              ...(p.step.options.transfer ? { transfer: true } : {}),
            },
            // Step retries are the DAG executor's: one attempt per submission here.
            { signal: ctx.signal, maxFailures: 1, onStart: (slot) => ctx.started({ backend: p.backend, slot }) },
          );
          publish(p.step, result.value, outputs);
          if (key !== undefined) await cache.set(pipeline.name, p.step.name, key, result.value);
          return { value: result.value, backend: result.backend, slot: result.slot, startedAt: result.startedAt, endedAt: result.endedAt };
        } finally {
          taskSet.close();
        }
      },
    });
    return toPipelineResult(pipeline, graph, outputs);
  });
}

/** Publishes a step's return value under its name and its declared outputs. */
function publish(step: PipelineStep, value: unknown, outputs: Map<string, unknown>): void {
  outputs.set(step.name, value);
  if (step.outputs.length === 1) {
    outputs.set(step.outputs[0]!, value);
  } else if (step.outputs.length > 1) {
    if (value === null || typeof value !== 'object') {
      throw new StepOutputError(
        `step "${step.name}" declares outputs ${step.outputs.map((o) => `"${o}"`).join(', ')} and so must return an object with those properties; it returned ${value === null ? 'null' : typeof value}`,
      );
    }
    const missing = step.outputs.filter((o) => !(o in value));
    if (missing.length > 0) {
      throw new StepOutputError(`step "${step.name}" returned an object without the declared output(s) ${missing.map((o) => `"${o}"`).join(', ')}`);
    }
    for (const o of step.outputs) outputs.set(o, (value as Record<string, unknown>)[o]);
  }
}

function toPipelineResult(pipeline: Pipeline, graph: GraphRunResult, outputs: Map<string, unknown>): PipelineResult {
  const steps: StepResult[] = [];
  for (const node of graph.nodes.values()) {
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
    steps.push(r);
  }
  return new PipelineResult({
    pipeline: pipeline.name,
    runId: graph.runId,
    status: graph.status,
    startedAt: graph.startedAt,
    endedAt: graph.endedAt,
    steps,
    outputs: Object.fromEntries(outputs),
    error: graph.error,
  });
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
