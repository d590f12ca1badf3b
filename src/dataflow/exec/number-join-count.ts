/**
 * The row count of a join on number keys (see `countJoinMatches`), radix-partitioned: both sides'
 * keys are first cut by the top bits of their hash into parts of a few thousand keys, then each
 * part is built into and probed against an open-addressing table small enough to stay in the
 * core's cache. One table over the whole build side (16 bytes a bucket, 2 buckets a key) outgrew
 * the caches at a few hundred thousand keys, so every insert and probe was a cache miss — and two
 * tasks at once missed twice as often. Keys compare as the generic join compares them: `-0`
 * equals `0` and `NaN` equals `NaN`.
 */

/** Keys per part: its table (2 buckets a key, 16 bytes a bucket) stays near 128 KiB. */
const PART_KEYS = 4096;

/** Number keys gathered from key columns: the valid ones other than NaN, and how many were NaN or null. */
export interface NumberKeys {
  readonly keys: Float64Array;
  readonly nans: number;
  readonly nulls: number;
}

/** Gathers the number keys of columns (`valid(column, i)` false for a null row). */
export function numberKeys<C extends { readonly length: number; readonly values: Float64Array | Int32Array }>(columns: readonly C[], valid: (column: C, i: number) => boolean): NumberKeys {
  const total = columns.reduce((n, c) => n + c.length, 0);
  const keys = new Float64Array(total);
  let size = 0;
  let nans = 0;
  let nulls = 0;
  for (const column of columns) {
    const values = column.values;
    for (let i = 0; i < column.length; i++) {
      if (!valid(column, i)) nulls++;
      else {
        const k = values[i]!;
        if (k !== k) nans++;
        else keys[size++] = k + 0; // -0 → 0
      }
    }
  }
  return { keys: keys.subarray(0, size), nans, nulls };
}

/**
 * Joined rows of the probe side against the build side: the matches, plus one per probe row that
 * matched nothing when `outer` (null keys included), plus the build rows whose key no probe row
 * matched when `keepUnmatched` (null keys included).
 */
export function countNumberJoin(build: NumberKeys, probe: NumberKeys, outer: boolean, keepUnmatched: boolean): number {
  let rows = 0;
  // NaN matches NaN; a null key matches nothing.
  if (probe.nans > 0) rows += build.nans > 0 ? probe.nans * build.nans : outer ? probe.nans : 0;
  if (keepUnmatched && probe.nans === 0) rows += build.nans;
  if (outer) rows += probe.nulls;
  if (keepUnmatched) rows += build.nulls;
  let bits = 0;
  while (build.keys.length >> bits > PART_KEYS) bits++;
  const b = partition(build.keys, bits);
  const p = partition(probe.keys, bits);
  let largest = 0;
  for (let part = 0; part < 1 << bits; part++) largest = Math.max(largest, b.offsets[part + 1]! - b.offsets[part]!);
  let capacity = 16;
  while (capacity < largest * 2) capacity *= 2;
  const tableKeys = new Float64Array(capacity);
  const tableRows = new Float64Array(capacity);
  const matched = keepUnmatched ? new Uint8Array(capacity) : undefined;
  for (let part = 0; part < 1 << bits; part++) {
    const from = b.offsets[part]!;
    const to = b.offsets[part + 1]!;
    let size = 16;
    while (size < (to - from) * 2) size *= 2;
    const mask = size - 1;
    tableRows.fill(0, 0, size);
    matched?.fill(0, 0, size);
    for (let i = from; i < to; i++) {
      const k = b.keys[i]!;
      for (let slot = b.hashes[i]! & mask; ; slot = (slot + 1) & mask) {
        if (tableRows[slot] === 0) {
          tableKeys[slot] = k;
          tableRows[slot] = 1;
          break;
        }
        if (tableKeys[slot] === k) {
          tableRows[slot]!++;
          break;
        }
      }
    }
    for (let i = p.offsets[part]!; i < p.offsets[part + 1]!; i++) {
      const k = p.keys[i]!;
      let found = 0;
      for (let slot = p.hashes[i]! & mask; ; slot = (slot + 1) & mask) {
        const count = tableRows[slot]!;
        if (count === 0) break;
        if (tableKeys[slot] === k) {
          found = count;
          if (matched !== undefined) matched[slot] = 1;
          break;
        }
      }
      rows += found === 0 && outer ? 1 : found;
    }
    if (matched !== undefined) for (let slot = 0; slot < size; slot++) if (matched[slot] === 0) rows += tableRows[slot]!;
  }
  return rows;
}

/** Keys sorted by the top `bits` bits of their hash (a counting sort), with their hashes and each part's start. */
function partition(keys: Float64Array, bits: number): { keys: Float64Array; hashes: Uint32Array; offsets: Int32Array } {
  const parts = 1 << bits;
  const shift = 32 - bits;
  const n = keys.length;
  const hashes = new Uint32Array(n);
  const offsets = new Int32Array(parts + 1);
  for (let i = 0; i < n; i++) {
    const h = hashNumber(keys[i]!);
    hashes[i] = h;
    offsets[(bits === 0 ? 0 : h >>> shift) + 1]!++;
  }
  for (let part = 0; part < parts; part++) offsets[part + 1]! += offsets[part]!;
  const next = offsets.slice(0, parts);
  const sortedKeys = new Float64Array(n);
  const sortedHashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = hashes[i]!;
    const at = next[bits === 0 ? 0 : h >>> shift]!++;
    sortedKeys[at] = keys[i]!;
    sortedHashes[at] = h;
  }
  return { keys: sortedKeys, hashes: sortedHashes, offsets };
}

const bitsOf = new Float64Array(1);
const words = new Int32Array(bitsOf.buffer);

/** A well-mixed 32-bit hash of a number (not NaN, not -0): its top bits choose the part, its low bits the slot. */
function hashNumber(k: number): number {
  let h: number;
  if ((k | 0) === k) h = k;
  else {
    bitsOf[0] = k;
    h = words[0]! ^ Math.imul(words[1]!, 0x9e3779b1);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
