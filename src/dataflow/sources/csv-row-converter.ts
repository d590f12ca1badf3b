/**
 * Turns scanned CSV records into columns: each field is converted by its column's type straight
 * from the bytes into a {@link ColumnBuilder} (numbers parsed in place, strings interned by bytes).
 * A record is checked completely before any of it is appended, so a malformed row leaves the
 * batch untouched and the policy can skip it.
 */
import type { Batch, ColumnType, Schema } from '../batch/batch.js';
import { ColumnBuilder } from '../batch/builder.js';
import { parseBoolBytes, parseIsoBytes, parseNumberBytes } from './byte-values.js';
import { ByteInterner, DictionaryColumnBuilder } from './byte-interner.js';
import { ESCAPED, PLAIN, type CsvRecordScanner } from './csv-record-scanner.js';
import { fieldText } from './csv-schema.js';

const F64 = 0;
const I32 = 1;
const BOOL = 2;
const TIME = 3;
const STR = 4;
const ANY = 5;

const CODES: Record<ColumnType, number> = { float64: F64, int32: I32, bool: BOOL, timestamp: TIME, string: STR, any: ANY };

const EXPECTED: Record<number, string> = {
  [F64]: 'a number',
  [I32]: 'a 32-bit integer',
  [BOOL]: 'true or false',
  [TIME]: 'an ISO-8601 date/time or epoch milliseconds',
};

/** Accumulates one batch of rows of a CSV schema. */
export class CsvRowConverter {
  readonly #schema: Schema;
  readonly #codes: number[];
  readonly #interners: ByteInterner[];
  readonly #quote: string;
  readonly #capacity: number;
  #builders: ColumnBuilder[];
  /** Per column: the dictionary builder of string columns (their ColumnBuilder is unused). */
  readonly #strColumns: Array<DictionaryColumnBuilder | undefined>;
  /** Per string column: the interner entry of the current row, or -1 for an escaped field (in #strings). */
  readonly #entries: Int32Array;
  readonly #numbers: Float64Array;
  readonly #strings: Array<string | undefined>;
  readonly #nulls: Uint8Array;
  #rows = 0;

  constructor(schema: Schema, capacity: number, quote: string) {
    this.#schema = schema;
    this.#codes = schema.fields.map((f) => CODES[f.type]);
    this.#interners = schema.fields.map(() => new ByteInterner());
    this.#quote = quote;
    this.#capacity = capacity;
    this.#builders = this.#newBuilders();
    this.#strColumns = schema.fields.map((f, c) => (f.type === 'string' ? new DictionaryColumnBuilder(this.#interners[c]!, capacity) : undefined));
    const n = schema.fields.length;
    this.#entries = new Int32Array(n);
    this.#numbers = new Float64Array(n);
    this.#strings = new Array<string | undefined>(n);
    this.#nulls = new Uint8Array(n);
  }

  /** Rows in the current batch. */
  get length(): number {
    return this.#rows;
  }

  /**
   * Appends the scanner's last record as a row.
   * @returns undefined, or why the record does not fit the schema (then nothing was appended).
   */
  add(buf: Buffer, scanner: CsvRecordScanner): string | undefined {
    const codes = this.#codes;
    const n = codes.length;
    if (scanner.count !== n) {
      const names = this.#schema.fields.map((f) => f.name).join(', ');
      return `expected ${n} fields (${names}), found ${scanner.count}`;
    }
    const { starts, ends, kinds } = scanner;
    const numbers = this.#numbers;
    const strings = this.#strings;
    const nulls = this.#nulls;
    for (let c = 0; c < n; c++) {
      const s = starts[c]!;
      const e = ends[c]!;
      const kind = kinds[c]!;
      const code = codes[c]!;
      if (s === e && (kind === PLAIN || code !== STR)) {
        nulls[c] = 1;
        continue;
      }
      nulls[c] = 0;
      if (code === STR) {
        if (kind === ESCAPED) {
          strings[c] = fieldText(buf, scanner, c, this.#quote);
          this.#entries[c] = -1;
        } else this.#entries[c] = this.#interners[c]!.intern(buf, s, e);
        continue;
      }
      if (code === ANY) {
        strings[c] = fieldText(buf, scanner, c, this.#quote);
        continue;
      }
      let value: number;
      if (code === BOOL) value = parseBoolBytes(buf, s, e);
      else if (code === TIME && e - s >= 10 && buf[s + 4] === 45) value = parseIsoBytes(buf, s, e);
      else value = parseNumberBytes(buf, s, e);
      if (Number.isNaN(value) || (code === BOOL && value < 0) || (code === I32 && (value | 0) !== value)) {
        return this.#badValue(buf, scanner, c);
      }
      numbers[c] = value;
    }
    const builders = this.#builders;
    const strColumns = this.#strColumns;
    for (let c = 0; c < n; c++) {
      const code = codes[c]!;
      if (code === STR) {
        const column = strColumns[c]!;
        const entry = this.#entries[c]!;
        if (nulls[c] === 1) column.appendNull();
        else if (entry >= 0) column.appendEntry(entry);
        else column.appendText(strings[c]!);
      } else if (nulls[c] === 1) builders[c]!.appendNull();
      else if (code === ANY) builders[c]!.append(strings[c]);
      else builders[c]!.appendNumber(numbers[c]!);
    }
    this.#rows++;
    return undefined;
  }

  /** The rows so far as a batch; the converter starts a new one. */
  finish(): Batch {
    const columns = this.#builders.map((b, c) => this.#strColumns[c]?.finish() ?? b.finish());
    const length = this.#rows;
    this.#rows = 0;
    this.#builders = this.#newBuilders();
    for (const interner of this.#interners) interner.trim();
    return { schema: this.#schema, length, columns };
  }

  #badValue(buf: Buffer, scanner: CsvRecordScanner, c: number): string {
    const field = this.#schema.fields[c]!;
    const text = fieldText(buf, scanner, c, this.#quote);
    const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
    return `column ${JSON.stringify(field.name)} (field ${c + 1}) expects ${EXPECTED[this.#codes[c]!]} (${field.type}), found ${shown}`;
  }

  #newBuilders(): ColumnBuilder[] {
    return this.#schema.fields.map((f) => new ColumnBuilder(f.type === 'string' ? 'any' : f.type, f.type === 'string' ? 0 : this.#capacity));
  }
}
