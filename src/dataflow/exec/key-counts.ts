/**
 * Rows per join key, for counting a join from typed key columns (see `countJoinMatches`). Number
 * keys live in an open-addressing table over a `Float64Array` (no boxed number or Map entry per
 * key), string keys in a `Map`; either way a key gets a slot with a count and a matched flag.
 * Keys compare as the generic join compares them (`groupKey`): `-0` equals `0`, `NaN` equals
 * `NaN`, and a string never equals a number.
 */

/** Slot counts of distinct keys, with the table that finds a key's slot. */
export class KeyCounts {
  /** Rows per slot. */
  counts = new Float64Array(1024);
  /** Per slot: 1 once a probe matched it. */
  matched = new Uint8Array(1024);
  /** Slots in use. */
  size = 0;
  #keys = new Float64Array(1024);
  /** Open-addressing table: 1 + slot, or 0 for an empty bucket. */
  #table = new Int32Array(2048);
  #numbers = 0;
  #nanSlot = -1;
  readonly #strings = new Map<string, number>();

  /** The slot of a number key; with `create`, a new slot for a new key, else -1. */
  numberSlot(key: number, create: boolean): number {
    if (key !== key) {
      if (this.#nanSlot < 0 && create) this.#nanSlot = this.#newSlot();
      return this.#nanSlot;
    }
    const k = key + 0; // -0 → 0
    const table = this.#table;
    const mask = table.length - 1;
    for (let bucket = hashNumber(k) & mask; ; bucket = (bucket + 1) & mask) {
      const entry = table[bucket]!;
      if (entry === 0) break;
      if (this.#keys[entry - 1] === k) return entry - 1;
    }
    if (!create) return -1;
    const slot = this.#newSlot();
    this.#keys[slot] = k;
    this.#insert(slot, k);
    if (++this.#numbers * 2 > table.length) this.#rehash();
    return slot;
  }

  /** The slot of a string key; with `create`, a new slot for a new key, else -1. */
  stringSlot(key: string, create: boolean): number {
    let slot = this.#strings.get(key);
    if (slot === undefined) {
      if (!create) return -1;
      slot = this.#newSlot();
      this.#strings.set(key, slot);
    }
    return slot;
  }

  #newSlot(): number {
    const slot = this.size++;
    if (slot === this.counts.length) {
      const n = slot * 2;
      this.counts = copyInto(new Float64Array(n), this.counts);
      this.matched = copyInto(new Uint8Array(n), this.matched);
      this.#keys = copyInto(new Float64Array(n), this.#keys);
    }
    return slot;
  }

  #insert(slot: number, k: number): void {
    const table = this.#table;
    const mask = table.length - 1;
    let bucket = hashNumber(k) & mask;
    while (table[bucket] !== 0) bucket = (bucket + 1) & mask;
    table[bucket] = slot + 1;
  }

  #rehash(): void {
    const old = this.#table;
    this.#table = new Int32Array(old.length * 2);
    for (let b = 0; b < old.length; b++) {
      const entry = old[b]!;
      if (entry !== 0) this.#insert(entry - 1, this.#keys[entry - 1]!);
    }
  }
}

function copyInto<T extends Float64Array | Uint8Array>(into: T, from: T): T {
  into.set(from);
  return into;
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
