/**
 * The byte-level CSV record scanner: finds the fields of one record in a Buffer without creating
 * a string, so numbers can be parsed and strings interned straight from the bytes.
 *
 * Quoting is RFC 4180: a field that starts with the quote character runs to the next lone quote,
 * a doubled quote inside it is a literal quote, and (with `multiline`) it may contain newlines.
 * Without `multiline`, a quote still open at the end of a line makes the line a malformed record.
 * Records end at `\n`; a `\r` before it is dropped. A record that reaches the end of the buffer
 * before its end is reported as incomplete (`-1`), so the reader can refill and scan it again.
 */

/** What the scanner needs to know about the file's dialect. */
export interface CsvDialect {
  /** Delimiter byte. */
  readonly delimiter: number;
  /** Quote byte. */
  readonly quote: number;
  /** Whether quoted fields may contain newlines. */
  readonly multiline: boolean;
}

const LF = 10;
const CR = 13;

/** Field kinds in {@link CsvRecordScanner.kinds}. */
export const PLAIN = 0;
/** A quoted field without doubled quotes: its bytes are the content. */
export const QUOTED = 1;
/** A quoted field with doubled quotes: decode and unescape. */
export const ESCAPED = 2;

/** Scans records; the fields of the last scanned record are in its public arrays (buffer offsets). */
export class CsvRecordScanner {
  /** Number of fields of the last record. */
  count = 0;
  /** Field content starts (buffer offsets, inclusive). */
  starts = new Int32Array(64);
  /** Field content ends (buffer offsets, exclusive). */
  ends = new Int32Array(64);
  /** Field kinds: {@link PLAIN}, {@link QUOTED} or {@link ESCAPED}. */
  kinds = new Uint8Array(64);
  /** `\n` bytes the last record spans, including its terminator. */
  newlines = 0;
  /** Why the last record is malformed, or undefined. */
  error: string | undefined;
  readonly #delimiter: number;
  readonly #quote: number;
  readonly #multiline: boolean;

  constructor(dialect: CsvDialect) {
    this.#delimiter = dialect.delimiter;
    this.#quote = dialect.quote;
    this.#multiline = dialect.multiline;
  }

  /**
   * Scans the record starting at `pos`. `eof` says whether `limit` is the end of the file.
   * @returns the offset after the record's terminator, or -1 when the record is not complete in the buffer.
   */
  scan(buf: Uint8Array, pos: number, limit: number, eof: boolean): number {
    const delimiter = this.#delimiter;
    const quote = this.#quote;
    this.count = 0;
    this.newlines = 0;
    this.error = undefined;
    let i = pos;
    for (;;) {
      if (this.count === this.starts.length) this.#grow();
      if (i < limit && buf[i] === quote) {
        let j = i + 1;
        let escaped = false;
        for (;;) {
          if (j >= limit) {
            if (!eof) return -1;
            this.error = 'a quoted field is not closed before the end of the file';
            return limit;
          }
          const c = buf[j]!;
          if (c === quote) {
            if (j + 1 >= limit && !eof) return -1;
            if (j + 1 < limit && buf[j + 1] === quote) {
              escaped = true;
              j += 2;
              continue;
            }
            break;
          }
          if (c === LF) {
            if (!this.#multiline) {
              this.error = 'a quoted field is not closed at the end of the line (set multiline: true if quoted fields contain newlines)';
              this.newlines = 1;
              return j + 1;
            }
            this.newlines++;
          }
          j++;
        }
        this.#push(i + 1, j, escaped ? ESCAPED : QUOTED);
        i = j + 1;
        if (i >= limit) return eof ? limit : -1;
        const c = buf[i];
        if (c === delimiter) {
          i++;
          continue;
        }
        if (c === LF) {
          this.newlines++;
          return i + 1;
        }
        if (c === CR) {
          if (i + 1 >= limit) return eof ? limit : -1;
          if (buf[i + 1] === LF) {
            this.newlines++;
            return i + 2;
          }
        }
        this.error = `expected a delimiter or the end of the line after a closing quote, found ${JSON.stringify(String.fromCharCode(c!))}`;
        return this.#skipLine(buf, i, limit, eof);
      }
      let j = i;
      while (j < limit) {
        const c = buf[j];
        if (c === delimiter || c === LF) break;
        j++;
      }
      if (j >= limit && !eof) return -1;
      const atLineEnd = j >= limit || buf[j] === LF;
      this.#push(i, atLineEnd && j > i && buf[j - 1] === CR ? j - 1 : j, PLAIN);
      if (j >= limit) return limit;
      if (atLineEnd) {
        this.newlines++;
        return j + 1;
      }
      i = j + 1;
    }
  }

  /** True when the last record is an empty line (skipped by readers). */
  get blank(): boolean {
    return this.count === 1 && this.kinds[0] === PLAIN && this.starts[0] === this.ends[0];
  }

  #push(start: number, end: number, kind: number): void {
    const n = this.count++;
    this.starts[n] = start;
    this.ends[n] = end;
    this.kinds[n] = kind;
  }

  #skipLine(buf: Uint8Array, i: number, limit: number, eof: boolean): number {
    for (let j = i; j < limit; j++) {
      if (buf[j] === LF) {
        this.newlines++;
        return j + 1;
      }
    }
    return eof ? limit : -1;
  }

  #grow(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const kinds = new Uint8Array(n);
    starts.set(this.starts);
    ends.set(this.ends);
    kinds.set(this.kinds);
    this.starts = starts;
    this.ends = ends;
    this.kinds = kinds;
  }
}
