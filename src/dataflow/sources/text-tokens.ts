/**
 * Reads one text split as the tokens of its lines, straight from the bytes: what
 * `readText(...).flatMap((line) => line.split(' '))` produces, without a string per line or per
 * token. Tokens are interned by their UTF-8 bytes (see byte-interner.ts) and come out as runs of
 * interner entries, so a consumer that counts tokens maps each distinct token to its state once.
 *
 * The tokens are exactly the line's `split(separator)`: lines are the text reader's (the lines
 * that start in the split, without `\n` or a `\r` before it; an empty line is one empty token),
 * and an ASCII separator byte never occurs inside a multi-byte UTF-8 sequence, so splitting the
 * bytes and decoding each token gives the same strings as decoding the line and splitting it.
 */
import { ByteWindow, CHUNK_SIZE } from './byte-window.js';
import { ByteInterner, HASH_SEED } from './byte-interner.js';
import { DEFAULT_BATCH_ROWS, type FileSplit, type SplitStats } from './options.js';

const LF = 10;
const CR = 13;

/**
 * A run of tokens: `entries[0, length)` index `dictionary`. Both are reused by the next run (the
 * dictionary grows until the interner is trimmed, and then is a new array), so read a run before
 * asking for the next.
 */
export interface TokenRun {
  readonly entries: Int32Array;
  readonly length: number;
  readonly dictionary: readonly string[];
  /** Lines the run's tokens came from. */
  readonly lines: number;
  /**
   * Whether the dictionary's strings all differ (no invalid UTF-8 made two alike), so an entry
   * identifies a token's string. Every dictionary entry is a token of this run or of an earlier
   * one with the same dictionary, numbered in the order the tokens first occur.
   */
  readonly distinct: boolean;
}

/** Whether the text reader's tokens can be split byte-wise on `separator`: one ASCII character other than a line end. */
export function splitsBytewise(separator: string): boolean {
  const code = separator.charCodeAt(0);
  return separator.length === 1 && code < 0x80 && code !== LF && code !== CR;
}

/**
 * Reads the tokens of the lines that start in the split's byte range, split on `separator` (see
 * {@link splitsBytewise}), in runs of about `batchRows` tokens.
 */
export async function* readTextTokens(split: FileSplit, separator: string, stats: SplitStats, signal?: AbortSignal): AsyncGenerator<TokenRun> {
  const batchRows = split.options.batchRows ?? DEFAULT_BATCH_ROWS;
  const tokens = new LineTokens(separator.charCodeAt(0), batchRows);
  const window = await ByteWindow.open(split.path, split.start, signal, CHUNK_SIZE, true);
  try {
    for (;;) {
      // Lines that start in the split; a line still running on at the buffer's end waits for more bytes.
      window.pos = tokens.scan(window.buf, window.pos, window.limit, window.eof, split.end - window.base, batchRows);
      if (tokens.length >= batchRows) {
        stats.rows += tokens.lines;
        yield tokens.run();
        tokens.reset();
        continue;
      }
      if (window.base + window.pos >= split.end || (window.pos >= window.limit && window.eof)) break;
      if (!(await window.fill()) && window.pos >= window.limit) break;
    }
    if (tokens.length > 0 || tokens.lines > 0) {
      stats.rows += tokens.lines;
      yield tokens.run();
    }
  } finally {
    await window.close();
  }
}

/** The tokens of the current run, and the loop that finds them (kept out of the generator, so it optimises as a plain function). */
class LineTokens {
  readonly #separator: number;
  readonly #interner = new ByteInterner();
  #entries: Int32Array<ArrayBuffer>;
  length = 0;
  lines = 0;

  constructor(separator: number, batchRows: number) {
    this.#separator = separator;
    this.#entries = new Int32Array(batchRows + 1024);
  }

  run(): TokenRun {
    return { entries: this.#entries, length: this.length, dictionary: this.#interner.table, lines: this.lines, distinct: this.#interner.distinct };
  }

  /** Starts the next run (the interner forgets its entries once it holds too many). */
  reset(): void {
    this.length = 0;
    this.lines = 0;
    this.#interner.trim();
  }

  /**
   * Tokenises whole lines from `pos` while they start before `stop` and the run has fewer than
   * `maxTokens` tokens; at `limit` without `eof`, a line not yet ended is left for the next call.
   * @returns the offset after the last line taken.
   */
  scan(buf: Uint8Array, pos: number, limit: number, eof: boolean, stop: number, maxTokens: number): number {
    const sep = this.#separator;
    const interner = this.#interner;
    let entries = this.#entries;
    let length = this.length;
    let lines = this.lines;
    scan: while (pos < limit && pos < stop && length < maxTokens) {
      const mark = length;
      let start = pos;
      let hash = HASH_SEED;
      for (let i = pos; ; i++) {
        if (i >= limit && !eof) {
          length = mark;
          break scan;
        }
        const b = i < limit ? buf[i]! : LF;
        if (b !== sep && b !== LF) {
          hash = Math.imul(hash ^ b, 0x01000193);
          continue;
        }
        if (length === entries.length) this.#entries = entries = grown(entries);
        if (b === sep) entries[length++] = interner.internHashed(buf, start, i, hash);
        else {
          // The line's last token, without a `\r` before the line end.
          entries[length++] = i > pos && buf[i - 1] === CR ? interner.intern(buf, start, i - 1) : interner.internHashed(buf, start, i, hash);
          pos = Math.min(i + 1, limit);
          break;
        }
        start = i + 1;
        hash = HASH_SEED;
      }
      lines++;
    }
    this.length = length;
    this.lines = lines;
    return pos;
  }
}

function grown(entries: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(entries.length * 2);
  next.set(entries);
  return next;
}
