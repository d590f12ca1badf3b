/**
 * A counting limiter for orchestration work on the main thread (planning mappings): at most `limit`
 * callers run at once, the others wait in arrival order. It bounds orchestration only; leaf work
 * goes through the scheduler's slots.
 */
export class Limiter {
  readonly #limit: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  /** Most callers seen running at once (for tests and `explain`). */
  peak = 0;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /** Runs `fn` once a place is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    this.peak = Math.max(this.peak, this.#running);
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
