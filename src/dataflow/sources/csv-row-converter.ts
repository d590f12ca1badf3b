/**
 * Turns CSV records into columns: each field is converted by its column's type straight from the
 * bytes (numbers parsed in place, strings interned by bytes) into typed arrays indexed by row.
 * A record is checked completely before it counts as a row, so a malformed row leaves the batch
 * untouched and the policy can skip it.
 *
 * A converter may keep only some columns (projection push-down): the others are still checked
 * against their type — so the same rows are malformed whatever a job reads — but not kept; a string
 * column that is not kept is not even interned.
 *
 * Two ways in: {@link CsvRowConverter.add} converts a record the {@link CsvRecordScanner} found
 * (any dialect feature: quotes, escapes, errors), and {@link CsvRowConverter.addPlain} converts
 * runs of plain records in one pass over their bytes (see csv-plain-records.ts), handing anything
 * unusual back to the scanner.
 */
import type { Batch, Column, Field, Schema } from '../batch/batch.js';
import { ColumnBuilder } from '../batch/builder.js';
import { parseBoolBytes, parseIsoBytes, parseNumberBytes } from './byte-values.js';
import { ByteInterner, DictionaryColumnBuilder } from './byte-interner.js';
import { ESCAPED, PLAIN, type CsvRecordScanner } from './csv-record-scanner.js';
import { fieldText } from './csv-schema.js';
import { scanPlainRecords } from './csv-plain-records.js';
import { ANY, BOOL, CODES, F64, I32, SKIP, STR, TIME } from './csv-type-codes.js';

const EXPECTED: Record<number, string> = {
  [F64]: 'a number',
  [I32]: 'a 32-bit integer',
  [BOOL]: 'true or false',
  [TIME]: 'an ISO-8601 date/time or epoch milliseconds',
};

/** The rows of one batch being built: a typed array per numeric column, dictionaries for strings. */
export interface RowColumns {
  /** Per column: float64 and timestamp values. */
  readonly floats: ReadonlyArray<Float64Array | undefined>;
  /** Per column: int32 values. */
  readonly ints: ReadonlyArray<Int32Array | undefined>;
  /** Per column: bool values as 0/1. */
  readonly bools: ReadonlyArray<Uint8Array | undefined>;
  /** Per column: the string interner. */
  readonly interners: readonly ByteInterner[];
}

/** Accumulates one batch of rows of a CSV schema. */
export class CsvRowConverter implements RowColumns {
  readonly #schema: Schema;
  /** The schema of the batches: the kept fields. */
  readonly #output: Schema;
  /** Per column: whether batches keep it. */
  readonly #keep: boolean[];
  readonly #codes: number[];
  readonly #quote: string;
  readonly #quoteByte: number;
  readonly #delimiter: number;
  #capacity: number;
  readonly interners: ByteInterner[];
  floats: Array<Float64Array | undefined> = [];
  ints: Array<Int32Array | undefined> = [];
  bools: Array<Uint8Array | undefined> = [];
  /** Per column: the null bitmap of numeric columns, once a null arrived (bit clear = null). */
  #validity: Array<Uint8Array | undefined> = [];
  #anyColumns: Array<ColumnBuilder | undefined> = [];
  /** Per column: the dictionary builder of string columns. */
  readonly #strColumns: Array<DictionaryColumnBuilder | undefined>;
  /** Per string column: the interner entry of the current row, or -1 for an escaped field (in #strings). */
  readonly #entries: Int32Array;
  readonly #strings: Array<string | undefined>;
  readonly #nulls: Uint8Array;
  /** Whether plain records can take the one-pass path (no `any` columns). */
  readonly #plain: boolean;
  #rows = 0;

  /** Whether every batch is written into the same arrays (the consumer keeps none of them). */
  readonly #transient: boolean;

