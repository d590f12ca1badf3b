/**
 * Typed values straight from bytes: numbers, booleans and ISO-8601 timestamps parsed without
 * creating a string, and strings interned by their bytes so a repeated value (a key column with a
 * few thousand distinct values) is decoded once per split, not once per row.
 *
 * Numbers take the exact fast path (Clinger): up to 15 significant digits and no exponent give a
 * mantissa below 2^53 divided once by an exact power of ten, which is correctly rounded; anything
 * else falls back to `Number(text)`, so results always equal `Number()`'s.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Parses a decimal number (`-12`, `3.25`, `.5`, `1e-3`) from `buf[start, end)`; NaN when it is not one. */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = buf[i];
  if (first === 45 || first === 43) {
    negative = first === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
  }
  if (i < end && buf[i] === 46) {
    for (i++; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      digits++;
      fraction++;
    }
  }
  if (digits === 0) return NaN;
  if (i < end) {
    const c = buf[i];
    if (c !== 101 && c !== 69) return NaN;
    return slowNumber(buf, start, end);
  }
  if (digits > 15) return slowNumber(buf, start, end);
  const value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
  return negative ? -value : value;
}

function slowNumber(buf: Uint8Array, start: number, end: number): number {
  const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

/** Parses `true` / `false` (any letter case) from bytes: 1, 0, or -1 when it is neither. */
export function parseBoolBytes(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 4 && (buf[start]! | 32) === 116 && (buf[start + 1]! | 32) === 114 && (buf[start + 2]! | 32) === 117 && (buf[start + 3]! | 32) === 101) return 1;
  if (n === 5 && (buf[start]! | 32) === 102 && (buf[start + 1]! | 32) === 97 && (buf[start + 2]! | 32) === 108 && (buf[start + 3]! | 32) === 115 && (buf[start + 4]! | 32) === 101) return 0;
  return -1;
}

function digitsAt(buf: Uint8Array, i: number, count: number, end: number): number {
  if (i + count > end) return -1;
  let value = 0;
  for (let k = 0; k < count; k++) {
    const d = buf[i + k]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Parses an ISO-8601 date or date-time from bytes to epoch milliseconds: `YYYY-MM-DD`, then
 * optionally `T` or a space, `HH:MM[:SS[.fff]]`, and `Z` or `±HH[:MM]`. A time without a zone is
 * UTC (never the machine's local zone, so results do not depend on where a task runs). NaN when invalid.
 */
export function parseIsoBytes(buf: Uint8Array, start: number, end: number): number {
  const year = digitsAt(buf, start, 4, end);
  if (year < 0 || buf[start + 4] !== 45) return NaN;
  const month = digitsAt(buf, start + 5, 2, end);
  if (month < 1 || month > 12 || buf[start + 7] !== 45) return NaN;
  const day = digitsAt(buf, start + 8, 2, end);
  if (day < 1 || day > 31) return NaN;
  let i = start + 10;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  if (i < end && (buf[i] === 84 || buf[i] === 32)) {
    hour = digitsAt(buf, i + 1, 2, end);
    minute = buf[i + 3] === 58 ? digitsAt(buf, i + 4, 2, end) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
    i += 6;
    if (i < end && buf[i] === 58) {
      second = digitsAt(buf, i + 1, 2, end);
      if (second < 0 || second > 59) return NaN;
      i += 3;
      if (i < end && (buf[i] === 46 || buf[i] === 44)) {
        let scale = 100;
        for (i++; i < end; i++) {
          const d = buf[i]! - 48;
          if (d < 0 || d > 9) break;
          ms += d * scale;
          scale /= 10;
        }
        ms = Math.floor(ms);
      }
    }
  }
  let offset = 0;
  if (i < end) {
    const c = buf[i];
    if (c === 90 || c === 122) i++;
    else if (c === 43 || c === 45) {
      const oh = digitsAt(buf, i + 1, 2, end);
      if (oh < 0) return NaN;
      i += 3;
      let om = 0;
      if (i < end && buf[i] === 58) i++;
      if (i < end) {
        om = digitsAt(buf, i, 2, end);
        if (om < 0) return NaN;
        i += 2;
      }
      offset = (c === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
    }
  }
  if (i !== end) return NaN;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(time).getUTCDate() !== day) return NaN;
  return time - offset;
}

/** {@link parseIsoBytes} for a string (schema inference, NDJSON). */
export function parseIsoText(text: string): number {
  const bytes = Buffer.from(text, 'latin1');
  return parseIsoBytes(bytes, 0, bytes.length);
}

const MAX_INTERNED = 1 << 16;

/**
 * Interns strings by their UTF-8 bytes: the same bytes give the same string object, decoded once.
 * Open addressing over a byte pool; cleared when it holds {@link MAX_INTERNED} strings, so a
 * high-cardinality column costs a bounded amount of memory.
 */
export class ByteInterner {
  #slots = new Int32Array(1024);
  #hashes: Int32Array = new Int32Array(256);
  #offsets: Int32Array = new Int32Array(256);
  #lengths: Int32Array = new Int32Array(256);
  #pool = new Uint8Array(4096);
  #poolLength = 0;
  #strings: string[] = [];

  /** The string of `buf[start, end)` (UTF-8). */
  intern(buf: Buffer, start: number, end: number): string {
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const mask = this.#slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot]! - 1;
      if (entry < 0) return this.#add(slot, hash, buf, start, end);
      if (this.#hashes[entry] === hash && this.#lengths[entry] === length && this.#equal(entry, buf, start, length)) return this.#strings[entry]!;
    }
  }

  #equal(entry: number, buf: Buffer, start: number, length: number): boolean {
    const pool = this.#pool;
    const offset = this.#offsets[entry]!;
    for (let k = 0; k < length; k++) if (pool[offset + k] !== buf[start + k]) return false;
    return true;
  }

  #add(slot: number, hash: number, buf: Buffer, start: number, end: number): string {
    const text = buf.toString('utf8', start, end);
    const entry = this.#strings.length;
    if (entry >= MAX_INTERNED) {
      this.#clear();
      return text;
    }
    const length = end - start;
    if (entry === this.#hashes.length) {
      this.#hashes = growInt(this.#hashes);
      this.#offsets = growInt(this.#offsets);
      this.#lengths = growInt(this.#lengths);
    }
    while (this.#poolLength + length > this.#pool.length) {
      const pool = new Uint8Array(this.#pool.length * 2);
      pool.set(this.#pool);
      this.#pool = pool;
    }
    this.#pool.set(buf.subarray(start, end), this.#poolLength);
    this.#hashes[entry] = hash;
    this.#offsets[entry] = this.#poolLength;
    this.#lengths[entry] = length;
    this.#poolLength += length;
    this.#strings.push(text);
    this.#slots[slot] = entry + 1;
    if (this.#strings.length * 2 > this.#slots.length) this.#rehash();
    return text;
  }

  #rehash(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.#strings.length; entry++) {
      let slot = this.#hashes[entry]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.#slots = slots;
  }

  #clear(): void {
    this.#slots = new Int32Array(1024);
    this.#strings = [];
    this.#poolLength = 0;
  }
}

function growInt(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}
