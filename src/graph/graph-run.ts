/**
 * The state machine of one graph run. It is event-driven rather than a loop that awaits: a
 * node's completion decrements its dependents' counters of unmet dependencies, pushes those that
 * reach zero on a heap ordered by declaration index, and starts ready nodes while fewer than
 * `parallelism` are in flight. Per node that is a counter, a heap push and pop, one context
 * object and the promise `execute` returns, which keeps scheduling far cheaper than the work.
 *
 * Invariants: a node is in flight from its first attempt until its outcome is decided (its
 * back-off waits included); `#inFlight` counts exactly those; an outcome is decided once
 * (`Attempt.settle`), so a late settlement of a timed-out or cancelled attempt is ignored.
 */
import { CancelledError, TimeoutError, describeValue, serializeError } from '../errors.js';
import type { EventStream, NodeEvent, NodeEventType, RunEventType } from '../events.js';
import { Attempt, type AttemptOutcomes } from './attempt.js';
import type { Dag, GraphNode, Topology } from './dag.js';
import { topologyOf } from './dag.js';
import { IndexHeap } from './index-heap.js';
import { NodeOutcomes } from './node-outcomes.js';
import type { GraphRunResult, NodeExecution, NodeResult, RunGraphOptions, RunStatus } from './run-types.js';

const PENDING = 0;
const READY = 1;
const IN_FLIGHT = 2;
const DECIDED = 3;

/** Resolved options: everything {@link GraphRun} needs, defaults applied. @internal */
export interface GraphRunSettings<T> {
  name: string;
  runId: string;
  parallelism: number;
  keepGoing: boolean;
  /** Cap of the back-off of nodes that set none. */
  retryMaxDelayMs: number;
  signal: AbortSignal | undefined;
  events: EventStream | undefined;
  reportsStart: boolean;
  execute: RunGraphOptions<T>['execute'];
}

/** One run of a DAG; use once. @internal */
export class GraphRun<T> {
  readonly #nodes: ReadonlyArray<GraphNode<T>>;
  readonly #t: Topology;
  readonly #s: GraphRunSettings<T>;
  readonly #remaining: Int32Array;
  readonly #state: Uint8Array;
  readonly #attempts: Int32Array;
  readonly #current: (Attempt | undefined)[];
  readonly #outcomes: NodeOutcomes;
  readonly #backoff = new Map<number, ReturnType<typeof setTimeout>>();
  readonly #heap: IndexHeap;
  #inFlight = 0;
  #startedAt = 0;
  /** Nothing new starts once set. */
  #stopped = false;
  #cancelled = false;
  #done = false;
  #error: Error | undefined;
  #failed = false;
  #stopReason: CancelledError | undefined;
  #resolve: (result: GraphRunResult) => void = () => {};

  constructor(dag: Dag<T>, settings: GraphRunSettings<T>) {
    this.#nodes = dag.nodes;
    this.#t = topologyOf(dag);
    this.#s = settings;
    const n = this.#t.size;
    this.#remaining = this.#t.indegree.slice();
    this.#state = new Uint8Array(n);
    this.#attempts = new Int32Array(n);
    this.#current = new Array<Attempt | undefined>(n);
    this.#outcomes = new NodeOutcomes(this.#t.ids);
    this.#heap = new IndexHeap(n);
  }

