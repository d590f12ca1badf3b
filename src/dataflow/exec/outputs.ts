/**
 * The end of a task: partition the records for the next stage (hash by key group, by range, or
 * round-robin), or hand them to the action (collect, count, sample, write). Partitions travel as
 * value batches; a typed batch that reached the output untouched stays columnar.
 */
import type { TaskContext, UserFunction } from '../../runtime/index.js';
import { isValueBatch, rowsOf, valueBatch, type Batch } from '../batch/index.js';
import { operatorIndexForKey } from '../key-groups.js';
import { compareKeys, compileKey } from './keys.js';
import type { AggEntry } from './aggregate.js';
import { ENTRY_KEY_FIELD, entriesBatch, entriesOf, isEntryBatch } from './entry-batch.js';
import { hashTargets, splitByTargets } from './typed-partition.js';
import { writeOutput } from './write-output.js';
import type { FnSpec, TaskResultData, TaskSpec, TaskStats } from './task-spec.js';

/** What the chain's last operator writes into. */
export interface TaskOutputSink {
  push(records: unknown[]): void;
  pushBatch(batch: Batch): void;
  result(): Promise<TaskResultData>;
  /** True once the output wants no more records (`first(n)` has `n`): the task stops reading. */
  full?(): boolean;
  /** Resolves once the output has room for more (a write's part file caught up); rejects with its failure. */
  drain?(): Promise<void>;
  /** The task failed: stop whatever the output started, and leave nothing half-written. */
  abort?(error: unknown): Promise<void>;
}

export function createOutput(spec: TaskSpec, fns: ReadonlyMap<FnSpec, UserFunction>, ctx: TaskContext, stats: TaskStats): TaskOutputSink {
  const output = spec.output;
  switch (output.kind) {
    case 'count': {
      let count = 0;
      return {
        push: (records) => void (count += records.length),
        pushBatch: (batch) => void (count += batch.length),
        result: () => Promise.resolve({ kind: 'count', count, stats: { ...stats, rowsOut: count } }),
      };
    }
    case 'collect': {
      const batches: Batch[] = [];
      let rows = 0;
      const limit = output.limit ?? Infinity;
      const add = (batch: Batch): void => {
        if (rows >= limit || batch.length === 0) return;
        const kept = rows + batch.length > limit ? valueBatch(recordsOf(batch).slice(0, limit - rows)) : batch;
        rows += kept.length;
        batches.push(kept);
      };
      return {
        push: (records) => add(valueBatch(records)),
        pushBatch: add,
        result: () => Promise.resolve({ kind: 'batches', batches, stats: { ...stats, rowsOut: rows } }),
        full: () => rows >= limit,
      };
    }
    case 'write':
      return writeOutput(spec, output, ctx, stats);
    case 'sample': {
      const key = compileKey(output.key, output.key.kind === 'fn' ? fns.get(output.key.fn) : undefined, ctx);
      const sample: unknown[] = [];
      let seen = 0;
      // Reservoir sampling with a seeded generator, so the same input gives the same bounds.
      let seed = 0x9e3779b9 ^ spec.partition;
      const random = (): number => {
        seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
        return (seed >>> 0) / 4294967296;
      };
      const add = (records: unknown[]): void => {
        for (const r of records) {
          seen++;
          if (sample.length < output.size) sample.push(key(r));
          else {
            const j = Math.floor(random() * seen);
            if (j < output.size) sample[j] = key(r);
          }
        }
      };
      return {
        push: add,
        pushBatch: (batch) => add(recordsOf(batch)),
        result: () => Promise.resolve({ kind: 'sample', keys: sample, stats }),
      };
    }
    default:
      return partitionedOutput(spec, fns, ctx, stats);
  }
}

/**
 * Partitions for the next stage. Records collect into a value batch per partition; a typed batch
 * under a hash exchange keyed by a field is split column-wise instead (see typed-partition.ts).
 * Each partition's batches keep the order their rows arrived in.
 */
