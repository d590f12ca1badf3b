/**
 * One attempt of one node: the {@link ExecuteContext} handed to `execute`, plus the executor's
 * bookkeeping for it. It is its own cancellation (a {@link LazyAbortController}): its `signal` is
 * created on first use, because most nodes of a large DAG never look at it and an `AbortSignal`
 * per node is a large share of the executor's cost; `execute` can hand `abortSource` on (to the
 * scheduler) without making one. An abort that arrives before the signal was asked for is
 * remembered and applied on creation.
 */
import type { BackendKind } from '../events.js';
import { LazyAbortController, type AbortSource } from '../runtime/lazy-abort.js';
import type { ExecuteContext, NodeExecution } from './run-types.js';

/** What the graph run does when an attempt settles through its context; one object per run. */
export interface AttemptOutcomes {
  fulfilled(attempt: Attempt, execution: NodeExecution): void;
  rejected(attempt: Attempt, error: unknown): void;
}

/** Defers a settlement reported while `execute` is still running, so completions never nest inside the run's dispatch. */
const settledPromise = Promise.resolve();

/** The context of one attempt. @internal */
export class Attempt extends LazyAbortController implements ExecuteContext {
  readonly attempt: number;
  readonly runId: string;
  readonly node: string;
  /** Declaration index of the node. */
  readonly index: number;
  /** Epoch ms when `execute` was called. */
  readonly startedAt: number;
  /** Set once the executor has decided the attempt's outcome; later settlements are ignored. */
  settled = false;
  /** Timer of the attempt's timeout, if it has one. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Set by the run when `execute` reports the real start itself (`reportsStart`). */
  onStarted: ((where: { backend?: BackendKind; slot?: number }) => void) | undefined;
  /** Where the work runs, as reported by `started(where)`; kept for the node's result whatever the outcome. */
  where: { backend?: BackendKind; slot?: number } | undefined = undefined;
  /** True while `execute` runs for this attempt. */
  executing = false;
  #startReported = false;
  readonly #outcomes: AttemptOutcomes;

  constructor(index: number, node: string, attempt: number, runId: string, startedAt: number, outcomes: AttemptOutcomes) {
    super();
    this.#outcomes = outcomes;
    this.index = index;
    this.node = node;
    this.attempt = attempt;
    this.runId = runId;
    this.startedAt = startedAt;
  }

  /** Aborted on timeout or when the run stops; see {@link ExecuteContext.abortSource}. */
  get abortSource(): AbortSource {
    return this;
  }

  /** The work really started; reported once per attempt, and never after the attempt was decided. */
  started(where: { backend?: BackendKind; slot?: number } = {}): void {
    if (this.#startReported || this.settled) return;
    this.#startReported = true;
    this.where = where;
    this.onStarted?.(where);
  }

  /** {@inheritDoc ExecuteContext.succeed} */
  succeed(execution: NodeExecution): void {
    if (this.executing) void settledPromise.then(() => this.#outcomes.fulfilled(this, execution));
    else this.#outcomes.fulfilled(this, execution);
  }

  /** {@inheritDoc ExecuteContext.fail} */
  fail(error: unknown): void {
    if (this.executing) void settledPromise.then(() => this.#outcomes.rejected(this, error));
    else this.#outcomes.rejected(this, error);
  }

  /** The reason the attempt was aborted, if it was. */
  get abortReason(): unknown {
    return this.reason;
  }

  /** Marks the attempt decided and stops its timer. Returns false when it already was. */
  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    return true;
  }
}