  /** Starts the run; resolves when every node is decided or the run has stopped. */
  run(): Promise<GraphRunResult> {
    const promise = new Promise<GraphRunResult>((resolve) => (this.#resolve = resolve));
    this.#startedAt = Date.now();
    this.#emitRun('run.started', this.#startedAt);
    const { signal } = this.#s;
    if (signal?.aborted) {
      this.#cancel();
      return promise;
    }
    signal?.addEventListener('abort', this.#onAbort);
    const { indegree } = this.#t;
    // A listener may cancel the run from inside any event; every emit point checks for that.
    for (let i = 0; i < indegree.length && !this.#stopped; i++) if (indegree[i] === 0) this.#makeReady(i);
    this.#pump();
    this.#checkDone();
    return promise;
  }

  readonly #onAbort = (): void => this.#cancel();

  #makeReady(i: number): void {
    this.#state[i] = READY;
    this.#heap.push(i);
    if (this.#s.events?.wants('node.queued')) this.#emitNode('node.queued', i, 1, {});
  }

  #pump(): void {
    const heap = this.#heap;
    while (!this.#stopped && this.#inFlight < this.#s.parallelism && heap.size > 0) {
      const i = heap.pop();
      this.#state[i] = IN_FLIGHT;
      this.#inFlight++;
      this.#startAttempt(i);
    }
  }

  #startAttempt(i: number): void {
    const node = this.#nodes[i]!;
    const attempt = new Attempt(i, node.id, ++this.#attempts[i]!, this.#s.runId, Date.now(), this.#settlers);
    this.#current[i] = attempt;
    if (this.#s.events?.wants('node.started')) {
      if (this.#s.reportsStart) {
        attempt.onStarted = (where) => this.#emitNode('node.started', i, attempt.attempt, where);
      } else {
        this.#emitNode('node.started', i, attempt.attempt, {});
        if (attempt.settled) return;
      }
    }
    if (node.timeoutMs !== undefined) attempt.timer = setTimeout(this.#onTimeout, node.timeoutMs, attempt, node.timeoutMs);
    let promise: Promise<NodeExecution> | undefined;
    attempt.executing = true;
    try {
      promise = this.#s.execute(node, attempt);
    } catch (error) {
      // Handled on the promise path like any rejection, so completions never nest inside #pump.
      promise = Promise.reject(toError(error));
    } finally {
      attempt.executing = false;
    }
    // Nothing returned: the attempt settles through ctx.succeed / ctx.fail.
    if (promise === undefined) return;
    if (!(promise instanceof Promise)) promise = Promise.resolve(promise);
    promise.then(
      (execution) => this.#onFulfilled(attempt, execution),
      (error: unknown) => this.#onRejected(attempt, error),
    );
  }

  readonly #settlers: AttemptOutcomes = {
    fulfilled: (attempt, execution) => this.#onFulfilled(attempt, execution),
    rejected: (attempt, error) => this.#onRejected(attempt, error),
  };

  readonly #onTimeout = (attempt: Attempt, timeoutMs: number): void => {
    if (!attempt.settle()) return;
    const error = new TimeoutError(`node ${JSON.stringify(attempt.node)} ran longer than ${timeoutMs} ms`, timeoutMs);
    attempt.abort(error);
    this.#attemptFailed(attempt, error);
  };

  #onFulfilled(attempt: Attempt, execution: NodeExecution | undefined): void {
    if (!attempt.settle()) return;
    const i = attempt.index;
    const ex: NodeExecution = typeof execution === 'object' && execution !== null ? execution : {};
    const startedAt = ex.startedAt ?? attempt.startedAt;
    const endedAt = ex.endedAt ?? Date.now();
    const backend = ex.backend ?? attempt.where?.backend;
    const slot = ex.slot ?? attempt.where?.slot;
    if (ex.skipped) {
      const result: NodeResult = { id: attempt.node, status: 'skipped', attempts: attempt.attempt, startedAt, endedAt, durationMs: endedAt - startedAt };
      if (backend !== undefined) result.backend = backend;
      if (slot !== undefined) result.slot = slot;
      if (ex.cached !== undefined) result.cached = ex.cached;
      result.reason = ex.skipped.reason;
      this.#decide(i, result);
      this.#skipDependents(i);
    } else {
      this.#outcomes.succeed(i, attempt.attempt, startedAt, endedAt, backend, slot, ex.cached, 'value' in ex, ex.value);
      this.#leave(i);
      if (this.#s.events?.wants('node.succeeded')) this.#emitNode('node.succeeded', i, attempt.attempt, eventFields(this.#outcomes.result(i)));
      if (!this.#stopped) this.#release(i);
    }
    this.#pump();
    this.#checkDone();
  }

  #onRejected(attempt: Attempt, error: unknown): void {
    if (!attempt.settle()) return;
    this.#attemptFailed(attempt, toError(error));
  }

  #attemptFailed(attempt: Attempt, error: Error): void {
    const i = attempt.index;
    const node = this.#nodes[i]!;
    const endedAt = Date.now();
    const times = { startedAt: attempt.startedAt, endedAt, durationMs: endedAt - attempt.startedAt, ...whereOf(attempt) };
    if (this.#stopped) {
      // Only a fail-fast stop gets here: a cancelled run decides its running nodes at once.
      const cancelled = isCancellation(error, attempt.abortReason);
      const status = cancelled ? 'cancelled' : 'failed';
      const reason = cancelled ? { reason: this.#stopReason?.message ?? error.message } : {};
      this.#decide(i, { id: node.id, status, error, attempts: attempt.attempt, ...times, ...reason });
    } else if (attempt.attempt <= (node.retries ?? 0)) {
      const delayMs = Math.min((node.retryDelayMs ?? 0) * 2 ** (attempt.attempt - 1), node.retryMaxDelayMs ?? this.#s.retryMaxDelayMs);
      // The timer is set before the event so that a listener cancelling the run clears it.
      if (delayMs > 0) this.#backoff.set(i, setTimeout(this.#afterBackoff, delayMs, i));
      if (this.#s.events?.wants('node.retried')) {
        this.#emitNode('node.retried', i, attempt.attempt, { error: serializeError(error), delayMs, durationMs: times.durationMs });
      }
      if (delayMs === 0 && this.#state[i] === IN_FLIGHT) this.#startAttempt(i);
      return;
    } else {
      if (!this.#failed) {
        this.#failed = true;
        this.#error = error;
      }
      this.#decide(i, { id: node.id, status: 'failed', error, attempts: attempt.attempt, ...times });
      if (this.#s.keepGoing) this.#skipDependents(i);
      else this.#stop(new CancelledError(`run failed fast after node ${JSON.stringify(node.id)} failed`, { cause: error }));
    }
    this.#pump();
    this.#checkDone();
  }

  readonly #afterBackoff = (i: number): void => {
    this.#backoff.delete(i);
    if (this.#state[i] === IN_FLIGHT) this.#startAttempt(i);
  };

  /** Records a node's outcome other than success; a node in flight leaves the count. */
  #decide(i: number, result: NodeResult): void {
    this.#outcomes.decide(i, result);
    this.#leave(i);
    const type = `node.${result.status}` as NodeEventType;
    if (this.#s.events?.wants(type)) this.#emitNode(type, i, result.attempts, eventFields(result));
  }

  /** Node `i` is decided: a node in flight leaves the count. */
  #leave(i: number): void {
    if (this.#state[i] === IN_FLIGHT) this.#inFlight--;
    this.#state[i] = DECIDED;
    this.#current[i] = undefined;
  }

  /** A node succeeded: dependents whose last unmet dependency it was become ready. */
  #release(i: number): void {
    const { dependentStart, dependentList } = this.#t;
    const remaining = this.#remaining;
    for (let k = dependentStart[i]!, end = dependentStart[i + 1]!; k < end; k++) {
      const j = dependentList[k]!;
      if (--remaining[j]! === 0 && this.#state[j] === PENDING) this.#makeReady(j);
    }
  }

  /** A node failed or was skipped: every transitive dependent not yet decided is skipped. */
  #skipDependents(root: number): void {
    const { dependentStart, dependentList, ids } = this.#t;
    const stack = [root];
    while (stack.length > 0 && !this.#done) {
      const u = stack.pop()!;
      const reason = `dependency ${ids[u]!} ${this.#outcomes.status(u) === 'failed' ? 'failed' : 'was skipped'}`;
      for (let k = dependentStart[u]!, end = dependentStart[u + 1]!; k < end; k++) {
        const j = dependentList[k]!;
        if (this.#state[j] !== PENDING) continue;
        this.#decide(j, { id: ids[j]!, status: 'skipped', attempts: 0, reason });
        stack.push(j);
      }
    }
  }

  /** Fail-fast: nothing new starts; running attempts are told to abort and decide themselves. */
  #stop(reason: CancelledError): void {
    this.#stopped = true;
    this.#stopReason = reason;
    for (let i = 0; i < this.#state.length; i++) {
      if (this.#state[i] !== IN_FLIGHT) continue;
      // Between two attempts (a back-off) there is nothing to abort: the node is cancelled now.
      const attempt = this.#current[i];
      if (this.#backoff.has(i) || !attempt || attempt.settled) this.#cancelNode(i, reason);
      else attempt.abort(reason);
    }
  }

  /** The run's signal aborted: every node in flight is cancelled now, without waiting for it. */
  #cancel(): void {
    if (this.#done || this.#cancelled) return;
    const raw: unknown = this.#s.signal?.reason;
    const reason = raw instanceof CancelledError ? raw : new CancelledError(`run ${JSON.stringify(this.#s.name)} was cancelled`, { cause: raw });
    this.#cancelled = true;
    this.#stopped = true;
    this.#stopReason ??= reason;
    if (!this.#failed) this.#error = reason;
    for (let i = 0; i < this.#state.length; i++) if (this.#state[i] === IN_FLIGHT) this.#cancelNode(i, reason);
    this.#checkDone();
  }

  #cancelNode(i: number, reason: CancelledError): void {
    const timer = this.#backoff.get(i);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#backoff.delete(i);
    }
    const attempt = this.#current[i];
    const alive = attempt?.settle() ?? false;
    attempt?.abort(reason);
    const endedAt = Date.now();
    const result: NodeResult = { id: this.#t.ids[i]!, status: 'cancelled', error: reason, attempts: this.#attempts[i]!, endedAt, reason: reason.message };
    if (alive && attempt) Object.assign(result, { startedAt: attempt.startedAt, durationMs: endedAt - attempt.startedAt }, whereOf(attempt));
    this.#decide(i, result);
  }

  #checkDone(): void {
    if (this.#done || this.#inFlight > 0 || (!this.#stopped && this.#heap.size > 0)) return;
    this.#done = true;
    this.#s.signal?.removeEventListener('abort', this.#onAbort);
    const endedAt = Date.now();
    const status: RunStatus = this.#failed ? 'failed' : this.#cancelled ? 'cancelled' : 'succeeded';
    this.#emitRun(`run.${status}`, endedAt);
    this.#resolve(runResult(this.#s.runId, status, this.#startedAt, endedAt, this.#outcomes, this.#error));
  }

  #emitNode(type: NodeEventType, i: number, attempt: number, extra: Partial<NodeEvent>): void {
    this.#s.events?.emit({ type, runId: this.#s.runId, node: this.#t.ids[i]!, time: Date.now(), attempt, ...extra });
  }

  #emitRun(type: RunEventType, time: number): void {
    const events = this.#s.events;
    if (!events?.wants(type)) return;
    const { name, runId } = this.#s;
    if (type === 'run.started') events.emit({ type, runId, name, time, nodes: this.#t.size });
    else if (this.#error && type !== 'run.succeeded') events.emit({ type, runId, name, time, error: serializeError(this.#error) });
    else events.emit({ type, runId, name, time });
  }
}

/**
 * A run's result whose `nodes` map is built on first read (an own enumerable property, so that
 * spreading or comparing the result sees it).
 */
function runResult(runId: string, status: RunStatus, startedAt: number, endedAt: number, outcomes: NodeOutcomes, error: Error | undefined): GraphRunResult {
  const result = { runId, status, startedAt, endedAt } as GraphRunResult;
  Object.defineProperty(result, 'nodes', {
    enumerable: true,
    configurable: true,
    get(): Map<string, NodeResult> {
      const nodes = outcomes.toMap();
      Object.defineProperty(result, 'nodes', { value: nodes, enumerable: true, writable: true, configurable: true });
      return nodes;
    },
    set(nodes: Map<string, NodeResult>): void {
      Object.defineProperty(result, 'nodes', { value: nodes, enumerable: true, writable: true, configurable: true });
    },
  });
  if (error) result.error = error;
  return result;
}

/** The fields of a `node.<status>` event taken from the node's result. */
function eventFields(result: NodeResult): Partial<NodeEvent> {
  const extra: Partial<NodeEvent> = {};
  for (const key of ['backend', 'slot', 'reason', 'durationMs', 'cached'] as const) {
    if (result[key] !== undefined) (extra as Record<string, unknown>)[key] = result[key];
  }
  if (result.error && result.status === 'failed') extra.error = serializeError(result.error);
  return extra;
}

/** The backend and slot an attempt reported with `started(where)`, for its node's result. */
function whereOf(attempt: Attempt): Pick<NodeResult, 'backend' | 'slot'> {
  if (attempt.where === undefined) return {};
  const { backend, slot } = attempt.where;
  return { ...(backend !== undefined ? { backend } : {}), ...(slot !== undefined ? { slot } : {}) };
}

/** True when an attempt rejected because it was told to abort, rather than for its own reason. */
function isCancellation(error: Error, abortReason: unknown): boolean {
  return error === abortReason || error instanceof CancelledError || error.name === 'AbortError';
}

function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : `execute rejected with ${describeValue(value)}`, { cause: value });
}
