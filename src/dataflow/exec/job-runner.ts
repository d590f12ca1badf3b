/**
 * Runs one job (an action) on the scheduler: its stages in dependency order, each stage a task set
 * of one task per partition (job id and stage id give Spark's FIFO order; the pool and job group
 * come from the caller's async context), with blocking exchanges between stages. A task whose
 * worker crashed is retried on a fresh worker (`weft.task.maxFailures`); a job that still fails
 * names the stage, the partition and the user function's own error.
 */
import type { BackendKind } from '../../events.js';
import type { TaskScheduler } from '../../scheduler/index.js';
import { isValueBatch, rowsOf, type Batch } from '../batch/index.js';
import { JobFailedError } from '../errors.js';
import { describeNode, type UserFn } from '../plan/logical.js';
import type { PhysicalPlan, PlannedOp, Stage } from '../plan/physical.js';
import { planSplits, type FileSplit } from '../sources/index.js';
import { abortWrite, beginWrite, commitWrite, type WriteJob } from '../sinks/index.js';
import { compareKeys } from './keys.js';
import { TASK_FUNCTION_REF } from './run-task.js';
import type { FnSpec, KeySpec, OpSpec, TaskInput, TaskOutput, TaskResultData, TaskSpec, TaskStats } from './task-spec.js';
import type { KeySelector } from '../plan/logical.js';

/** What an action asks of the last stage. */
export type Action =
  | { kind: 'count' }
  | { kind: 'collect'; limit?: number }
  | { kind: 'write'; format: 'csv' | 'json' | 'parquet'; path: string; options: Readonly<Record<string, unknown>> };

/** Counters of a finished job. */
export interface JobStats {
  jobId: number;
  stages: number;
  tasks: number;
  rowsRead: number;
  malformedSkipped: number;
  malformedQuarantined: number;
  malformed: TaskStats['errors'];
}

export interface JobContext {
  scheduler: TaskScheduler;
  jobId: number;
  backend: BackendKind;
  fnSpecs: ReadonlyMap<UserFn, FnSpec>;
  maxFailures: number;
  signal?: AbortSignal | undefined;
}

/**
 * Runs the plan; resolves to the action's value and the job's counters. A stage starts as soon as
 * the stages it reads have finished, so independent stages (the two sides of a join, the inputs
 * of a union) run at the same time and fill each other's idle slots; the first stage that fails
 * aborts the others. Counters are merged in stage order, whatever order stages finish in.
 */
