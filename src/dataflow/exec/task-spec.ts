/**
 * What one dataflow task is, as plain data that travels to a worker: its input (source splits or
 * the batches of an exchange), the chain of operators it runs, and what it does with the result
 * (partition it for the next stage, or hand it to the action). User functions appear only as
 * {@link FnSpec}s — references a worker resolves by import or by compiling checked source.
 */
import type { FunctionRef } from '../../runtime/index.js';
import type { SourcePosition } from '../plan/call-site.js';
import type { ExportRef } from '../plan/exported-function.js';
import type { Intrinsic } from '../plan/intrinsics.js';
import type { Batch } from '../batch/index.js';
import type { AggDef, JoinHow } from '../plan/logical.js';
import type { FileSplit } from '../sources/index.js';

/** A user function as a worker finds it. */
export interface FnSpec {
  ref: FunctionRef;
  with?: unknown;
  label: string;
  /** A `source` lambda: where it starts in the user's file, so its stack frames point there. */
  site?: SourcePosition;
  /** A plain module function the worker imports by its export name. */
  exported?: ExportRef;
  /** What the function computes, when its body is a well-known expression (a task may then run it column-wise). */
  intrinsic?: Intrinsic;
}

export type KeySpec = { kind: 'field'; field: string | number } | { kind: 'fn'; fn: FnSpec } | { kind: 'self' };

/** One operator of a task's chain; runs open → process (batch by batch) → close. */
export type OpSpec =
  | { op: 'map' | 'flatMap' | 'filter'; fn: FnSpec; name: string }
  /** `partial` before a hash exchange (combiner), `final` after it. */
  | { op: 'aggregate'; phase: 'partial' | 'final'; key: KeySpec; aggs: readonly AggDef[]; style: 'record' | 'row' | 'pair'; keyName: string; name: string }
  | { op: 'reduce'; phase: 'partial' | 'final'; key: KeySpec; fn: FnSpec; name: string }
  | { op: 'distinct'; phase: 'partial' | 'final'; name: string }
  | { op: 'sort'; key: KeySpec; descending: boolean; name: string };

/** Where a task's records come from. */
export type TaskInput =
  /** `fields`: the only fields the task reads (projection push-down); all when absent. */
  | { kind: 'splits'; splits: readonly FileSplit[]; fields?: readonly string[] }
  | { kind: 'values'; values: readonly unknown[] }
  | { kind: 'batches'; batches: readonly Batch[] }
  /** A join task: both sides of one hash partition. */
  | { kind: 'join'; left: readonly Batch[]; right: readonly Batch[]; how: JoinHow; leftKey: KeySpec; rightKey: KeySpec; name: string };

/** What a task does with its output. */
export type TaskOutput =
  /** `name`: the operator the exchange feeds, for errors about its keys. */
  | { kind: 'hash'; key: KeySpec; parallelism: number; maxParallelism: number; name?: string }
  | { kind: 'range'; key: KeySpec; bounds: readonly unknown[]; descending: boolean }
  | { kind: 'roundRobin'; parallelism: number }
  | { kind: 'collect'; limit?: number }
  | { kind: 'count' }
  | { kind: 'sample'; key: KeySpec; size: number }
  | { kind: 'write'; stagingDir: string; format: 'csv' | 'json' | 'parquet'; options: Readonly<Record<string, unknown>> };

export interface TaskSpec {
  /** For errors: `stage 1, partition 3 of job 0`. */
  job: number;
  stage: number;
  partition: number;
  input: TaskInput;
  chain: readonly OpSpec[];
  output: TaskOutput;
  /** Unique per job run in the driver's process: in-process task bodies are tracked by it (inflight.ts). */
  runKey?: string;
}

/** Counters a task reports (rows in and out, malformed input rows). */
export interface TaskStats {
  rowsIn: number;
  rowsOut: number;
  skipped: number;
  quarantined: number;
  errors: Array<{ file: string; line: number; message: string; text: string }>;
}

export type TaskResultData =
  | { kind: 'partitions'; partitions: Batch[][]; stats: TaskStats }
  | { kind: 'batches'; batches: Batch[]; stats: TaskStats }
  | { kind: 'count'; count: number; stats: TaskStats }
  | { kind: 'sample'; keys: unknown[]; stats: TaskStats }
  | { kind: 'written'; rows: number; file: string; columns?: string[]; stats: TaskStats };
