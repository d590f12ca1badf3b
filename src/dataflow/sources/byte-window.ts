/**
 * Streaming a byte range of a file in ~1 MiB reads, for the line-based formats.
 *
 * A split owns the lines that START in `[start, end)`: the window therefore opens at the first
 * line start at or after `start` (the byte after the first `\n` at or after `start - 1`) and lets
 * the reader continue past `end` to finish its last line. The window is a sliding buffer: the
 * reader consumes `[pos, limit)`, and {@link ByteWindow.fill} moves the unconsumed tail to the
 * front and reads more, growing only for a line longer than the buffer. Nothing else is held, so
 * memory stays at about one chunk per split whatever the file size (two with read-ahead).
 *
 * With `readAhead`, the next chunk is read into a spare buffer while the reader scans the current
 * one, so a reader that scans as fast as the disk (or page cache) delivers does not wait for each
 * read's round trip through the I/O thread pool.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { abortReason } from '../../runtime/abort-reason.js';

/** Bytes per read. */
export const CHUNK_SIZE = 1024 * 1024;

/** A sliding read buffer over one file. Fields are public for the scanners' hot loops. */
export class ByteWindow {
  /** The buffer; valid bytes are `[0, limit)`. */
  buf: Buffer;
  /** Next unconsumed byte. */
  pos = 0;
  /** End of valid bytes. */
  limit = 0;
  /** File offset of `buf[0]`. */
  base: number;
  /** True once the file's last byte is in the buffer. */
  eof = false;
  readonly #file: FileHandle;
  readonly #signal: AbortSignal | undefined;
  /** With read-ahead: the buffer the next chunk is read into, and that read (bytes, or its error). */
  readonly #spare: Buffer | undefined;
  #ahead: Promise<number | Error> | undefined;

  private constructor(file: FileHandle, base: number, signal: AbortSignal | undefined, chunkSize: number, readAhead: boolean) {
    this.#file = file;
    this.base = base;
    this.#signal = signal;
    this.buf = Buffer.allocUnsafe(chunkSize);
    this.#spare = readAhead ? Buffer.allocUnsafe(chunkSize) : undefined;
  }

  /**
   * Opens `path` positioned at the first line that starts at or after `start`.
   * `pos` then points at that line (or `limit` with `eof` when there is none).
   * @param readAhead - read the next chunk while the current one is scanned (readers of whole splits).
   */
  static async open(path: string, start: number, signal?: AbortSignal, chunkSize = CHUNK_SIZE, readAhead = false): Promise<ByteWindow> {
    if (signal?.aborted) throw abortReason(signal);
    const file = await open(path, 'r');
    const window = new ByteWindow(file, Math.max(0, start - 1), signal, chunkSize, readAhead);
    try {
      if (start > 0) await window.#skipToLineStart();
      return window;
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** File offset of the next unconsumed byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /**
   * Keeps `[pos, limit)`, moves it to the front and reads more after it.
   * @returns false when the file has no more bytes (nothing was added).
   */
  async fill(): Promise<boolean> {
    if (this.eof) return false;
    if (this.#signal?.aborted) throw abortReason(this.#signal);
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.limit);
      this.base += this.pos;
      this.limit -= this.pos;
      this.pos = 0;
    }
    const bytesRead = this.#spare === undefined ? await this.#readInto(this.buf.length - this.limit) : await this.#takeAhead(this.#spare);
    if (bytesRead === 0) {
      this.eof = true;
      return false;
    }
    this.limit += bytesRead;
    // The next chunk starts where the buffer's valid bytes end.
    if (this.#spare !== undefined) void this.#startAhead(this.#spare);
    return true;
  }

  /** Releases the file (after a read still running ahead). */
  async close(): Promise<void> {
    await this.#ahead;
    await this.#file.close();
  }

  /** Reads up to `length` bytes at the end of the valid bytes, growing a full buffer first. */
  async #readInto(length: number): Promise<number> {
    if (length === 0) this.#grow(this.buf.length * 2);
    const { bytesRead } = await this.#file.read(this.buf, this.limit, this.buf.length - this.limit, this.base + this.limit);
    return bytesRead;
  }

  /** Appends the chunk read ahead (reading it now if none is running) after the valid bytes. */
  async #takeAhead(spare: Buffer): Promise<number> {
    const ahead = await (this.#ahead ?? this.#startAhead(spare));
    this.#ahead = undefined;
    if (ahead instanceof Error) throw ahead;
    if (this.limit + ahead > this.buf.length) this.#grow(Math.max(this.buf.length * 2, this.limit + ahead));
    spare.copy(this.buf, this.limit, 0, ahead);
    return ahead;
  }

  #startAhead(spare: Buffer): Promise<number | Error> {
    const ahead = this.#file.read(spare, 0, spare.length, this.base + this.limit).then(
      ({ bytesRead }) => bytesRead,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    this.#ahead = ahead;
    return ahead;
  }

  #grow(size: number): void {
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.limit);
    this.buf = bigger;
  }

  /** Consumes bytes up to and including the first `\n` (the window starts at `start - 1`). */
  async #skipToLineStart(): Promise<void> {
    for (;;) {
      const nl = this.buf.indexOf(10, this.pos);
      if (nl >= 0 && nl < this.limit) {
        this.pos = nl + 1;
        return;
      }
      this.pos = this.limit;
      if (!(await this.fill())) return;
    }
  }
}

/** Counts `\n` bytes in `[0, end)` of a file: the line number of a row in a later split, computed only on error. */
export async function countNewlines(path: string, end: number): Promise<number> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_SIZE);
    let count = 0;
    for (let offset = 0; offset < end; ) {
      const { bytesRead } = await file.read(buf, 0, Math.min(buf.length, end - offset), offset);
      if (bytesRead === 0) break;
      for (let i = buf.indexOf(10, 0); i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) count++;
      offset += bytesRead;
    }
    return count;
  } finally {
    await file.close();
  }
}
