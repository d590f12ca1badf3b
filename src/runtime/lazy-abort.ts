/**
 * Cancellation that makes an `AbortSignal` only when someone asks for one.
 *
 * Why: in Node 20 creating an `AbortSignal` costs microseconds (more than the whole dispatch of a
 * task), and every task of a run used to get several — one per layer that may abort it (the graph
 * attempt, the scheduler task, the backend run). Yet almost no task is ever aborted, and a short
 * step rarely reads `ctx.signal`. A {@link LazyAbortController} records an abort and calls plain
 * listeners; its `signal` is created on first read, already aborted if the abort came first, so
 * code that does read it sees exactly what a real controller would give it.
 *
 * {@link AbortSource} is what the layers hand each other instead of a signal; an `AbortSignal`
 * becomes one with {@link abortSourceOf}.
 */
import { setMaxListeners } from 'node:events';

/**
 * Called once, when the source aborts; read the source's `reason` for why. An object with a
 * `handleEvent` method (as `EventTarget` takes) lets a long-lived record listen without a closure.
 */
export type AbortListener = (() => void) | { handleEvent(): void };

/**
 * Something that may abort, readable without creating an `AbortSignal`: `aborted` and `reason`
 * as on a signal, plain listeners, and the signal itself on demand.
 */
export interface AbortSource {
  readonly aborted: boolean;
  /** The abort reason; undefined until aborted. */
  readonly reason: unknown;
  /** An `AbortSignal` that aborts with this source (created on first read by lazy sources). */
  readonly signal: AbortSignal;
  /** Calls `listener` once when the source aborts. Never called for a source already aborted: check `aborted` first. */
  addAbortListener(listener: AbortListener): void;
  /** Removes a listener added with {@link AbortSource.addAbortListener}. */
  removeAbortListener(listener: AbortListener): void;
}

/** An abort controller whose `AbortSignal` exists only once read. The first reason wins. */
export class LazyAbortController implements AbortSource {
  readonly #manyListeners: boolean;
  #aborted = false;
  #reason: unknown = undefined;
  #controller: AbortController | undefined = undefined;
  /** One listener is the common case: kept without a collection. */
  #listener: AbortListener | undefined = undefined;
  #more: Set<AbortListener> | undefined = undefined;

  /**
   * @param options.manyListeners - the signal will be shared by many runs, each of which may listen
   * to it: lift its listener limit (no `MaxListenersExceededWarning`).
   */
  constructor(options?: { manyListeners?: boolean }) {
    this.#manyListeners = options?.manyListeners === true;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** The signal, created on first read (already aborted with the reason when the abort came first). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#manyListeners) setMaxListeners(0, this.#controller.signal);
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  addAbortListener(listener: AbortListener): void {
    if (this.#aborted) return;
    if (this.#listener === undefined && this.#more === undefined) this.#listener = listener;
    else (this.#more ??= new Set()).add(listener);
  }

  removeAbortListener(listener: AbortListener): void {
    if (this.#listener === listener) this.#listener = undefined;
    else this.#more?.delete(listener);
  }

  /** Aborts: plain listeners first (in the order added), then the signal's, if it was created. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const first = this.#listener;
    const more = this.#more;
    this.#listener = undefined;
    this.#more = undefined;
    if (first !== undefined) call(first);
    if (more !== undefined) for (const listener of more) call(listener);
    this.#controller?.abort(reason);
  }
}

function call(listener: AbortListener): void {
  if (typeof listener === 'function') listener();
  else listener.handleEvent();
}

/** An `AbortSignal` seen as an {@link AbortSource} (its listeners are the signal's own). */
class SignalSource implements AbortSource {
  readonly signal: AbortSignal;
  constructor(signal: AbortSignal) {
    this.signal = signal;
  }
  get aborted(): boolean {
    return this.signal.aborted;
  }
  get reason(): unknown {
    const reason: unknown = this.signal.reason;
    return reason;
  }
  addAbortListener(listener: AbortListener): void {
    this.signal.addEventListener('abort', listener, { once: true });
  }
  removeAbortListener(listener: AbortListener): void {
    this.signal.removeEventListener('abort', listener);
  }
}

/** True for an {@link AbortSource}, false for a plain `AbortSignal`. */
export function isAbortSource(value: AbortSignal | AbortSource): value is AbortSource {
  return typeof (value as Partial<AbortSource>).addAbortListener === 'function';
}

/** `value` as an {@link AbortSource}: itself when it is one, else a view of the signal. */
export function abortSourceOf(value: AbortSignal | AbortSource): AbortSource {
  return isAbortSource(value) ? value : new SignalSource(value);
}
