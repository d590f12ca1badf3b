/**
 * Runs one dataflow task, in whatever worker the scheduler chose: reads its input (source splits
 * or exchange batches), pushes it batch by batch through its chain of operators, and partitions or
 * returns the result. This module registers itself as a function workers find by import
 * (`weft.dataflow.task`), so a task message carries only data and function references.
 */
import { CancelledError } from '../../errors.js';
import { registerAt, type TaskContext } from '../../runtime/index.js';
import { isValueBatch, rowsOf, valueBatch, type Batch } from '../batch/index.js';
import { newSplitStats, readSplit } from '../sources/index.js';
import { buildChain, type RecordSink } from './operators.js';
import { createOutput, type TaskOutputSink } from './outputs.js';
import { countJoinMatches, joinPartition } from './join.js';
import { compileKey } from './keys.js';
import { trackBody } from './inflight.js';
import { resolveFns } from './resolve-fns.js';
import { countTokens, tokenCountPlan } from './token-count.js';
import type { KeySpec, TaskResultData, TaskSpec, TaskStats } from './task-spec.js';

/** The task body; tracked while it runs so that an aborted job can wait for it to stop. */
export function runTask(spec: TaskSpec, ctx: TaskContext): Promise<TaskResultData> {
  return trackBody(spec.runKey, runBody(spec, ctx));
}

async function runBody(spec: TaskSpec, ctx: TaskContext): Promise<TaskResultData> {
  const fns = await resolveFns(spec);
  const stats: TaskStats = { rowsIn: 0, rowsOut: 0, skipped: 0, quarantined: 0, errors: [] };
  const output = createOutput(spec, fns, ctx, stats);
  const sink: RecordSink = {
    push: (records) => output.push(records),
    pushBatch: (batch) => output.pushBatch(batch),
  };
  try {
    return await feed(spec, ctx, fns, stats, output, sink);
  } catch (error) {
    await output.abort?.(error);
    throw error;
  }
}

async function feed(spec: TaskSpec, ctx: TaskContext, fns: Awaited<ReturnType<typeof resolveFns>>, stats: TaskStats, output: TaskOutputSink, sink: RecordSink): Promise<TaskResultData> {
  // A word count's source stage runs column-wise over the bytes (token-count.ts).
  const tokens = tokenCountPlan(spec);
  if (tokens !== undefined) {
    const entries = await countTokens(tokens, stats, ctx);
    if (entries.length > 0) output.pushBatch(entries);
    return output.result();
  }
  const chain = buildChain(spec.chain, fns, ctx, sink);
  const input = spec.input;
  const full = (): boolean => output.full?.() === true;
  if (input.kind === 'splits') {
    // A combiner keeps no column array of the batches it folds: the reader may refill the same arrays.
    const transient = spec.chain[0]?.op === 'aggregate' && spec.chain[0].phase === 'partial';
    for (const split of input.splits) {
      if (full()) break;
      const splitStats = newSplitStats();
      for await (const batch of readSplit(split, splitStats, ctx.signal, input.fields, transient)) {
        stats.rowsIn += batch.length;
        await chain.pushBatch(batch);
        await output.drain?.();
        stopIfAborted(ctx);
        // first(n): the source stops once the task has its records (leaving the loop closes the file).
        if (full()) break;
      }
      stats.skipped += splitStats.skipped;
      stats.quarantined += splitStats.quarantined;
      for (const e of splitStats.errors) if (stats.errors.length < 20) stats.errors.push(e);
    }
  } else if (input.kind === 'values') {
    stats.rowsIn += input.values.length;
    await chain.pushBatch(valueBatch(input.values));
  } else if (input.kind === 'batches') {
    for (const batch of input.batches) {
      stats.rowsIn += batch.length;
      await chain.pushBatch(batch);
      await output.drain?.();
      stopIfAborted(ctx);
      if (full()) break;
    }
  } else {
    // A join feeding only count(): count the matches from the key columns, build no joined rows.
    if (spec.chain.length === 0 && spec.output.kind === 'count' && input.leftKey.kind === 'field' && input.rightKey.kind === 'field' && typeof input.leftKey.field === 'string' && typeof input.rightKey.field === 'string') {
      const counted = countJoinMatches(input.left, input.right, input.leftKey.field, input.rightKey.field, input.how);
      if (counted !== undefined) {
        for (const b of [...input.left, ...input.right]) stats.rowsIn += b.length;
        return { kind: 'count', count: counted, stats: { ...stats, rowsOut: counted } };
      }
    }
    const left = input.left.flatMap(recordsOf);
    const right = input.right.flatMap(recordsOf);
    stats.rowsIn += left.length + right.length;
    const keyOf = (k: KeySpec): ReturnType<typeof compileKey> => compileKey(k, k.kind === 'fn' ? fns.get(k.fn) : undefined, ctx);
    await chain.push(joinPartition(left, right, keyOf(input.leftKey), keyOf(input.rightKey), input.how, mergesObjects(input.leftKey, input.rightKey), input.name));
  }
  await chain.close();
  return output.result();
}

/**
 * Stops the task between batches once it was aborted (its job failed or was cancelled): the
 * in-process backend cannot interrupt user code, so the task body checks.
 */
function stopIfAborted(ctx: TaskContext): void {
  if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new CancelledError('the task was aborted', { cause: ctx.signal.reason });
}

function recordsOf(batch: Batch): unknown[] {
  return isValueBatch(batch) ? [...((batch.columns[0] as { values: readonly unknown[] }).values)] : rowsOf(batch);
}

/** Joined object rows are merged when both sides are keyed by the same field name. */
function mergesObjects(left: KeySpec, right: KeySpec): boolean {
  return left.kind === 'field' && right.kind === 'field' && typeof left.field === 'string' && left.field === right.field;
}

/** The id workers find the task body by. */
export const TASK_FUNCTION_ID = 'weft.dataflow.task';
export const TASK_FUNCTION_REF = registerAt(import.meta.url, TASK_FUNCTION_ID, runTask);
