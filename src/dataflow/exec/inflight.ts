/**
 * The task attempts of one job that are still running somewhere, so that a failed or cancelled
 * job waits until they have really stopped before it cleans up (removes a write's staging folder)
 * and rejects. The scheduler rejects an aborted task at once but reports when its attempt no longer
 * occupies its worker (`onAttemptEnd`); the in-process backend cannot stop user code at all, so
 * task bodies running in this thread are tracked here too, by the job's run key.
 */

/** Task bodies running in this thread, by the run key of their job. */
const bodies = new Map<string, Set<Promise<unknown>>>();

/** Tracks a task body running in this thread until it settles. */
export function trackBody<T>(runKey: string | undefined, body: Promise<T>): Promise<T> {
  if (runKey === undefined) return body;
  let set = bodies.get(runKey);
  if (set === undefined) bodies.set(runKey, (set = new Set()));
  set.add(body);
  const forget = (): void => {
    set.delete(body);
    if (set.size === 0 && bodies.get(runKey) === set) bodies.delete(runKey);
  };
  body.then(forget, forget);
  return body;
}

/** One job's attempts in flight. */
export class Inflight {
  readonly runKey: string;
  readonly #attempts = new Set<Promise<void>>();

  constructor(runKey: string) {
    this.runKey = runKey;
  }

  /** An attempt took a slot; returns the function to call when it no longer occupies its worker. */
  started(): () => void {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    this.#attempts.add(ended);
    return () => {
      this.#attempts.delete(ended);
      end();
    };
  }

  /** Resolves once every attempt and every in-thread task body of the job has stopped. */
  async stopped(): Promise<void> {
    for (;;) {
      const pending = [...this.#attempts, ...(bodies.get(this.runKey) ?? [])];
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }
}
