/**
 * NDJSON part files: one JSON object per line, UTF-8, `\n` after every line. NDJSON has no
 * schema, so rows need no common shape: typed rows and plain objects are written with their own
 * keys, arrays as `{"_1": …, "_2": …}` and other values as `{"value": …}` (the same columns the
 * CSV and Parquet writers use). Timestamps are ISO-8601 strings, non-finite numbers `null`.
 */
import type { Batch } from '../batch/batch.js';
import { rowReader } from '../batch/row-reader.js';
import type { FileOutput } from './file-output.js';
import type { PartEncoder } from './part-encoder.js';
import { isRecord } from './row-shape.js';

/** JSON.stringify replacer: bigints as numbers when exact, else as strings (dates already became ISO text). */
export function jsonReplacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}

/** One row as the JSON text of an object (no newline). */
export function jsonLine(row: unknown): string {
  let object: unknown;
  if (isRecord(row)) object = row;
  else if (Array.isArray(row)) object = Object.fromEntries(row.map((v, i) => [`_${i + 1}`, v ?? null]));
  else object = { value: row ?? null };
  return JSON.stringify(object, jsonReplacer);
}

/** Writes batches as NDJSON lines. */
export class JsonEncoder implements PartEncoder {
  #out: FileOutput;

  constructor(out: FileOutput) {
    this.#out = out;
  }

  async write(batch: Batch): Promise<number> {
    const row = rowReader(batch);
    let text = '';
    for (let i = 0; i < batch.length; i++) {
      text += jsonLine(row(i));
      text += '\n';
      if (text.length >= 1 << 16) {
        await this.#out.write(text);
        text = '';
      }
    }
    if (text.length > 0) await this.#out.write(text);
    return batch.length;
  }

  async finish(): Promise<void> {
    await this.#out.flush();
  }
}
