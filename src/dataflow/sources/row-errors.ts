/**
 * The malformed-row policy of a split (`fail | skip | quarantine`), in one place for every format.
 *
 * Readers only know a row's line relative to the first line their split owns; the line in the FILE
 * needs the newlines before the split start, counted lazily on the first error only, so clean
 * inputs never pay for it. Quarantined rows are buffered and appended to
 * `<quarantinePath>/part-<index>.txt`, which is created (truncated, so a retried task does not
 * duplicate rows) only when the first bad row arrives.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MalformedRowError, type ErrorPolicy } from './errors.js';
import { MAX_KEPT_ERRORS, type FileSplit, type SplitStats } from './options.js';
import { countNewlines } from './byte-window.js';

/** Collects, reports or raises the malformed rows of one split. */
export class RowErrors {
  readonly policy: ErrorPolicy;
  readonly #split: FileSplit;
  readonly #stats: SplitStats;
  #linesBefore: number | undefined;
  #firstLineOffset = 0;
  #raw: Array<{ lineInSplit: number; reason: string; text: string }> = [];
  #pending: string[] = [];
  #fileCreated = false;

  constructor(split: FileSplit, stats: SplitStats) {
    this.#split = split;
    this.#stats = stats;
    this.policy = split.options.onError ?? 'fail';
  }

  /** Tells the handler the file offset of the first line the split owns (line 1 of the split). */
  setFirstLineOffset(offset: number): void {
    this.#firstLineOffset = offset;
  }

  /**
   * Records a malformed row whose first line is `lineInSplit` (0-based from the split's first owned
   * line). Synchronous, for the scanners' loops; {@link RowErrors.settle} applies the policy.
   * @returns true under `fail`: the reader should stop scanning.
   */
  add(lineInSplit: number, reason: string, text: string): boolean {
    this.#raw.push({ lineInSplit, reason, text });
    return this.policy === 'fail';
  }

  /**
   * Applies the policy to the rows recorded since the last call: throws {@link MalformedRowError}
   * for the first under `fail`, else counts them (and writes quarantined ones aside).
   */
  async settle(): Promise<void> {
    if (this.#raw.length === 0) return;
    const raw = this.#raw;
    this.#raw = [];
    const file = this.#split.path;
    this.#linesBefore ??= this.#firstLineOffset === 0 ? 0 : await countNewlines(file, this.#firstLineOffset);
    const stats = this.#stats;
    for (const { lineInSplit, reason, text } of raw) {
      const line = this.#linesBefore + lineInSplit + 1;
      if (this.policy === 'fail') throw new MalformedRowError(file, line, reason);
      if (stats.errors.length < MAX_KEPT_ERRORS) stats.errors.push({ file, line, message: reason, text });
      if (this.policy === 'skip') {
        stats.skipped++;
      } else {
        stats.quarantined++;
        this.#pending.push(`${file}:${line}\t${reason}\t${text}\n`);
      }
    }
    await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const dir = this.#split.options.quarantinePath!;
    const target = join(dir, `part-${this.#split.index}.txt`);
    const text = this.#pending.join('');
    this.#pending = [];
    if (!this.#fileCreated) {
      await mkdir(dir, { recursive: true });
      await writeFile(target, text);
      this.#fileCreated = true;
    } else {
      await appendFile(target, text);
    }
  }
}
