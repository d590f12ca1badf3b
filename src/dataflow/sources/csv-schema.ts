/**
 * The schema of a CSV source, decided once on the main thread: field names from the header (or
 * `c0, c1, …`, or the keys of an explicit schema), types from the explicit schema or inferred from
 * a sample of the first split. Inference is conservative so that every sampled value parses
 * at read time: a column is float64 only if every non-empty sampled value is a decimal number,
 * bool only for true/false, timestamp only for ISO-8601 dates; otherwise string. Empty is null.
 */
import type { ColumnType, Field, Schema } from '../batch/batch.js';
import { ByteWindow } from './byte-window.js';
import { CsvRecordScanner, ESCAPED, PLAIN, type CsvDialect } from './csv-record-scanner.js';
import { parseBoolBytes, parseIsoBytes, parseNumberBytes } from './byte-values.js';
import { SourceError } from './errors.js';
import type { SourceOptions } from './options.js';

/** Records a sample reads at most. */
const SAMPLE_RECORDS = 1000;
/** Bytes a sample reads at most (beyond the record that crosses it). */
const SAMPLE_BYTES = 1024 * 1024;

/** The scanner dialect of the options, checked. */
export function csvDialect(options: SourceOptions): CsvDialect {
  const delimiter = options.delimiter ?? ',';
  const quote = options.quote ?? '"';
  for (const [name, value] of [['delimiter', delimiter], ['quote', quote]] as const) {
    if (value.length !== 1 || value.charCodeAt(0) > 127 || value === '\n' || value === '\r') {
      throw new SourceError(value, `Expected CSV option \`${name}\` to be one ASCII character other than a newline, got ${JSON.stringify(value)}. Pass e.g. ${name === 'delimiter' ? "',' or '\\t'" : `'"' or "'"`}.`);
    }
  }
  if (delimiter === quote) throw new SourceError(delimiter, `Expected CSV options \`delimiter\` and \`quote\` to differ, both are ${JSON.stringify(delimiter)}.`);
  return { delimiter: delimiter.charCodeAt(0), quote: quote.charCodeAt(0), multiline: options.multiline === true };
}

/** The text of field `k` of the scanner's last record (quotes removed, doubled quotes unescaped). */
export function fieldText(buf: Buffer, scanner: CsvRecordScanner, k: number, quote: string): string {
  const text = buf.toString('utf8', scanner.starts[k], scanner.ends[k]);
  return scanner.kinds[k] === ESCAPED ? text.replaceAll(quote + quote, quote) : text;
}

/** The header and sampled records of a file, as text. */
interface Sample {
  header: string[] | undefined;
  records: string[][];
  /** Sampled values as buffers with their kinds, for type checks that must match the byte parsers. */
  cells: Array<Array<{ bytes: Buffer; plain: boolean }>>;
}

async function sampleFile(path: string, options: SourceOptions, signal?: AbortSignal): Promise<Sample> {
  const dialect = csvDialect(options);
  const quote = options.quote ?? '"';
  const scanner = new CsvRecordScanner(dialect);
  const window = await ByteWindow.open(path, 0, signal);
  const sample: Sample = { header: undefined, records: [], cells: [] };
  let wantHeader = options.header !== false;
  try {
    for (;;) {
      let needMore = false;
      while (sample.records.length < SAMPLE_RECORDS && window.offset < SAMPLE_BYTES) {
        if (window.pos >= window.limit) {
          needMore = !window.eof;
          break;
        }
        const next = scanner.scan(window.buf, window.pos, window.limit, window.eof);
        if (next < 0) {
          needMore = true;
          break;
        }
        if (!scanner.blank && scanner.error === undefined) {
          const texts: string[] = [];
          const cells: Array<{ bytes: Buffer; plain: boolean }> = [];
          for (let k = 0; k < scanner.count; k++) {
            const text = fieldText(window.buf, scanner, k, quote);
            texts.push(text);
            cells.push({ bytes: Buffer.from(text, 'utf8'), plain: scanner.kinds[k] === PLAIN });
          }
          if (wantHeader) {
            sample.header = texts;
            wantHeader = false;
          } else {
            sample.records.push(texts);
            sample.cells.push(cells);
          }
        }
        window.pos = next;
      }
      if (!needMore) break;
      await window.fill();
    }
  } finally {
    await window.close();
  }
  return sample;
}

/** Infers the type of one column from its sampled cells. */
function inferColumn(cells: ReadonlyArray<{ bytes: Buffer; plain: boolean }>): ColumnType {
  let number = true;
  let bool = true;
  let time = true;
  let seen = false;
  for (const { bytes, plain } of cells) {
    if (bytes.length === 0 && plain) continue;
    seen = true;
    number &&= !Number.isNaN(parseNumberBytes(bytes, 0, bytes.length));
    bool &&= parseBoolBytes(bytes, 0, bytes.length) >= 0;
    time &&= !Number.isNaN(parseIsoBytes(bytes, 0, bytes.length));
    if (!number && !bool && !time) return 'string';
  }
  if (!seen) return 'string';
  return number ? 'float64' : bool ? 'bool' : time ? 'timestamp' : 'string';
}

/** Unique, non-empty field names (a repeated name gets `_2`, `_3`…; an empty one `c<i>`). */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const name = raw === '' ? `c${i}` : raw;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}

/**
 * The schema of a CSV source from its first file (`undefined` when every file is empty).
 * @throws SourceError when an explicit schema names a column the header does not have.
 */
export async function planCsvSchema(firstFile: string | undefined, options: SourceOptions, signal?: AbortSignal): Promise<Schema> {
  const sample = firstFile === undefined ? { header: undefined, records: [], cells: [] } : await sampleFile(firstFile, options, signal);
  const explicit = options.schema === undefined || options.schema === 'infer' ? undefined : options.schema;
  const width = Math.max(sample.header?.length ?? 0, explicit && options.header === false ? Object.keys(explicit).length : 0, ...sample.records.map((r) => r.length));
  let names: string[];
  if (options.header !== false) {
    names = uniqueNames(sample.header ?? (explicit ? Object.keys(explicit) : []));
    for (const name of Object.keys(explicit ?? {})) {
      if (!names.includes(name)) {
        throw new SourceError(firstFile ?? name, `The CSV schema names column ${JSON.stringify(name)}, but the header of ${firstFile ?? '(no file)'} has only ${names.map((n) => JSON.stringify(n)).join(', ') || 'no columns'}. Fix the name in the schema or the header.`);
      }
    }
  } else {
    const given = Object.keys(explicit ?? {});
    names = uniqueNames(Array.from({ length: width }, (_, i) => given[i] ?? `c${i}`));
  }
  const fields: Field[] = names.map((name, c) => ({
    name,
    type: explicit?.[name] ?? inferColumn(sample.cells.map((row) => row[c] ?? { bytes: Buffer.alloc(0), plain: true })),
    nullable: true,
  }));
  return { fields };
}
