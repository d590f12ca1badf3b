/**
 * A small seeded pseudo-random generator, so the weather data is the same on every machine and
 * every run: the same seed gives the same stations, lines and files, byte for byte.
 */

/** Deterministic random numbers from a 32-bit seed (a mulberry32-style generator). */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A normally distributed number (Box–Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A generator for one part of the data (a year, a file) from the base seed and salts. */
  static derive(seed: number, ...salts: number[]): Random {
    let h = seed >>> 0;
    for (const salt of salts) h = Math.imul(h ^ (salt >>> 0), 0x9e3779b1) ^ (h >>> 13);
    return new Random(h);
  }
}
