/**
 * The scheduler's slot table: how many tasks each slot has in flight. A slot normally runs one
 * task; for task sets whose tasks take under a millisecond, a busy slot may take up to
 * {@link PIPELINE_DEPTH} more, queued inside its worker, so tiny tasks do not pay one scheduler
 * round trip each.
 */

/** Further tasks a busy slot may take for a short-task task set. */
export const PIPELINE_DEPTH = 8;

/** In-flight counts per slot; the lowest suitable slot is always taken, so orders are deterministic. */
export class SlotTable {
  readonly size: number;
  readonly #inFlight: Int32Array;
  #idle: number;

  constructor(size: number) {
    this.size = size;
    this.#inFlight = new Int32Array(size);
    this.#idle = size;
  }

  /** Slots with nothing in flight. */
  get idle(): number {
    return this.#idle;
  }

  /** Tasks in flight on `slot`. */
  inFlight(slot: number): number {
    return this.#inFlight[slot] ?? 0;
  }

  /**
   * Takes the lowest idle slot, or with `pipelined` the least-loaded slot below its pipeline depth.
   * Returns -1 when none fits.
   */
  acquire(pipelined: boolean): number {
    const counts = this.#inFlight;
    if (this.#idle > 0) {
      for (let slot = 0; slot < counts.length; slot++) {
        if (counts[slot] === 0) {
          this.take(slot);
          return slot;
        }
      }
    }
    if (!pipelined) return -1;
    let best = -1;
    let least = PIPELINE_DEPTH + 1;
    for (let slot = 0; slot < counts.length; slot++) {
      const count = counts[slot] ?? least;
      if (count < least) {
        best = slot;
        least = count;
      }
    }
    if (best >= 0) this.take(best);
    return best;
  }

  /** Adds a task to `slot` whatever its load (a nested parent resuming on its old slot). */
  take(slot: number): void {
    if (this.#inFlight[slot] === 0) this.#idle--;
    this.#inFlight[slot] = (this.#inFlight[slot] ?? 0) + 1;
  }

  /** Removes a task from `slot`. */
  release(slot: number): void {
    const count = (this.#inFlight[slot] ?? 1) - 1;
    this.#inFlight[slot] = count;
    if (count === 0) this.#idle++;
  }
}
