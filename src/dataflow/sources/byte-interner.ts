/**
 * Strings straight from bytes into dictionary columns. A {@link ByteInterner} maps UTF-8 bytes to
 * a stable entry (decoding each distinct value once per split, not once per row); a
 * {@link DictionaryColumnBuilder} turns entries into a batch's dictionary-encoded string column
 * whose indices ARE the entries and whose dictionary is the interner's own table. Consecutive
 * batches of a split therefore share one dictionary (until the interner is trimmed), so an
 * operator that maps dictionary ids to its own state (group slots, partitions) does that once per
 * distinct string per split instead of once per batch. The table only grows while it is shared:
 * an older batch's indices keep pointing at the same strings.
 */
import type { Column } from '../batch/batch.js';

const EMPTY = new Uint8Array(0);

/** Entries past which an interner is cleared at the next batch boundary (bounds memory). */
const MAX_INTERNED = 1 << 16;

/** The start value of an interner hash (FNV-1a, 32-bit). */
export const HASH_SEED = 0x811c9dc5 | 0;

/** One byte into an interner hash. */
export function hashStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 0x01000193);
}

/** Ints per slot of an interner's table: entry + 1 (0: empty), then three words of packed bytes (or the hash). */
const STRIDE = 4;
/** The longest byte string packed into a slot (the top byte of the third word holds its length). */
const MAX_PACKED = 11;
/** The third word of a longer string's slot (whose first word is its hash): no packed string has length 255. */
const LONG = -1;

/**
 * Interns byte strings: the same bytes give the same entry number and string.
 *
 * The open-addressing table keeps, per slot, the entry and — for strings of up to
 * {@link MAX_PACKED} bytes, most keys and words — the bytes themselves packed into three ints with
 * the length, so finding a short string compares three ints in the slot it probes and never reads
 * the byte pool. A longer string's slot holds its hash; it compares its length and bytes in the pool.
 */
export class ByteInterner {
  #table = new Int32Array(1024 * STRIDE);
  #hashes: Int32Array = new Int32Array(256);
  #offsets: Int32Array = new Int32Array(256);
  #lengths: Int32Array = new Int32Array(256);
  #pool = new Uint8Array(4096);
  #poolLength = 0;
  #strings: string[] = [];
  #distinct = true;

  /** Number of entries. */
  get size(): number {
    return this.#strings.length;
  }

  /** The string of an entry. */
  text(entry: number): string {
    return this.#strings[entry]!;
  }

  /**
   * True while no two entries can have the same string: no entry's text holds U+FFFD, the
   * replacement for invalid UTF-8 (a literal U+FFFD counts too, to keep the check one lookup).
   * Then an entry number identifies a string, not only a byte sequence.
   */
  get distinct(): boolean {
    return this.#distinct;
  }

  /** Every entry's string, by entry (the live table: it grows as entries are added, until {@link ByteInterner.trim}). */
  get table(): readonly string[] {
    return this.#strings;
  }

  /** The entry of `buf[start, end)` (UTF-8), added if new. */
  intern(buf: Uint8Array, start: number, end: number): number {
    let hash = HASH_SEED;
    for (let i = start; i < end; i++) hash = hashStep(hash, buf[i]!);
    return this.internHashed(buf, start, end, hash);
  }