  /**
   * @param fields - the fields batches keep (all when absent); the others are only checked.
   * @param transient - a batch is consumed before the next one is built: reuse its arrays.
   */
  constructor(schema: Schema, capacity: number, quote: string, delimiter = ',', fields?: readonly string[], transient = false) {
    this.#transient = transient;
    this.#schema = schema;
    const kept = (f: Field): boolean => fields === undefined || fields.includes(f.name);
    // One `any` column named `value` alone would read as a batch of plain values: keep everything then.
    const lone = schema.fields.filter(kept);
    const valueLike = lone.length === 1 && lone[0]!.type === 'any' && lone[0]!.name === 'value';
    this.#keep = schema.fields.map((f) => valueLike || kept(f));
    this.#output = this.#keep.every(Boolean) ? schema : { fields: schema.fields.filter((_, c) => this.#keep[c]) };
    this.#codes = schema.fields.map((f, c) => (!this.#keep[c] && (f.type === 'string' || f.type === 'any') ? SKIP : CODES[f.type]));
    this.interners = schema.fields.map(() => new ByteInterner());
    this.#quote = quote;
    this.#quoteByte = quote.charCodeAt(0);
    this.#delimiter = delimiter.charCodeAt(0);
    this.#capacity = Math.max(16, capacity);
    this.#strColumns = schema.fields.map((_, c) => (this.#codes[c] === STR ? new DictionaryColumnBuilder(this.interners[c]!, this.#capacity, transient) : undefined));
    const n = schema.fields.length;
    this.#entries = new Int32Array(n);
    this.#strings = new Array<string | undefined>(n);
    this.#nulls = new Uint8Array(n);
    this.#plain = !this.#codes.includes(ANY) && n > 0;
    this.#allocate();
  }

  /** Rows in the current batch. */
  get length(): number {
    return this.#rows;
  }

