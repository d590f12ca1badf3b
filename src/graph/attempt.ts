/**
 * One attempt of one node: the {@link ExecuteContext} handed to `execute`, plus the executor's
 * bookkeeping for it. Its `signal` is created on first use, because most nodes of a large DAG
 * never look at it and an `AbortController` per node is a large share of the executor's cost;
 * an abort that arrives before the signal was asked for is remembered and applied on creation.
 */
import type { BackendKind } from '../events.js';
import type { ExecuteContext } from './run-types.js';

/** The context of one attempt. @internal */
export class Attempt implements ExecuteContext {
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
  where: { backend?: BackendKind; slot?: number } = {};
  #startReported = false;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  constructor(index: number, node: string, attempt: number, runId: string, startedAt: number) {
    this.index = index;
    this.node = node;
    this.attempt = attempt;
    this.runId = runId;
    this.startedAt = startedAt;
  }

  /** Aborted on timeout or when the run stops. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** The work really started; reported once per attempt, and never after the attempt was decided. */
  started(where: { backend?: BackendKind; slot?: number } = {}): void {
    if (this.#startReported || this.settled) return;
    this.#startReported = true;
    this.where = where;
    this.onStarted?.(where);
  }

  /** Aborts the signal (now, or when it is first asked for). The first reason wins. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  /** The reason the attempt was aborted, if it was. */
  get abortReason(): unknown {
    return this.#reason;
  }

  /** Marks the attempt decided and stops its timer. Returns false when it already was. */
  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    return true;
  }
}
