/**
 * Runs one stage of a job: a task set of one task per partition on the scheduler, each task retried
 * up to `weft.task.maxFailures` attempts when its failure may go away (see retry.ts), the first
 * task that still fails stopping the others. The job's error names the stage, its operators, the
 * partition and the attempts, with the user function's own error (and stack) as `cause`.
 */
import type { BackendKind, EventStream } from '../../events.js';
import type { TaskScheduler, TaskSet } from '../../scheduler/index.js';
import { CancelledError } from '../../errors.js';
import { JobFailedError } from '../errors.js';
import type { TaskFeed } from '../sources/iterable-source.js';
import { describeNode, type KeySelector, type UserFn } from '../plan/logical.js';
import type { PlannedOp, Stage } from '../plan/physical.js';
import type { Inflight } from './inflight.js';
import { isRetryable } from './retry.js';
import { TASK_FUNCTION_REF } from './run-task.js';
import type { FnSpec, KeySpec, OpSpec, TaskInput, TaskOutput, TaskResultData, TaskSpec, TaskStats } from './task-spec.js';

/** What every stage of one job shares. */
export interface JobContext {
  scheduler: TaskScheduler;
  jobId: number;
  backend: BackendKind;
  fnSpecs: ReadonlyMap<UserFn, FnSpec>;
  /** Attempts per task in total (`weft.task.maxFailures`). */
  maxFailures: number;
  /** Rows per batch of file sources that do not set it (`weft.dataflow.batchRows`; null: each format's default). */
  batchRows?: number | null;
  signal?: AbortSignal | undefined;
  /** Where `job.*` and `stage.*` events go (task events come from the scheduler). */
  events?: EventStream | undefined;
  /** The action, for events and messages, e.g. `count()`. */
  actionName: string;
  /** The job's attempts in flight, for waiting until they stopped after an abort. */
  inflight?: Inflight;
}

/** Counters of a stage or job, summed from its tasks. */
export interface StageCounters {
  tasks: number;
  rowsRead: number;
  rowsOut: number;
  malformedSkipped: number;
  malformedQuarantined: number;
  malformed: TaskStats['errors'];
}