  /**
   * Converts plain records from `buf[pos]` on, each one line, until a record needs the scanner
   * (quotes, a `\r` alone, a value that does not parse, a wrong field count, a line not complete
   * before `limit`), a record starts at or after `stop`, or the batch holds `maxRows` rows.
   * @returns the offset after the last converted record (`pos` when none was).
   */
  addPlain(buf: Buffer, pos: number, limit: number, stop: number, maxRows: number): number {
    if (!this.#plain || this.#rows >= maxRows) return pos;
    const { next, rows } = scanPlainRecords(this, buf, pos, limit, stop, Math.min(maxRows, this.#capacity) - this.#rows);
    return rows === 0 ? pos : next;
  }

  /** @internal For csv-plain-records.ts: the codes, separators and the row the next record fills. */
  plainState(): { codes: readonly number[]; delimiter: number; quote: number; row: number; entries: Int32Array; nulls: Uint8Array } {
    return { codes: this.#codes, delimiter: this.#delimiter, quote: this.#quoteByte, row: this.#rows, entries: this.#entries, nulls: this.#nulls };
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
    if (this.#rows === this.#capacity) this.#grow();
    const row = this.#rows;
    const { starts, ends, kinds } = scanner;
    const strings = this.#strings;
    const nulls = this.#nulls;
    for (let c = 0; c < n; c++) {
      const s = starts[c]!;
      const e = ends[c]!;
      const kind = kinds[c]!;
      const code = codes[c]!;
      if (code === SKIP) continue;
      if (s === e && (kind === PLAIN || code !== STR)) {
        nulls[c] = 1;
        continue;
      }
      nulls[c] = 0;
      if (code === STR) {
        if (kind === ESCAPED) {
          strings[c] = fieldText(buf, scanner, c, this.#quote);
          this.#entries[c] = -1;
        } else this.#entries[c] = this.interners[c]!.intern(buf, s, e);
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
      if (code === I32) this.ints[c]![row] = value;
      else if (code === BOOL) this.bools[c]![row] = value;
      else this.floats[c]![row] = value;
    }
    for (let c = 0; c < n; c++) if (codes[c] === ANY) this.#anyColumns[c]!.append(nulls[c] === 1 ? null : strings[c]);
    this.commitRow();
    return undefined;
  }

  /**
   * @internal Ends the current row: string columns take their entries (or texts), null flags
   * become validity bits. Numeric values are already in place at the row's index.
   */
  commitRow(): void {
    const codes = this.#codes;
    const nulls = this.#nulls;
    const row = this.#rows;
    for (let c = 0; c < codes.length; c++) {
      const code = codes[c]!;
      if (code === STR) {
        const column = this.#strColumns[c]!;
        const entry = this.#entries[c]!;
        if (nulls[c] === 1) column.appendNull();
        else if (entry >= 0) column.appendEntry(entry);
        else column.appendText(this.#strings[c]!);
      } else if (nulls[c] === 1 && code !== ANY && code !== SKIP && this.#keep[c]) this.#setNull(c, code, row);
    }
    this.#rows = row + 1;
  }

  /** The rows so far as a batch; the converter starts a new one. */
  finish(): Batch {
    const n = this.#rows;
    const columns: Column[] = [];
    this.#codes.forEach((code, c) => {
      if (this.#keep[c]) columns.push(this.#strColumns[c]?.finish() ?? this.#anyColumns[c]?.finish() ?? this.#numericColumn(c, code, n));
    });
    this.#rows = 0;
    this.#allocate();
    for (const interner of this.interners) interner.trim();
    return { schema: this.#output, length: n, columns };
  }

  #numericColumn(c: number, code: number, n: number): Column {
    const validity = this.#validity[c] === undefined ? {} : { validity: this.#validity[c].slice(0, (n + 7) >> 3) };
    const take = <T extends Float64Array | Int32Array | Uint8Array>(values: T): T => (n === values.length ? values : this.#transient ? (values.subarray(0, n) as T) : (values.slice(0, n) as T));
    if (code === I32) return { type: 'int32', values: take(this.ints[c]!), ...validity };
    if (code === BOOL) return { type: 'bool', values: take(this.bools[c]!), ...validity };
    return { type: code === TIME ? 'timestamp' : 'float64', values: take(this.floats[c]!), ...validity };
  }

  #setNull(c: number, code: number, row: number): void {
    if (code === I32) this.ints[c]![row] = 0;
    else if (code === BOOL) this.bools[c]![row] = 0;
    else this.floats[c]![row] = 0;
    const validity = (this.#validity[c] ??= new Uint8Array((this.#capacity + 7) >> 3).fill(0xff));
    validity[row >> 3]! &= ~(1 << (row & 7));
  }

  /** New arrays for the kept columns (unless transient); a checked-only column keeps writing into the same scratch array. */
  #allocate(): void {
    const cap = this.#capacity;
    const fresh = <T>(c: number, old: ReadonlyArray<T | undefined>, make: () => T): T => (this.#keep[c] && !this.#transient ? make() : (old[c] ?? make()));
    this.floats = this.#codes.map((code, c) => (code === F64 || code === TIME ? fresh(c, this.floats, () => new Float64Array(cap)) : undefined));
    this.ints = this.#codes.map((code, c) => (code === I32 ? fresh(c, this.ints, () => new Int32Array(cap)) : undefined));
    this.bools = this.#codes.map((code, c) => (code === BOOL ? fresh(c, this.bools, () => new Uint8Array(cap)) : undefined));
    this.#validity = this.#codes.map(() => undefined);
    this.#anyColumns = this.#codes.map((code) => (code === ANY ? new ColumnBuilder('any', 0) : undefined));
  }

  /** More rows than the batch size (a caller that does not stop at it): double every array. */
  #grow(): void {
    const cap = (this.#capacity *= 2);
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T | undefined, size = cap): T | undefined => {
      if (a === undefined) return undefined;
      const next = new (a.constructor as new (n: number) => T)(size);
      next.set(a);
      if (size !== cap) next.fill(0xff, a.length);
      return next;
    };
    this.floats = this.floats.map((a) => grow(a));
    this.ints = this.ints.map((a) => grow(a));
    this.bools = this.bools.map((a) => grow(a));
    this.#validity = this.#validity.map((a) => grow(a, (cap + 7) >> 3));
  }

  #badValue(buf: Buffer, scanner: CsvRecordScanner, c: number): string {
    const field = this.#schema.fields[c]!;
    const text = fieldText(buf, scanner, c, this.#quote);
    const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
    return `column ${JSON.stringify(field.name)} (field ${c + 1}) expects ${EXPECTED[this.#codes[c]!]} (${field.type}), found ${shown}`;
  }
}

