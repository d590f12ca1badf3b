/**
 * Rows per join key, for counting a join from typed key columns (see `countJoinMatches`). Number
 * keys live in an open-addressing table of `[key, count]` pairs in one `Float64Array` (a probe reads
 * one cache line; no boxed number or Map entry per key), string keys in a `Map`. Keys compare as
 * the generic join compares them (`groupKey`): `-0` equals `0`, `NaN` equals `NaN`, and a string
 * never equals a number.
 */

/** Counts of distinct keys on the build side, probed by the other side. */
export class KeyCounts {
  /** `[key, count]` per bucket; count 0 marks an empty bucket. */
  #pairs: Float64Array;
  /** Per bucket: 1 once a probe matched it (only tracked when asked for). */
  #matched: Uint8Array | undefined;
  #numbers = 0;
  #nan = { count: 0, matched: false };
  readonly #strings = new Map<string, { count: number; matched: boolean }>();
  readonly #trackMatches: boolean;

  /**
   * @param expected - about how many rows will be added (sizes the table once).
   * @param trackMatches - remember which keys a probe matched, for {@link KeyCounts.unmatched}.
   */
  constructor(expected: number, trackMatches: boolean) {
    let buckets = 1024;
    while (buckets < expected * 2) buckets *= 2;
    this.#pairs = new Float64Array(buckets * 2);
    this.#trackMatches = trackMatches;
    this.#matched = trackMatches ? new Uint8Array(buckets) : undefined;
  }

  /** Adds one build-side row with a number key. */
  addNumber(key: number): void {
    if (key !== key) {
      this.#nan.count++;
      return;
    }
    const k = key + 0; // -0 → 0
    const pairs = this.#pairs;
    const mask = (pairs.length >> 1) - 1;
    for (let bucket = hashNumber(k) & mask; ; bucket = (bucket + 1) & mask) {
      const at = bucket << 1;
      if (pairs[at + 1] === 0) {
        pairs[at] = k;
        pairs[at + 1] = 1;
        if (++this.#numbers * 2 > mask + 1) this.#grow();
        return;
      }
      if (pairs[at] === k) {
        pairs[at + 1]!++;
        return;
      }
    }
  }

  /** Adds `rows` build-side rows with a string key. */
  addString(key: string, rows: number): void {
    const entry = this.#strings.get(key);
    if (entry === undefined) this.#strings.set(key, { count: rows, matched: false });
    else entry.count += rows;
  }

  /** Build-side rows with this number key (0 when none), marking the key matched. */
  probeNumber(key: number): number {
    if (key !== key) {
      this.#nan.matched ||= this.#nan.count > 0;
      return this.#nan.count;
    }
    const k = key + 0;
    const pairs = this.#pairs;
    const mask = (pairs.length >> 1) - 1;
    for (let bucket = hashNumber(k) & mask; ; bucket = (bucket + 1) & mask) {
      const at = bucket << 1;
      const count = pairs[at + 1]!;
      if (count === 0) return 0;
      if (pairs[at] === k) {
        if (this.#matched !== undefined) this.#matched[bucket] = 1;
        return count;
      }
    }
  }

  /** Build-side rows with this string key (0 when none), marking the key matched. */
  probeString(key: string): number {
    const entry = this.#strings.get(key);
    if (entry === undefined) return 0;
    entry.matched = true;
    return entry.count;
  }

  /** Build-side rows whose key no probe matched (needs `trackMatches`). */
  unmatched(): number {
    let rows = this.#nan.matched ? 0 : this.#nan.count;
    for (const entry of this.#strings.values()) if (!entry.matched) rows += entry.count;
    const pairs = this.#pairs;
    const matched = this.#matched!;
    for (let bucket = 0; bucket < matched.length; bucket++) if (matched[bucket] === 0) rows += pairs[(bucket << 1) + 1]!;
    return rows;
  }

  /** Doubles the table (only when `expected` was too low). */
  #grow(): void {
    const old = this.#pairs;
    const oldMatched = this.#matched;
    this.#pairs = new Float64Array(old.length * 2);
    this.#matched = this.#trackMatches ? new Uint8Array(old.length) : undefined;
    this.#numbers = 0;
    const pairs = this.#pairs;
    const mask = (pairs.length >> 1) - 1;
    for (let at = 0; at < old.length; at += 2) {
      const count = old[at + 1]!;
      if (count === 0) continue;
      let bucket = hashNumber(old[at]!) & mask;
      while (pairs[(bucket << 1) + 1] !== 0) bucket = (bucket + 1) & mask;
      pairs[bucket << 1] = old[at]!;
      pairs[(bucket << 1) + 1] = count;
      if (oldMatched !== undefined && oldMatched[at >> 1] === 1) this.#matched![bucket] = 1;
      this.#numbers++;
    }
  }
}

const bits = new Float64Array(1);
const words = new Int32Array(bits.buffer);

/** A well-mixed 32-bit hash of a number (not NaN, not -0). */
function hashNumber(k: number): number {
  let h: number;
  if ((k | 0) === k) h = k;
  else {
    bits[0] = k;
    h = words[0]! ^ Math.imul(words[1]!, 0x9e3779b1);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
