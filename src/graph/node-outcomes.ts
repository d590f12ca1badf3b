/**
 * The outcomes of one graph run's nodes, kept in typed arrays and turned into
 * {@link NodeResult} objects only when someone reads them.
 *
 * Why: in a large DAG of short nodes almost every node succeeds, and a result object per node,
 * plus the map holding them, was a large share of what a run allocated — yet most callers only
 * look at the run's status. A success is a few numbers written into preallocated arrays; any
 * other outcome (failed, skipped, cancelled) is rare and keeps its object.
 */
import type { BackendKind } from '../events.js';
import type { NodeResult, NodeStatus } from './run-types.js';

const BACKENDS: ReadonlyArray<BackendKind | undefined> = [undefined, 'async', 'thread', 'process'];
/** Flags of a success. */
const HAS_VALUE = 1;
const CACHED = 2;
const NOT_CACHED = 4;

/** Per node of one run: its success in typed arrays, or its other outcome as an object. @internal */
export class NodeOutcomes {
  readonly #ids: readonly string[];
  /** 1 for a node that succeeded (its result is in the arrays). */
  readonly #succeeded: Uint8Array;
  readonly #flags: Uint8Array;
  readonly #backend: Uint8Array;
  readonly #slot: Int32Array;
  readonly #attempts: Int32Array;
  /** Start and end (epoch ms) of node i at 2i and 2i + 1. */
  readonly #times: Float64Array;
  readonly #values: unknown[];
  readonly #others: (NodeResult | undefined)[];

  constructor(ids: readonly string[]) {
    const n = ids.length;
    this.#ids = ids;
    this.#succeeded = new Uint8Array(n);
    this.#flags = new Uint8Array(n);
    this.#backend = new Uint8Array(n);
    this.#slot = new Int32Array(n);
    this.#attempts = new Int32Array(n);
    this.#times = new Float64Array(2 * n);
    this.#values = new Array<unknown>(n);
    this.#others = new Array<NodeResult | undefined>(n);
  }

  /**
   * Records that node `i` succeeded (positional arguments: an object per node is what this class
   * avoids); `value` only when the attempt reported one (`hasValue`).
   */
  succeed(
    i: number,
    attempts: number,
    startedAt: number,
    endedAt: number,
    backend: BackendKind | undefined,
    slot: number | undefined,
    cached: boolean | undefined,
    hasValue: boolean,
    value: unknown,
  ): void {
    this.#succeeded[i] = 1;
    this.#attempts[i] = attempts;
    this.#times[2 * i] = startedAt;
    this.#times[2 * i + 1] = endedAt;
    this.#backend[i] = backend === undefined ? 0 : BACKENDS.indexOf(backend);
    this.#slot[i] = slot ?? -1;
    let flags = cached === undefined ? 0 : cached ? CACHED : NOT_CACHED;
    if (hasValue) {
      flags |= HAS_VALUE;
      this.#values[i] = value;
    }
    this.#flags[i] = flags;
  }

  /** Records any other outcome of node `i`. */
  decide(i: number, result: NodeResult): void {
    this.#others[i] = result;
  }

  /** The status of a decided node, else `not-run`. */
  status(i: number): NodeStatus {
    return this.#succeeded[i] === 1 ? 'succeeded' : (this.#others[i]?.status ?? 'not-run');
  }

  /** Node `i`'s result, made now for a success. */
  result(i: number): NodeResult {
    const id = this.#ids[i]!;
    if (this.#succeeded[i] !== 1) return this.#others[i] ?? { id, status: 'not-run', attempts: 0 };
    const startedAt = this.#times[2 * i]!;
    const endedAt = this.#times[2 * i + 1]!;
    const result: NodeResult = { id, status: 'succeeded', attempts: this.#attempts[i]!, startedAt, endedAt, durationMs: endedAt - startedAt };
    const backend = BACKENDS[this.#backend[i]!];
    const slot = this.#slot[i]!;
    const flags = this.#flags[i]!;
    if (backend !== undefined) result.backend = backend;
    if (slot >= 0) result.slot = slot;
    if ((flags & (CACHED | NOT_CACHED)) !== 0) result.cached = (flags & CACHED) !== 0;
    if ((flags & HAS_VALUE) !== 0) result.value = this.#values[i];
    return result;
  }

  /** Every node's result, in declaration order. */
  toMap(): Map<string, NodeResult> {
    const nodes = new Map<string, NodeResult>();
    for (let i = 0; i < this.#ids.length; i++) nodes.set(this.#ids[i]!, this.result(i));
    return nodes;
  }
}
