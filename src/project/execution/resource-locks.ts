/**
 * Locks on resources across the instances of one job run. Inside an instance the target graph
 * already orders a writer before its readers, but instances run side by side (`-j`), and a target
 * that every instance lists — Flowman's `stations`, an unpartitioned relation rebuilt from the
 * same file — would otherwise be written by two instances at once (the sinks' staged commits race)
 * or swapped away under another instance's reader, which then fails or silently reads nothing.
 *
 * A target's phase takes its locks before its clean check and holds them while it runs: the
 * resources it writes exclusively, those it reads shared. Locks are taken all at once or not at
 * all, and a holder never waits for another lock, so waiting cannot deadlock. Resources conflict
 * when they overlap as in the target graph (same kind and name, or nested paths, and partition
 * values that agree), so instances writing different partitions never wait for each other.
 */
import { resourceMatches, type Resource } from '../resources.js';

interface Held {
  readonly writes: readonly Resource[];
  readonly reads: readonly Resource[];
}

interface Waiter {
  readonly held: Held;
  readonly grant: () => void;
}

/** Shared and exclusive locks on resources, granted in arrival order where they do not conflict. */
export class ResourceLocks {
  readonly #held = new Set<Held>();
  readonly #waiting: Waiter[] = [];

  /**
   * Waits until nobody else writes what `writes` or `reads` name, nor reads what `writes` name,
   * then holds them; resolves to the function that releases them.
   */
  async acquire(writes: readonly Resource[], reads: readonly Resource[]): Promise<() => void> {
    const want: Held = { writes, reads };
    if (writes.length + reads.length === 0) return () => undefined;
    if (this.#free(want, this.#waiting.length)) this.#held.add(want);
    else await new Promise<void>((grant) => this.#waiting.push({ held: want, grant }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held.delete(want);
      this.#wake();
    };
  }

  /** Grants every waiter that conflicts with no holder and no earlier waiter. */
  #wake(): void {
    for (let i = 0; i < this.#waiting.length; i++) {
      const waiter = this.#waiting[i]!;
      if (!this.#free(waiter.held, i)) continue;
      this.#waiting.splice(i--, 1);
      this.#held.add(waiter.held);
      waiter.grant();
    }
  }

  /** True when `want` conflicts neither with a holder nor with one of the first `ahead` waiters. */
  #free(want: Held, ahead: number): boolean {
    for (const held of this.#held) if (conflicts(want, held)) return false;
    for (let i = 0; i < ahead; i++) if (conflicts(want, this.#waiting[i]!.held)) return false;
    return true;
  }
}

function conflicts(a: Held, b: Held): boolean {
  return a.writes.some((w) => b.writes.some((x) => overlap(w, x)) || b.reads.some((r) => overlap(w, r))) || b.writes.some((w) => a.reads.some((r) => overlap(w, r)));
}

function overlap(a: Resource, b: Resource): boolean {
  return resourceMatches(a, b) || resourceMatches(b, a);
}
