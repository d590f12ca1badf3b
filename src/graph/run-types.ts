/**
 * The types of one graph run: what the caller passes to `runGraph`, what its `execute` callback
 * sees and returns, and what the run reports. They live apart from the executor so that the
 * run's state machine and the public entry point share them without importing each other;
 * `executor.ts` re-exports them.
 */
import type { BackendKind, EventStream } from '../events.js';
import type { AbortSource } from '../runtime/lazy-abort.js';
import type { GraphNode } from './dag.js';

/**
 * What a failure does to the rest of the run.
 * - `fail-fast`: nothing new starts, running nodes are told to abort.
 * - `keep-going`: unrelated branches go on; the failed node's dependents are skipped.
 */
export type FailurePolicy = 'fail-fast' | 'keep-going';

/** What `execute` learns about the attempt it runs. */
export interface ExecuteContext {
  /** 1 for the first try. */
  attempt: number;
  /**
   * Aborted when the attempt times out (reason: a `TimeoutError`) or the run stops (reason: a
   * `CancelledError`). Pass it on to whatever does the work.
   */
  signal: AbortSignal;
  /**
   * The same cancellation as `signal`, without making an `AbortSignal` (which costs more than
   * scheduling a short node): pass it where an {@link AbortSource} is taken, e.g. the scheduler's
   * `submit(…, { signal: ctx.abortSource })`.
   */
  readonly abortSource: AbortSource;
  runId: string;
  /** The node's id. */
  node: string;
  /**
   * Tells the executor the work really started (e.g. it got a worker slot), with where it runs.
   * With `reportsStart`, `node.started` is emitted here instead of when `execute` is called.
   */
  started(where?: { backend?: BackendKind; slot?: number }): void;
  /** Settles the attempt when `execute` returned nothing (see {@link RunGraphOptions.execute}); later calls are ignored. */
  succeed(execution: NodeExecution): void;
  /** Fails the attempt when `execute` returned nothing; later calls are ignored. */
  fail(error: unknown): void;
}

/** What `execute` reports about a node that ran (or decided not to). */
export interface NodeExecution {
  /** The node's output, kept in {@link NodeResult.value}. */
  value?: unknown;
  /** Where it ran, when a scheduler slot ran it. */
  backend?: BackendKind;
  slot?: number;
  /** True when the output came from a cache. */
  cached?: boolean;
  /** Epoch ms, measured where the work ran; default: when `execute` was called / settled. */
  startedAt?: number;
  endedAt?: number;
  /** The node decided not to run (a `when` condition): it and its dependents are skipped. */
  skipped?: { reason: string };
}

/** Options of {@link runGraph}. */
export interface RunGraphOptions<T> {
  /** Pipeline or job name, for events. */
  name: string;
  /** @default a random UUID */
  runId?: string;
  /**
   * Most nodes in flight at once (running, or waiting to retry). This bounds orchestration, not
   * worker slots: the scheduler bounds those. An integer from 1 and up, or `Infinity`.
   */
  parallelism: number;
  /** @default 'fail-fast' */
  failurePolicy?: FailurePolicy;
  /** Cap of the retry back-off of nodes that set no `retryMaxDelayMs`, in ms (`weft.retry.maxDelayMs`). @default 30_000 */
  retryMaxDelayMs?: number;
  /** Cancels the whole run. Abort it with a `CancelledError` to choose the reason. */
  signal?: AbortSignal;
  /** Receives run.* and node.* events. */
  events?: EventStream;
  /**
   * `execute` calls `ctx.started()` when the work really starts (after waiting for a slot), so
   * `node.started` carries the backend and slot and a timeline shows the real start.
   * @default false
   */
  reportsStart?: boolean;
  /**
   * Runs one attempt of a node. Reject (or throw) to fail the attempt; resolve with
   * `{ skipped }` to skip the node and its dependents. Or return nothing and settle the attempt
   * with `ctx.succeed` / `ctx.fail` (a promise and its reaction per node cost as much as the rest
   * of the executor's work for a short node).
   */
  execute(node: GraphNode<T>, ctx: ExecuteContext): Promise<NodeExecution> | undefined;
}

/**
 * How a node ended.
 * - `skipped`: it decided not to run, or a dependency failed or was skipped (`reason` says which).
 * - `cancelled`: it was running (or waiting to retry) when the run stopped.
 * - `not-run`: it never started because the run stopped first.
 */
export type NodeStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'not-run';

/** The outcome of one node. Times are those of its last attempt. */
export interface NodeResult {
  id: string;
  status: NodeStatus;
  value?: unknown;
  /** Why it failed, or the reason it was cancelled. */
  error?: Error;
  /** Attempts started (0 when it never ran). */
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
  backend?: BackendKind;
  slot?: number;
  cached?: boolean;
  /** Why it was skipped or cancelled, in words. */
  reason?: string;
}

/** How a run ended: `failed` when any node failed, `cancelled` when its signal aborted. */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/** The outcome of {@link runGraph}. */
export interface GraphRunResult {
  runId: string;
  status: RunStatus;
  startedAt: number;
  endedAt: number;
  /** Every node, in declaration order. */
  nodes: Map<string, NodeResult>;
  /** The first failure, or the `CancelledError` of a cancelled run. */
  error?: Error;
}