/** A key selector as a worker reads it: functions become their worker references. */
export function toKeySpec(key: KeySelector, fnSpecs: ReadonlyMap<UserFn, FnSpec>): KeySpec {
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

function taskInput(input: TaskInput, ctx: JobContext): TaskInput {
  if (input.kind !== 'join') return input;
  return { ...input, leftKey: toKeySpec(input.leftKey as KeySelector, ctx.fnSpecs), rightKey: toKeySpec(input.rightKey as KeySelector, ctx.fnSpecs) };
}

/** Stops a stage early: given the results so far by partition, true when the stage has enough. */
export type Enough = (results: ReadonlyArray<TaskResultData | undefined>) => boolean;

/**
 * Runs the stage's tasks; resolves to their results in partition order. Fixed inputs are all
 * submitted at once (the scheduler queues them); a feed (a streamed source) runs `lanes` tasks at a
 * time, each pulling its next chunk when it is done. Once `enough` says so, the other tasks are
 * stopped and the feed is closed.
 */
export async function runStage(
  stage: Stage,
  inputs: readonly TaskInput[] | TaskFeed,
  output: TaskOutput,
  ctx: JobContext,
  counters: StageCounters,
  enough?: Enough,
): Promise<TaskResultData[]> {
  const chain = stage.ops.map((op) => toOpSpec(op, ctx.fnSpecs));
  const taskSet = ctx.scheduler.createTaskSet({ name: `job ${ctx.jobId} stage ${stage.id}`, jobId: ctx.jobId, stageId: stage.id });
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(ctx.signal?.reason);
  if (ctx.signal?.aborted === true) onAbort();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  const results: Array<TaskResultData | undefined> = [];
  let satisfied = false;
  let firstError: Error | undefined;
  const fail = (error: unknown): void => {
    // The first failure stops the stage's other tasks; their aborts are echoes, not causes.
    if (satisfied || firstError !== undefined) return;
    firstError = error instanceof Error ? error : new Error(String(error));
    controller.abort(firstError);
  };
  const runOne = async (input: TaskInput, partition: number): Promise<void> => {
    const spec: TaskSpec = { job: ctx.jobId, stage: stage.id, partition, input: taskInput(input, ctx), chain, output, ...(ctx.inflight ? { runKey: ctx.inflight.runKey } : {}) };
    const outcome = await runAttempts(spec, taskSet, controller.signal, ctx);
    if (!outcome.ok) return fail(jobFailed(stage, partition, ctx, outcome));
    results[partition] = outcome.value;
    if (!satisfied && enough?.(results) === true) {
      satisfied = true;
      controller.abort(new CancelledError(`job ${ctx.jobId} stage ${stage.id}: ${ctx.actionName} has its records`));
    }
  };
  try {
    if (isFeed(inputs)) await runFeed(inputs, runOne, controller.signal, fail);
    else await Promise.all(inputs.map(runOne));
    if (firstError !== undefined) throw firstError;
    if (!satisfied && controller.signal.aborted) throw abortReason(controller.signal);
    const values = results.filter((r): r is TaskResultData => r !== undefined);
    for (const r of values) addCounters(counters, r.stats);
    counters.tasks += values.length;
    return values;
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    taskSet.close();
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new CancelledError('the stage was aborted', { cause: reason });
}

function isFeed(inputs: readonly TaskInput[] | TaskFeed): inputs is TaskFeed {
  return !Array.isArray(inputs);
}

/** Runs a feed's chunks, `lanes` at a time, until it ends or the stage stops. */
async function runFeed(feed: TaskFeed, runOne: (input: TaskInput, partition: number) => Promise<void>, signal: AbortSignal, fail: (error: unknown) => void): Promise<void> {
  const lane = async (): Promise<void> => {
    while (!signal.aborted) {
      const next = await feed.next();
      if (next === undefined || signal.aborted) return;
      await runOne(next.input, next.partition);
    }
  };
  try {
    await Promise.all(Array.from({ length: feed.lanes }, lane));
  } catch (error) {
    fail(error);
  } finally {
    await feed.close().catch(() => undefined);
  }
}

/** A task's result, or its last attempt's error and how many attempts were made. */
type Attempts = { ok: true; value: TaskResultData } | { ok: false; error: unknown; attempts: number };

/**
 * Submits one task, again after each retryable failure, up to `maxFailures` attempts in total.
 * The output's typed-array buffers move back from a worker thread instead of being copied
 * (`transferOutput`); the input's are copied, because a retry needs them again.
 */
async function runAttempts(spec: TaskSpec, taskSet: TaskSet, signal: AbortSignal, ctx: JobContext): Promise<Attempts> {
  const label = `job ${ctx.jobId} stage ${spec.stage} partition ${spec.partition}`;
  for (let attempt = 1; ; attempt++) {
    let ended: (() => void) | undefined;
    const track = ctx.inflight === undefined ? {} : { onStart: () => void (ended = ctx.inflight!.started()), onAttemptEnd: () => ended?.() };
    try {
      const result = await ctx.scheduler.submit(
        taskSet,
        { fn: TASK_FUNCTION_REF, mode: 'call', input: spec, label, backend: ctx.backend, attempt, transferOutput: true },
        // Retries happen here, for every retryable failure, so the scheduler makes one attempt.
        { signal, maxFailures: 1, partition: spec.partition, ...track },
      );
      return { ok: true, value: result.value as TaskResultData };
    } catch (error) {
      if (signal.aborted || attempt >= ctx.maxFailures || !isRetryable(error)) return { ok: false, error, attempts: attempt };
    }
  }
}

function jobFailed(stage: Stage, partition: number, ctx: JobContext, failure: { error: unknown; attempts: number }): JobFailedError {
  const { error, attempts } = failure;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const message = error instanceof Error ? error.message : String(error);
  return new JobFailedError(
    `job ${ctx.jobId} failed in stage ${stage.id} (${stage.nodes.map(describeNode).join(' → ')}), partition ${partition}${tries}: ${message}`,
    stage.id,
    partition,
    { cause: error },
  );
}

/** Adds a task's counters to a stage's. */
export function addCounters(counters: StageCounters, task: TaskStats): void {
  counters.rowsRead += task.rowsIn;
  counters.rowsOut += task.rowsOut;
  counters.malformedSkipped += task.skipped;
  counters.malformedQuarantined += task.quarantined;
  keepFirstErrors(counters.malformed, task.errors);
}

/** Malformed rows a job keeps for its report (all are counted). */
const KEPT_ERRORS = 20;

/**
 * Adds `more` to `kept`, keeping the first {@link KEPT_ERRORS} by file and line, so the report is
 * the same whatever order tasks finish in.
 */
export function keepFirstErrors(kept: TaskStats['errors'], more: TaskStats['errors']): void {
  if (more.length === 0) return;
  kept.push(...more);
  kept.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  if (kept.length > KEPT_ERRORS) kept.length = KEPT_ERRORS;
}