  /** {@link ByteInterner.intern} for a caller that computed the bytes' hash with {@link hashStep} from {@link HASH_SEED}. */
  internHashed(buf: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    if (length > MAX_PACKED) return this.#internLong(buf, start, end, hash);
    let a = 0;
    let b = 0;
    let c = length << 24;
    for (let k = 0; k < length; k++) {
      const byte = buf[start + k]!;
      if (k < 4) a |= byte << (k << 3);
      else if (k < 8) b |= byte << ((k - 4) << 3);
      else c |= byte << ((k - 8) << 3);
    }
    const table = this.#table;
    const mask = (table.length >> 2) - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const entry = table[at]! - 1;
      if (entry < 0) return this.#add(at, hash, a, b, c, buf, start, end);
      if (table[at + 1] === a && table[at + 2] === b && table[at + 3] === c) return entry;
    }
  }

  /** Forgets every entry when there are too many; call only between batches (entries change). */
  trim(): boolean {
    if (this.#strings.length < MAX_INTERNED) return false;
    this.#table = new Int32Array(1024 * STRIDE);
    this.#strings = [];
    this.#poolLength = 0;
    this.#distinct = true;
    return true;
  }

  #internLong(buf: Uint8Array, start: number, end: number, hash: number): number {
    const table = this.#table;
    const mask = (table.length >> 2) - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const entry = table[at]! - 1;
      if (entry < 0) return this.#add(at, hash, hash, 0, LONG, buf, start, end);
      if (table[at + 1] === hash && table[at + 3] === LONG && this.#lengths[entry] === length && this.#equal(entry, buf, start, length)) return entry;
    }
  }

  #equal(entry: number, buf: Uint8Array, start: number, length: number): boolean {
    const pool = this.#pool;
    const offset = this.#offsets[entry]!;
    for (let k = 0; k < length; k++) if (pool[offset + k] !== buf[start + k]) return false;
    return true;
  }

  #add(at: number, hash: number, a: number, b: number, c: number, buf: Uint8Array, start: number, end: number): number {
    const entry = this.#strings.length;
    const length = end - start;
    if (entry === this.#offsets.length) {
      this.#hashes = growInt(this.#hashes);
      this.#offsets = growInt(this.#offsets);
      this.#lengths = growInt(this.#lengths);
    }
    if (c === LONG) {
      while (this.#poolLength + length > this.#pool.length) {
        const pool = new Uint8Array(this.#pool.length * 2);
        pool.set(this.#pool);
        this.#pool = pool;
      }
      this.#pool.set(buf.subarray(start, end), this.#poolLength);
      this.#offsets[entry] = this.#poolLength;
      this.#poolLength += length;
    }
    this.#hashes[entry] = hash;
    this.#lengths[entry] = length;
    // A Buffer decodes in place; wrapping a plain Uint8Array first costs an object per string.
    const text = Buffer.isBuffer(buf) ? buf.toString('utf8', start, end) : Buffer.from(buf.buffer, buf.byteOffset + start, length).toString('utf8');
    // Invalid UTF-8 decodes to U+FFFD, so two byte strings may then give one string.
    if (this.#distinct && text.includes('\uFFFD')) this.#distinct = false;
    this.#strings.push(text);
    const table = this.#table;
    table[at] = entry + 1;
    table[at + 1] = a;
    table[at + 2] = b;
    table[at + 3] = c;
    if (this.#strings.length * 2 * STRIDE > table.length) this.#rehash();
    return entry;
  }

  #rehash(): void {
    const old = this.#table;
    const table = new Int32Array(old.length * 2);
    const mask = (table.length >> 2) - 1;
    for (let from = 0; from < old.length; from += STRIDE) {
      const entry = old[from]! - 1;
      if (entry < 0) continue;
      let slot = this.#hashes[entry]! & mask;
      while (table[slot << 2] !== 0) slot = (slot + 1) & mask;
      const at = slot << 2;
      for (let k = 0; k < STRIDE; k++) table[at + k] = old[from + k]!;
    }
    this.#table = table;
  }
}

/** Builds one batch's dictionary-encoded string column from interner entries (or plain strings). */
export class DictionaryColumnBuilder {
  readonly #interner: ByteInterner;
  #indices: Int32Array;
  #length = 0;
  #validity: Uint8Array | undefined;
  #emptyEntry: number | undefined;

  readonly #transient: boolean;

  /** @param transient - each finished column is consumed before the next is built: it may share this builder's array. */
  constructor(interner: ByteInterner, capacity: number, transient = false) {
    this.#interner = interner;
    this.#transient = transient;
    this.#indices = new Int32Array(Math.max(16, capacity));
  }

  /** Rows appended. */
  get length(): number {
    return this.#length;
  }

  /** Appends the string of an interner entry. */
  appendEntry(entry: number): void {
    const i = this.#length++;
    if (i === this.#indices.length) {
      const grown = new Int32Array(this.#indices.length * 2);
      grown.set(this.#indices);
      this.#indices = grown;
    }
    this.#indices[i] = entry;
  }

  /** Appends a string that is not interned (e.g. a quoted field with escapes). */
  appendText(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.appendEntry(this.#interner.intern(bytes, 0, bytes.length));
  }

  /** Appends a null. */
  appendNull(): void {
    const i = this.#length;
    this.#emptyEntry ??= this.#interner.intern(EMPTY, 0, 0);
    this.appendEntry(this.#emptyEntry);
    if (this.#validity === undefined) this.#validity = new Uint8Array(this.#indices.length >> 3 || 1).fill(0xff);
    if (this.#validity.length <= i >> 3) {
      const grown = new Uint8Array(Math.max(this.#validity.length * 2, (i >> 3) + 1)).fill(0xff);
      grown.set(this.#validity);
      this.#validity = grown;
    }
    this.#validity[i >> 3]! &= ~(1 << (i & 7));
  }

  /** The finished column; the builder then starts an empty batch (same interner: trim it only after this). */
  finish(): Column {
    const n = this.#length;
    const indices = this.#transient ? this.#indices.subarray(0, n) : this.#indices.slice(0, n);
    let column: Column = { type: 'string', indices, dictionary: this.#interner.table };
    if (this.#validity !== undefined) {
      const validity = new Uint8Array((n + 7) >> 3).fill(0xff);
      validity.set(this.#validity.subarray(0, validity.length));
      column = { ...column, validity };
    }
    this.#length = 0;
    this.#validity = undefined;
    this.#emptyEntry = undefined;
    return column;
  }
}

function growInt(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}
