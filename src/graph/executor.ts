/**
 * The DAG executor: runs every node of a {@link Dag} through a caller-supplied `execute`
 * callback, as soon as its dependencies succeeded, at most `parallelism` at a time, with
 * retries, per-attempt timeouts, a failure policy and whole-run cancellation.
 *
 * The graph layer does not know where work runs: the pipeline layer's `execute` submits each
 * node to the scheduler, so orchestration (this bound) never holds a worker slot while it waits.
 */
import { randomUUID } from 'node:crypto';
import { UsageError, describeValue } from '../errors.js';
import type { Dag } from './dag.js';
import { GraphRun } from './graph-run.js';
import type { FailurePolicy, GraphRunResult, RunGraphOptions } from './run-types.js';

export type {
  ExecuteContext,
  FailurePolicy,
  GraphRunResult,
  NodeExecution,
  NodeResult,
  NodeStatus,
  RunGraphOptions,
  RunStatus,
} from './run-types.js';

const policies: readonly FailurePolicy[] = ['fail-fast', 'keep-going'];

/**
 * Runs a DAG. Among ready nodes, the one declared first starts first. Resolves once every node is
 * decided (or, after a fail-fast failure, once the running nodes have answered their aborted
 * signal; after a cancellation, at once). It never rejects because a node failed: look at
 * `status`, `error` and `nodes`. It rejects with a `UsageError` for bad options.
 *
 * @example
 * ```ts
 * const result = await runGraph(dag, {
 *   name: 'nightly',
 *   parallelism: 4,
 *   failurePolicy: 'keep-going',
 *   execute: async (node, { signal }) => ({ value: await node.data(signal) }),
 * });
 * if (result.status !== 'succeeded') console.error(result.error);
 * ```
 */
export function runGraph<T>(dag: Dag<T>, options: RunGraphOptions<T>): Promise<GraphRunResult> {
  try {
    const { parallelism, failurePolicy = 'fail-fast' } = options;
    if (!(parallelism === Infinity || (Number.isInteger(parallelism) && parallelism >= 1))) {
      throw new UsageError(
        `Expected \`parallelism\` to be an integer from 1 and up (or Infinity), got ${describeValue(parallelism)}. ` +
          'Pass the most nodes that may run at once.',
      );
    }
    if (!policies.includes(failurePolicy)) {
      throw new UsageError(`Expected \`failurePolicy\` to be 'fail-fast' or 'keep-going', got ${describeValue(failurePolicy)}.`);
    }
    const { retryMaxDelayMs = 30_000 } = options;
    if (!(Number.isFinite(retryMaxDelayMs) && retryMaxDelayMs >= 0)) {
      throw new UsageError(`Expected \`retryMaxDelayMs\` to be a number of milliseconds from 0 and up, got ${describeValue(retryMaxDelayMs)}.`);
    }
    const execute: unknown = (options as { execute?: unknown }).execute;
    if (typeof execute !== 'function') {
      throw new UsageError(`Expected \`execute\` to be a function that runs one node, got ${describeValue(execute)}.`);
    }
    const run = new GraphRun(dag, {
      name: options.name,
      runId: options.runId ?? randomUUID(),
      parallelism,
      keepGoing: failurePolicy === 'keep-going',
      retryMaxDelayMs,
      signal: options.signal,
      events: options.events,
      reportsStart: options.reportsStart === true,
      execute: (node, ctx) => options.execute(node, ctx),
    });
    return run.run();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
