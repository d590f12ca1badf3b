/**
 * A file written in large sequential chunks with bounded memory: encoders append text or bytes,
 * and once about {@link CHUNK_BYTES} are pending they are written out, so a part file of any size
 * costs one chunk of memory. Awaiting {@link FileOutput.write} is the backpressure.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';

/** Pending bytes that trigger a write to disk. */
export const CHUNK_BYTES = 1 << 20;

/** An open file being appended to. */
export class FileOutput {
  readonly path: string;
  #handle: FileHandle;
  #pending: (string | Uint8Array)[] = [];
  #pendingBytes = 0;
  #written = 0;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  /** Creates (or truncates) the file. */
  static async create(path: string): Promise<FileOutput> {
    return new FileOutput(path, await open(path, 'w'));
  }

  /** Bytes written to disk so far (not counting pending ones). */
  get written(): number {
    return this.#written;
  }

  /** Appends text (UTF-8) or bytes; writes to disk when enough is pending. */
  async write(data: string | Uint8Array): Promise<void> {
    this.#pending.push(data);
    // Text length under-counts UTF-8 bytes by at most 3×, which is fine for a flush threshold.
    this.#pendingBytes += data.length;
    if (this.#pendingBytes >= CHUNK_BYTES) await this.flush();
  }

  /** Writes everything pending to disk. */
  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const parts = this.#pending.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p));
    this.#pending = [];
    this.#pendingBytes = 0;
    const chunk = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await this.#handle.write(chunk, offset, chunk.length - offset);
      offset += bytesWritten;
    }
    this.#written += chunk.length;
  }

  /** Flushes, syncs the file to disk and closes it. */
  async close(): Promise<void> {
    try {
      await this.flush();
      await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
  }

  /** Closes the file without flushing (after a failure); never throws. */
  async discard(): Promise<void> {
    this.#pending = [];
    await this.#handle.close().catch(() => undefined);
  }
}
