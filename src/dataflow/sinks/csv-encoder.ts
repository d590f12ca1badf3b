/**
 * CSV part files, RFC 4180 quoting: a field that contains the delimiter, a double quote, CR or
 * LF is enclosed in double quotes with inner quotes doubled. Nulls are empty fields and empty
 * strings are `""`, so the two stay distinguishable. Timestamps are ISO-8601 (UTC), booleans
 * `true`/`false`, nested objects and arrays JSON. Lines end with `\n`. Every part file starts with
 * its own header row (when `header` is on), so each part can be read on its own.
 */
import type { Batch } from '../batch/batch.js';
import type { FileOutput } from './file-output.js';
import { jsonReplacer } from './json-encoder.js';
import type { PartEncoder } from './part-encoder.js';
import type { RowShape } from './row-shape.js';
import { cellsOf, shapeOf } from './row-shape.js';

/** One cell as CSV field text, quoted when needed. */
export function csvField(value: unknown, delimiter: string): string {
  if (value === null || value === undefined) return '';
  // An invalid date is a null timestamp (JSON writes it as null too).
  if (value instanceof Date && Number.isNaN(value.getTime())) return '';
  const text = cellText(value);
  if (text === '') return '""';
  return needsQuotes(text, delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cellText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      if (value instanceof Date) return value.toISOString();
      return JSON.stringify(value, jsonReplacer) ?? '';
  }
}

function needsQuotes(text: string, delimiter: string): boolean {
  return text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r');
}

/** Writes batches as CSV rows under one header. */
export class CsvEncoder implements PartEncoder {
  #out: FileOutput;
  #header: boolean;
  #delimiter: string;
  #where: string;
  #shape: RowShape | undefined;

  get columns(): readonly string[] | undefined {
    return this.#shape?.columns;
  }

  constructor(out: FileOutput, options: { header: boolean; delimiter: string }, where: string) {
    this.#out = out;
    this.#header = options.header;
    this.#delimiter = options.delimiter;
    this.#where = where;
  }

  async write(batch: Batch): Promise<number> {
    if (this.#shape === undefined) {
      this.#shape = shapeOf(batch);
      if (this.#shape === undefined) return 0;
      if (this.#header) await this.#out.write(this.#line(this.#shape.columns));
    }
    let text = '';
    for (const cells of cellsOf(batch, this.#shape, this.#where)) {
      text += this.#line(cells);
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

  #line(cells: readonly unknown[]): string {
    let line = '';
    for (let c = 0; c < cells.length; c++) {
      if (c > 0) line += this.#delimiter;
      line += csvField(cells[c], this.#delimiter);
    }
    return `${line}\n`;
  }
}