function partitionedOutput(spec: TaskSpec, fns: ReadonlyMap<FnSpec, UserFunction>, ctx: TaskContext, stats: TaskStats): TaskOutputSink {
  const output = spec.output;
  const parts = partitioner(spec, fns, ctx);
  const done: Batch[][] = Array.from({ length: parts.count }, () => []);
  let pending: unknown[][] = Array.from({ length: parts.count }, () => []);
  let rows = 0;
  const add = (records: unknown[]): void => {
    rows += records.length;
    for (const r of records) pending[parts.of(r)]!.push(r);
  };
  // Partial aggregate entries cross the exchange as columns (entry-batch.ts).
  const last = spec.chain.at(-1);
  const accCount = last?.op === 'aggregate' && last.phase === 'partial' ? last.aggs.length : -1;
  const batchOf = (records: unknown[]): Batch => (accCount >= 0 ? entriesBatch(records as AggEntry[], accCount) : valueBatch(records));
  const flush = (): void => {
    pending.forEach((records, p) => records.length > 0 && done[p]!.push(batchOf(records)));
    pending = pending.map((records) => (records.length > 0 ? [] : records));
  };
  const typedKey = output.kind === 'hash' && output.key.kind === 'field' && typeof output.key.field === 'string' ? output.key.field : undefined;
  return {
    push: add,
    pushBatch: (batch) => {
      // An entry batch (a typed partial aggregation's state) is keyed by its key column.
      const entries = accCount >= 0 && isEntryBatch(batch);
      const field = entries ? ENTRY_KEY_FIELD : typedKey;
      const targets = field !== undefined && output.kind === 'hash' && !isValueBatch(batch) ? hashTargets(batch, field, output.maxParallelism, output.parallelism) : undefined;
      if (targets === undefined) return add(entries ? entriesOf(batch) : recordsOf(batch));
      flush();
      rows += batch.length;
      splitByTargets(batch, targets, parts.count).forEach((piece, p) => piece && done[p]!.push(piece));
    },
    result: () => {
      flush();
      return Promise.resolve({ kind: 'partitions', partitions: done, stats: { ...stats, rowsOut: rows } });
    },
  };
}

function partitioner(spec: TaskSpec, fns: ReadonlyMap<FnSpec, UserFunction>, ctx: TaskContext): { count: number; of: (record: unknown) => number } {
  const output = spec.output;
  switch (output.kind) {
    case 'hash': {
      const key = compileKey(output.key, output.key.kind === 'fn' ? fns.get(output.key.fn) : undefined, ctx);
      const { maxParallelism, parallelism } = output;
      const name = output.name;
      return { count: parallelism, of: (r) => operatorIndexForKey(hashable(key(r)), maxParallelism, parallelism, name) };
    }
    case 'range': {
      const key = compileKey(output.key, output.key.kind === 'fn' ? fns.get(output.key.fn) : undefined, ctx);
      const bounds = output.bounds;
      const sign = output.descending ? -1 : 1;
      return {
        count: bounds.length + 1,
        of: (r) => {
          const k = key(r);
          let lo = 0;
          let hi = bounds.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (sign * compareKeys(k, bounds[mid]) > 0) lo = mid + 1;
            else hi = mid;
          }
          return lo;
        },
      };
    }
    case 'roundRobin': {
      let next = spec.partition % output.parallelism;
      return {
        count: output.parallelism,
        of: () => {
          const p = next;
          next = (next + 1) % output.parallelism;
          return p;
        },
      };
    }
    default:
      throw new Error(`not a partitioning output: ${output.kind}`);
  }
}

/** Null keys hash as 0 (they all meet in one partition, as in Flink). */
function hashable(key: unknown): unknown {
  return key === undefined ? null : key;
}

function recordsOf(batch: Batch): unknown[] {
  return isValueBatch(batch) ? [...((batch.columns[0] as { values: readonly unknown[] }).values)] : rowsOf(batch);
}
