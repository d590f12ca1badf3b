/**
 * Runs one job (an action) on the scheduler: its stages in dependency order, each stage a task set
 * of one task per partition (job id and stage id give Spark's FIFO order; the pool and job group
 * come from the caller's async context), with blocking exchanges between stages. Tasks are run and
 * retried by the stage runner (stage-runner.ts).
 */
import { isValueBatch, isValueSchema, rowsOf, type Batch, type Schema } from '../batch/index.js';
import { checkFields } from '../plan/field-check.js';
import { describeNode, type KeySelector } from '../plan/logical.js';
import type { PhysicalPlan, Stage } from '../plan/physical.js';
import { sourceFields } from '../plan/projection.js';
import { assignSplits, planSplits, type FileSplit } from '../sources/index.js';
import { abortWrite, beginWrite, checkPartColumns, commitWrite, type WriteJob } from '../sinks/index.js';
import { compareKeys } from './keys.js';
import { randomUUID } from 'node:crypto';
import { CancelledError } from '../../errors.js';
import { Inflight } from './inflight.js';
import { JobReporter, type JobOutcome } from './job-events.js';
import type { TaskFeed } from '../sources/iterable-source.js';
import { keepFirstErrors, runStage, toKeySpec, type JobContext, type StageCounters } from './stage-runner.js';
import type { KeySpec, TaskInput, TaskOutput, TaskResultData, TaskStats } from './task-spec.js';

export type { JobContext };

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
  /** Rows read from the job's sources (well-formed ones; malformed rows are counted apart). */
  rowsRead: number;
  malformedSkipped: number;
  malformedQuarantined: number;
  malformed: TaskStats['errors'];
}

/**
 * Runs the plan; resolves to the action's value and the job's counters. A stage starts as soon as
 * the stages it reads have finished, so independent stages (the two sides of a join, the inputs
 * of a union) run at the same time and fill each other's idle slots; the first stage that fails
 * aborts the others. Counters are merged in stage order, whatever order stages finish in.
 */
export async function runJob(plan: PhysicalPlan, action: Action, ctx: JobContext): Promise<{ value: unknown; stats: JobStats }> {
  const reporter = new JobReporter(ctx.events, ctx.jobId, ctx.actionName, plan);
  reporter.jobStarted();
  try {
    const done = await runStages(plan, action, ctx, reporter);
    reporter.jobSucceeded(done.outcome);
    return done;
  } catch (error) {
    // A job stopped by its caller's signal is cancelled, whatever its tasks made of the abort.
    const final = ctx.signal?.aborted === true ? new CancelledError(`job ${ctx.jobId} (${ctx.actionName}) was cancelled`, { cause: ctx.signal.reason }) : error;
    reporter.jobFailed(final);
    throw final;
  }
}