export async function runJob(plan: PhysicalPlan, action: Action, ctx: JobContext): Promise<{ value: unknown; stats: JobStats }> {
  const results = new Map<Stage, TaskResultData[]>();
  const perStage = new Map(plan.stages.map((stage) => [stage, newStats(ctx.jobId, plan.stages.length)]));
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  const jobCtx: JobContext = { ...ctx, signal: controller.signal };
  let write: WriteJob | undefined;
  try {
    if (action.kind === 'write') write = await beginWrite(action.path, String(ctx.jobId), action.options);
    const done = new Map<Stage, Promise<void>>();
    let firstError: Error | undefined;
    for (const stage of plan.stages) {
      const upstream = upstreamOf(stage);
      const run = async (): Promise<void> => {
        await Promise.all(upstream.map((u) => done.get(u)!));
        const stats = perStage.get(stage)!;
        const inputs = await stageInputs(stage, results);
        for (const u of upstream) results.delete(u);
        let output = taskOutput(stage, stage === plan.final ? action : undefined, jobCtx, write);
        if (stage.output.kind === 'range') output = { ...output, bounds: await rangeBounds(stage, inputs, jobCtx, stats) } as TaskOutput;
        results.set(stage, await runStage(stage, inputs, output, jobCtx, stats));
      };
      done.set(
        stage,
        run().catch((error: unknown) => {
          if (firstError === undefined) {
            firstError = error as Error;
            controller.abort(error);
          }
          throw error;
        }),
      );
    }
    await Promise.allSettled(done.values());
    if (firstError !== undefined) throw firstError;
    const stats = newStats(ctx.jobId, plan.stages.length);
    for (const stage of plan.stages) mergeStats(stats, perStage.get(stage)!);
    const value = await finish(results.get(plan.final)!, action, write);
    return { value, stats };
  } catch (error) {
    if (write) await abortWrite(write).catch(() => undefined);
    throw error;
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}

function newStats(jobId: number, stages: number): JobStats {
  return { jobId, stages, tasks: 0, rowsRead: 0, malformedSkipped: 0, malformedQuarantined: 0, malformed: [] };
}

function mergeStats(into: JobStats, from: JobStats): void {
  into.tasks += from.tasks;
  into.rowsRead += from.rowsRead;
  into.malformedSkipped += from.malformedSkipped;
  into.malformedQuarantined += from.malformedQuarantined;
  for (const e of from.malformed) if (into.malformed.length < 20) into.malformed.push(e);
}

async function finish(final: TaskResultData[], action: Action, write: WriteJob | undefined): Promise<unknown> {
  switch (action.kind) {
    case 'count':
      return final.reduce((n, r) => n + (r.kind === 'count' ? r.count : 0), 0);
    case 'collect': {
      const out: unknown[] = [];
      for (const r of final) {
        if (r.kind !== 'batches') continue;
        for (const batch of r.batches) for (const record of recordsOf(batch)) out.push(record);
      }
      return action.limit === undefined ? out : out.slice(0, action.limit);
    }
    case 'write': {
      const rows = final.reduce((n, r) => n + (r.kind === 'written' ? r.rows : 0), 0);
      await commitWrite(write!, rows);
      return rows;
    }
  }
}

function upstreamOf(stage: Stage): readonly Stage[] {
  if (stage.input.kind === 'exchange') return stage.input.from;
  if (stage.input.kind === 'join') return [stage.input.left, stage.input.right];
  return [];
}

/** The input of each of the stage's tasks. */
async function stageInputs(stage: Stage, results: ReadonlyMap<Stage, TaskResultData[]>): Promise<TaskInput[]> {
  const p = stage.parallelism;
  const input = stage.input;
  if (input.kind === 'source') {
    const source = input.node.source;
    if (source.kind === 'files') {
      const { splits } = await planSplits(source.format, source.paths, source.options, p);
      const perTask: FileSplit[][] = Array.from({ length: p }, () => []);
      splits.forEach((split, i) => perTask[i % p]!.push(split));
      return perTask.map((s) => ({ kind: 'splits', splits: s }));
    }
    const values: unknown[] = [];
    if (source.kind === 'collection') values.push(...source.values);
    else for await (const v of source.iterable) values.push(v);
    const size = Math.ceil(values.length / p);
    return Array.from({ length: p }, (_, i) => ({ kind: 'values', values: values.slice(i * size, (i + 1) * size) }));
  }
  const gather = (from: Stage, partition: number): Batch[] =>
    (results.get(from) ?? []).flatMap((r) => (r.kind === 'partitions' ? (r.partitions[partition] ?? []) : []));
  if (input.kind === 'join') {
    return Array.from({ length: p }, (_, i) => ({
      kind: 'join',
      left: gather(input.left, i),
      right: gather(input.right, i),
      how: input.how,
      leftKey: keySpecPlaceholder(input.leftKey),
      rightKey: keySpecPlaceholder(input.rightKey),
      name: describeNode(input.node),
    }));
  }
  return Array.from({ length: p }, (_, i) => ({ kind: 'batches', batches: input.from.flatMap((s) => gather(s, i)) }));
}

/** Key selectors become key specs once functions have worker references (see `toKeySpec`). */
function keySpecPlaceholder(key: KeySelector): KeySpec {
  return key as unknown as KeySpec;
}

function toKeySpec(key: KeySelector, fnSpecs: ReadonlyMap<UserFn, FnSpec>): KeySpec {
  return key.kind === 'fn' ? { kind: 'fn', fn: fnSpecs.get(key.fn)! } : key;
}

function toOpSpec(op: PlannedOp, fnSpecs: ReadonlyMap<UserFn, FnSpec>): OpSpec {
  const name = describeNode(op.node);
  switch (op.op) {
    case 'map':
    case 'flatMap':
    case 'filter':
      return { op: op.op, fn: fnSpecs.get(op.fn)!, name };
    case 'aggregate':
      return { op: 'aggregate', phase: op.phase, key: toKeySpec(op.key, fnSpecs), aggs: op.aggs, style: op.style, keyName: op.keyName, name };
    case 'reduce':
      return { op: 'reduce', phase: op.phase, key: toKeySpec(op.key, fnSpecs), fn: fnSpecs.get(op.fn)!, name };
    case 'distinct':
      return { op: 'distinct', phase: op.phase, name };
    case 'sort':
      return { op: 'sort', key: toKeySpec(op.key, fnSpecs), descending: op.descending, name };
  }
}

function taskOutput(stage: Stage, action: Action | undefined, ctx: JobContext, write: WriteJob | undefined): TaskOutput {
  const out = stage.output;
  switch (out.kind) {
    case 'hash':
      return { kind: 'hash', key: toKeySpec(out.key, ctx.fnSpecs), parallelism: out.parallelism, maxParallelism: out.maxParallelism, ...(out.name !== undefined ? { name: out.name } : {}) };
    case 'range':
      return { kind: 'range', key: toKeySpec(out.key, ctx.fnSpecs), bounds: [], descending: out.descending };
    case 'roundRobin':
      return { kind: 'roundRobin', parallelism: out.parallelism };
    case 'result':
      if (!action || action.kind === 'collect') return { kind: 'collect', ...(action?.limit !== undefined ? { limit: action.limit } : {}) };
      if (action.kind === 'count') return { kind: 'count' };
      return { kind: 'write', stagingDir: write!.stagingDir, format: action.format, options: action.options };
  }
}

/** Spark's range partitioner: a sampling pass over the stage, then `parallelism - 1` bounds from the sorted sample. */
async function rangeBounds(stage: Stage, inputs: TaskInput[], ctx: JobContext, stats: JobStats): Promise<unknown[]> {
  const out = stage.output as Extract<Stage['output'], { kind: 'range' }>;
  const sampled = await runStage(stage, inputs, { kind: 'sample', key: toKeySpec(out.key, ctx.fnSpecs), size: 64 * out.parallelism }, ctx, stats);
  const keys = sampled.flatMap((r) => (r.kind === 'sample' ? r.keys : []));
  const sign = out.descending ? -1 : 1;
  keys.sort((a, b) => sign * compareKeys(a, b));
  const bounds: unknown[] = [];
  for (let i = 1; i < out.parallelism; i++) {
    if (keys.length > 0) bounds.push(keys[Math.min(keys.length - 1, Math.floor((i * keys.length) / out.parallelism))]);
  }
  return bounds;
}

async function runStage(stage: Stage, inputs: TaskInput[], output: TaskOutput, ctx: JobContext, stats: JobStats): Promise<TaskResultData[]> {
  const chain = stage.ops.map((op) => toOpSpec(op, ctx.fnSpecs));
  const taskSet = ctx.scheduler.createTaskSet({ name: `job ${ctx.jobId} stage ${stage.id}`, jobId: ctx.jobId, stageId: stage.id });
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  let firstError: JobFailedError | undefined;
  try {
    const tasks = inputs.map(async (input, partition) => {
      const spec: TaskSpec = {
        job: ctx.jobId,
        stage: stage.id,
        partition,
        input: input.kind === 'join' ? { ...input, leftKey: toKeySpec(input.leftKey as KeySelector, ctx.fnSpecs), rightKey: toKeySpec(input.rightKey as KeySelector, ctx.fnSpecs) } : input,
        chain,
        output,
      };
      try {
        const result = await ctx.scheduler.submit(
          taskSet,
          { fn: TASK_FUNCTION_REF, mode: 'call', input: spec, label: `job ${ctx.jobId} stage ${stage.id} partition ${partition}`, backend: ctx.backend },
          { signal: controller.signal, maxFailures: ctx.maxFailures },
        );
        return result.value as TaskResultData;
      } catch (error) {
        // The first failure stops the stage's other tasks; their aborts are echoes, not causes.
        if (firstError === undefined) {
          firstError = new JobFailedError(
            `job ${ctx.jobId} failed in stage ${stage.id} (${stage.nodes.map(describeNode).join(' → ')}), partition ${partition}: ${(error as Error).message}`,
            stage.id,
            partition,
            { cause: error },
          );
          controller.abort(firstError);
        }
        throw firstError;
      }
    });
    const settled = await Promise.allSettled(tasks);
    if (firstError) throw firstError;
    const values = settled.map((s) => (s as PromiseFulfilledResult<TaskResultData>).value);
    for (const r of values) addStats(stats, r.stats);
    stats.tasks += values.length;
    return values;
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    taskSet.close();
  }
}

function addStats(stats: JobStats, task: TaskStats): void {
  stats.rowsRead += task.rowsIn;
  stats.malformedSkipped += task.skipped;
  stats.malformedQuarantined += task.quarantined;
  for (const e of task.errors) if (stats.malformed.length < 20) stats.malformed.push(e);
}

function recordsOf(batch: Batch): unknown[] {
  return isValueBatch(batch) ? [...((batch.columns[0] as { values: readonly unknown[] }).values)] : rowsOf(batch);
}
