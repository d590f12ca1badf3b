/**
 * Reads one CSV split into typed batches: the byte window supplies the lines the split owns, the
 * record scanner finds fields, the row converter appends them to column builders, and the
 * malformed-row policy deals with records that do not fit. The loop over a buffer is synchronous;
 * it awaits only to read the next chunk, to settle bad rows and to hand over a full batch.
 */
import type { Batch } from '../batch/batch.js';
import { ByteWindow, CHUNK_SIZE } from './byte-window.js';
import { CsvRecordScanner } from './csv-record-scanner.js';
import { CsvRowConverter } from './csv-row-converter.js';
import { csvDialect, fieldText } from './csv-schema.js';
import { SourceError } from './errors.js';
import { DEFAULT_BATCH_ROWS, type FileSplit, type SplitStats } from './options.js';
import { RowErrors } from './row-errors.js';

/** The raw text of a record for error reports, without its line terminator. */
function recordText(buf: Buffer, start: number, end: number): string {
  let e = end;
  if (e > start && buf[e - 1] === 10) e--;
  if (e > start && buf[e - 1] === 13) e--;
  return buf.toString('utf8', start, e);
}

/**
 * Reads the records of a CSV split as batches of the split's schema (only `fields`, when given).
 * @param transient - each batch is consumed before the next is asked for, so its arrays are reused.
 */
export async function* readCsvSplit(split: FileSplit, stats: SplitStats, signal?: AbortSignal, fields?: readonly string[], transient = false): AsyncGenerator<Batch> {
  const schema = split.schema;
  if (schema === undefined) throw new SourceError(split.path, `CSV split ${split.index} of ${split.path} has no schema; plan CSV sources with planSplits(), which infers it.`);
  const options = split.options;
  const quote = options.quote ?? '"';
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const scanner = new CsvRecordScanner(csvDialect(options));
  const rows = new CsvRowConverter(schema, batchRows, quote, options.delimiter ?? ',', fields, transient);
  const errors = new RowErrors(split, stats);
  const window = await ByteWindow.open(split.path, split.start, signal, CHUNK_SIZE, true);
  errors.setFirstLineOffset(window.offset);
  let headerPending = split.start === 0 && options.header !== false;
  let line = 0;
  let stop = false;
  try {
    for (;;) {
      let needMore = false;
      while (!stop) {
        const pos = window.pos;
        if (pos >= window.limit) {
          needMore = !window.eof;
          break;
        }
        if (window.base + pos >= split.end) break;
        const buf = window.buf;
        if (!headerPending) {
          const before = rows.length;
          const plainEnd = rows.addPlain(buf, pos, window.limit, split.end - window.base, batchRows);
          if (plainEnd !== pos) {
            line += rows.length - before;
            window.pos = plainEnd;
            if (rows.length >= batchRows) {
              await errors.settle();
              stats.rows += rows.length;
              yield rows.finish();
            }
            continue;
          }
        }
        const next = scanner.scan(buf, pos, window.limit, window.eof);
        if (next < 0) {
          needMore = true;
          break;
        }
        if (!scanner.blank) {
          if (headerPending) {
            headerPending = false;
            checkHeader(split, buf, scanner, quote);
          } else {
            const problem = scanner.error ?? rows.add(buf, scanner);
            if (problem !== undefined) stop = errors.add(line, problem, recordText(buf, pos, next));
          }
        }
        line += scanner.newlines;
        window.pos = next;
        if (rows.length >= batchRows) {
          await errors.settle();
          stats.rows += rows.length;
          yield rows.finish();
        }
      }
      await errors.settle();
      if (stop || !needMore) break;
      await window.fill();
    }
    if (rows.length > 0) {
      stats.rows += rows.length;
      yield rows.finish();
    }
  } finally {
    await window.close();
  }
}

/** A later file's header must name the same fields as the first file's (the source's schema). */
function checkHeader(split: FileSplit, buf: Buffer, scanner: CsvRecordScanner, quote: string): void {
  const expected = split.schema!.fields.map((f) => f.name);
  const found: string[] = [];
  for (let k = 0; k < scanner.count; k++) found.push(fieldText(buf, scanner, k, quote) || `c${k}`);
  if (found.length !== expected.length || found.some((name, k) => name !== expected[k] && !expected[k]!.startsWith(`${name}_`))) {
    throw new SourceError(
      split.path,
      `Expected the header of ${split.path} to name the source's fields (${expected.join(', ')}), found ${found.join(', ')}. ` +
        'Every file of one CSV source must have the same columns; read files with different columns as separate sources, or set header: false with an explicit schema.',
    );
  }
}