async function runStages(plan: PhysicalPlan, action: Action, ctx: JobContext, reporter: JobReporter): Promise<{ value: unknown; stats: JobStats; outcome: JobOutcome }> {
  const results = new Map<Stage, TaskResultData[]>();
  const perStage = new Map(plan.stages.map((stage) => [stage, newCounters()]));
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal?.aborted === true) onAbort();
  const inflight = new Inflight(randomUUID());
  const jobCtx: JobContext = { ...ctx, signal: controller.signal, inflight };
  let write: WriteJob | undefined;
  try {
    // Before anything is written or run: file sources planned once, field names checked against them.
    const files = await planFileSources(plan, ctx.batchRows ?? undefined);
    checkFields(plan.root, (source) => fieldNames(files.get(source.id)!.schema));
    if (action.kind === 'write') write = await beginWrite(action.path, String(ctx.jobId), action.options);
    const done = new Map<Stage, Promise<void>>();
    let firstError: Error | undefined;
    for (const stage of plan.stages) {
      const upstream = upstreamOf(stage);
      const run = async (): Promise<void> => {
        await Promise.all(upstream.map((u) => done.get(u)!));
        const stats = perStage.get(stage)!;
        reporter.stageStarted(stage);
        let inputs = stageInputs(stage, results, files, sourceFields(stage, plan, action.kind === 'count'));
        for (const u of upstream) results.delete(u);
        let output = taskOutput(stage, stage === plan.final ? action : undefined, jobCtx, write);
        if (stage.output.kind === 'range') {
          // Sampling reads the input twice: a streamed source is read into chunks first (a sort needs it all anyway).
          if (!Array.isArray(inputs)) inputs = await drain(inputs);
          output = { ...output, bounds: await rangeBounds(stage, inputs, jobCtx, stats) } as TaskOutput;
        }
        const limit = stage === plan.final && action.kind === 'collect' ? action.limit : undefined;
        results.set(stage, await runStage(stage, inputs, output, jobCtx, stats, limit === undefined ? undefined : hasFirstRows(limit)));
        reporter.stageSucceeded(stage, stats);
      };
      done.set(
        stage,
        run().catch((error: unknown) => {
          reporter.stageFailed(stage, error);
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
    for (const stage of plan.stages) mergeCounters(stats, perStage.get(stage)!);
    const { value, rows } = await finish(results.get(plan.final)!, action, write);
    // Rows read from the job's sources (the rows later stages take from exchanges are not read again).
    const rowsRead = plan.stages.filter((s) => s.input.kind === 'source').reduce((n, s) => n + perStage.get(s)!.rowsRead, 0);
    stats.rowsRead = rowsRead;
    const outcome: JobOutcome = { rowsRead, rows, malformedSkipped: stats.malformedSkipped, malformedQuarantined: stats.malformedQuarantined, malformed: stats.malformed };
    return { value, stats, outcome };
  } catch (error) {
    // Every task of the job must have stopped before its staging folder goes (or the caller hears of it).
    controller.abort(error);
    await inflight.stopped();
    if (write) await abortWrite(write).catch(() => undefined);
    throw error;
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}

function newStats(jobId: number, stages: number): JobStats {
  return { jobId, stages, tasks: 0, rowsRead: 0, malformedSkipped: 0, malformedQuarantined: 0, malformed: [] };
}

/** Zeroed counters of one stage. */
export function newCounters(): StageCounters {
  return { tasks: 0, rowsRead: 0, rowsOut: 0, malformedSkipped: 0, malformedQuarantined: 0, malformed: [] };
}

function mergeCounters(into: JobStats, from: StageCounters): void {
  into.tasks += from.tasks;
  into.malformedSkipped += from.malformedSkipped;
  into.malformedQuarantined += from.malformedQuarantined;
  keepFirstErrors(into.malformed, from.malformed);
}

/** The action's value from the final stage's results, and its row count. */
async function finish(final: TaskResultData[], action: Action, write: WriteJob | undefined): Promise<{ value: unknown; rows: number }> {
  switch (action.kind) {
    case 'count': {
      const rows = final.reduce((n, r) => n + (r.kind === 'count' ? r.count : 0), 0);
      return { value: rows, rows };
    }
    case 'collect': {
      const out: unknown[] = [];
      for (const r of final) {
        if (r.kind !== 'batches') continue;
        for (const batch of r.batches) for (const record of recordsOf(batch)) out.push(record);
      }
      const value = action.limit === undefined ? out : out.slice(0, action.limit);
      return { value, rows: value.length };
    }
    case 'write': {
      const parts = final.flatMap((r) => (r.kind === 'written' ? [r] : []));
      checkPartColumns(parts, action.path);
      const rows = parts.reduce((n, r) => n + r.rows, 0);
      await commitWrite(write!, rows);
      return { value: rows, rows };
    }
  }
}

/** The splits and schema of each file source, by node id. */
type PlannedFiles = ReadonlyMap<number, { splits: FileSplit[]; schema: Schema }>;

/**
 * Plans the splits of every file source stage (a source read by several stages is planned once, for
 * the first); `batchRows` is the configured batch size of sources that do not set their own.
 */
async function planFileSources(plan: PhysicalPlan, batchRows: number | undefined): Promise<PlannedFiles> {
  const planned = new Map<number, Promise<{ splits: FileSplit[]; schema: Schema }>>();
  for (const stage of plan.stages) {
    const input = stage.input;
    if (input.kind !== 'source' || input.node.source.kind !== 'files' || planned.has(input.node.id)) continue;
    const { format, paths, options } = input.node.source;
    const sized = options.batchRows === undefined && batchRows !== undefined ? { ...options, batchRows } : options;
    planned.set(input.node.id, planSplits(format, paths, sized, stage.parallelism));
  }
  const entries = await Promise.all([...planned].map(async ([id, p]) => [id, await p] as const));
  return new Map(entries);
}

/** The field names of a schema, or `undefined` when its rows are arbitrary values (text lines, non-object JSON). */
function fieldNames(schema: Schema): readonly string[] | undefined {
  return isValueSchema(schema) ? undefined : schema.fields.map((f) => f.name);
}

function upstreamOf(stage: Stage): readonly Stage[] {
  if (stage.input.kind === 'exchange') return stage.input.from;
  if (stage.input.kind === 'join') return [stage.input.left, stage.input.right];
  return [];
}

/** The input of each of the stage's tasks. */
function stageInputs(stage: Stage, results: ReadonlyMap<Stage, TaskResultData[]>, files: PlannedFiles, fields: readonly string[] | undefined): TaskInput[] | TaskFeed {
  const p = stage.parallelism;
  const input = stage.input;
  if (input.kind === 'source') {
    const source = input.node.source;
    if (source.kind === 'files') {
      const { splits } = files.get(input.node.id)!;
      return assignSplits(splits, p).map((s) => ({ kind: 'splits', splits: s, ...(fields !== undefined ? { fields } : {}) }));
    }
    // An iterable streams: its tasks pull chunks as slots free up (iterable-source.ts).
    if (source.kind === 'iterable') return source.iterable.feed(p);
    const values = source.values;
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
async function rangeBounds(stage: Stage, inputs: TaskInput[], ctx: JobContext, stats: StageCounters): Promise<unknown[]> {
  const out = stage.output as Extract<Stage['output'], { kind: 'range' }>;
  // The sampling pass reads the input once more: its tasks count, its rows and malformed rows do not (the real pass counts them).
  const pass = newCounters();
  const sampled = await runStage(stage, inputs, { kind: 'sample', key: toKeySpec(out.key, ctx.fnSpecs), size: 64 * out.parallelism }, ctx, pass);
  stats.tasks += pass.tasks;
  const keys = sampled.flatMap((r) => (r.kind === 'sample' ? r.keys : []));
  const sign = out.descending ? -1 : 1;
  keys.sort((a, b) => sign * compareKeys(a, b));
  const bounds: unknown[] = [];
  for (let i = 1; i < out.parallelism; i++) {
    if (keys.length > 0) bounds.push(keys[Math.min(keys.length - 1, Math.floor((i * keys.length) / out.parallelism))]);
  }
  return bounds;
}

/** Every chunk of a feed, read now. */
async function drain(feed: TaskFeed): Promise<TaskInput[]> {
  const inputs: TaskInput[] = [];
  for (let next = await feed.next(); next !== undefined; next = await feed.next()) inputs.push(next.input);
  return inputs;
}

/**
 * `first(n)`: true once the tasks of partitions 0, 1, … k (a prefix, so the result is the same as
 * reading everything) produced `n` records; the stage then stops its other tasks and its sources.
 */
function hasFirstRows(n: number): (results: ReadonlyArray<TaskResultData | undefined>) => boolean {
  return (results) => {
    let rows = 0;
    for (const result of results) {
      if (result === undefined) return false;
      rows += result.stats.rowsOut;
      if (rows >= n) return true;
    }
    return false;
  };
}

function recordsOf(batch: Batch): unknown[] {
  return isValueBatch(batch) ? [...((batch.columns[0] as { values: readonly unknown[] }).values)] : rowsOf(batch);
}
