/**
 * Rows per string join key, for counting a join from typed key columns (see `countJoinMatches`;
 * number keys are counted by number-join-count.ts). A string never equals a number.
 */

/** Counts of distinct string keys on the build side, probed by the other side. */
export class KeyCounts {
  readonly #strings = new Map<string, { count: number; matched: boolean }>();

  /** Adds `rows` build-side rows with a string key. */
  addString(key: string, rows: number): void {
    const entry = this.#strings.get(key);
    if (entry === undefined) this.#strings.set(key, { count: rows, matched: false });
    else entry.count += rows;
  }

  /** Build-side rows with this string key (0 when none), marking the key matched. */
  probeString(key: string): number {
    const entry = this.#strings.get(key);
    if (entry === undefined) return 0;
    entry.matched = true;
    return entry.count;
  }

  /** Build-side rows whose key no probe matched. */
  unmatched(): number {
    let rows = 0;
    for (const entry of this.#strings.values()) if (!entry.matched) rows += entry.count;
    return rows;
  }
}
