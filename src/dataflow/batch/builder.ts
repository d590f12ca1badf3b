/**
 * Building columnar batches a value at a time: growable typed arrays per column, strings interned
 * into a dictionary as they arrive. Sources (CSV, NDJSON, Parquet) and operators that produce
 * typed rows build their output with these; everything else produces value batches.
 */
import type { Batch, Column, ColumnType, Field, Schema } from './batch.js';

/** Appends values of one column type and produces a {@link Column}. */
export class ColumnBuilder {
  readonly type: ColumnType;
  #length = 0;
  #numbers: Float64Array | Int32Array | Uint8Array | undefined;
  #indices: Int32Array | undefined;
  #dictionary: string[] = [];
  #lookup = new Map<string, number>();
  #values: unknown[] = [];
  #validity: Uint8Array | undefined;
  #nulls = 0;

  constructor(type: ColumnType, capacity = 1024) {
    this.type = type;
    const cap = Math.max(16, capacity);
    if (type === 'float64' || type === 'timestamp') this.#numbers = new Float64Array(cap);
    else if (type === 'int32') this.#numbers = new Int32Array(cap);
    else if (type === 'bool') this.#numbers = new Uint8Array(cap);
    else if (type === 'string') this.#indices = new Int32Array(cap);
  }

  get length(): number {
    return this.#length;
  }

  /** Appends a number (float64, int32, timestamp ms, bool as 0/1). */
  appendNumber(value: number): void {
    const i = this.#length++;
    if (this.#numbers!.length <= i) this.#numbers = grow(this.#numbers!);
    this.#numbers![i] = value;
  }

  /** Appends a string (dictionary-encoded). */
  appendString(value: string): void {
    const i = this.#length++;
    if (this.#indices!.length <= i) this.#indices = grow(this.#indices!);
    let id = this.#lookup.get(value);
    if (id === undefined) {
      id = this.#dictionary.length;
      this.#dictionary.push(value);
      this.#lookup.set(value, id);
    }
    this.#indices![i] = id;
  }

  /** Appends a null. */
  appendNull(): void {
    const i = this.#length;
    if (this.type === 'any') {
      this.#values.push(null);
      this.#length++;
      return;
    }
    if (this.type === 'string') this.appendString('');
    else this.appendNumber(0);
    this.#validity ??= allValid(Math.max(i + 1, this.#numbers?.length ?? this.#indices?.length ?? 16));
    if (this.#validity.length * 8 <= i) this.#validity = growValidity(this.#validity);
    this.#validity[i >> 3]! &= ~(1 << (i & 7));
    this.#nulls++;
  }

  /** Appends any JS value, converting it to the column's type (`null`/`undefined` → null). */
  append(value: unknown): void {
    if (value === null || value === undefined) return this.appendNull();
    switch (this.type) {
      case 'any':
        this.#values.push(value);
        this.#length++;
        return;
      case 'string':
        return this.appendString(toText(value));
      case 'bool':
        return this.appendNumber(value ? 1 : 0);
      case 'timestamp':
        return this.appendNumber(value instanceof Date ? value.getTime() : Number(value));
      default:
        return this.appendNumber(Number(value));
    }
  }

  /** The finished column; the builder must not be used afterwards. */
  finish(): Column {
    const n = this.#length;
    let validity: Uint8Array | undefined;
    if (this.#nulls > 0) {
      // Rows appended after the last null are valid: pad the bitmap with set bits up to n.
      validity = new Uint8Array((n + 7) >> 3).fill(0xff);
      validity.set(this.#validity!.subarray(0, validity.length));
    }
    const extra = validity ? { validity } : {};
    switch (this.type) {
      case 'any':
        return { type: 'any', values: this.#values };
      case 'string':
        return { type: 'string', indices: this.#indices!.slice(0, n), dictionary: this.#dictionary, ...extra };
      case 'int32':
        return { type: 'int32', values: (this.#numbers as Int32Array).slice(0, n), ...extra };
      case 'bool':
        return { type: 'bool', values: (this.#numbers as Uint8Array).slice(0, n), ...extra };
      default:
        return { type: this.type, values: (this.#numbers as Float64Array).slice(0, n), ...extra };
    }
  }
}

/** Builds a batch row by row for a known schema. */
export class BatchBuilder {
  readonly schema: Schema;
  readonly columns: ColumnBuilder[];

  constructor(schema: Schema, capacity = 1024) {
    this.schema = schema;
    this.columns = schema.fields.map((f) => new ColumnBuilder(f.type, capacity));
  }

  get length(): number {
    return this.columns[0]?.length ?? 0;
  }

  /** Appends a row given as an object keyed by field name. */
  appendRow(row: Readonly<Record<string, unknown>>): void {
    const fields = this.schema.fields;
    for (let c = 0; c < fields.length; c++) this.columns[c]!.append(row[fields[c]!.name]);
  }

  finish(): Batch {
    const columns = this.columns.map((b) => b.finish());
    return { schema: this.schema, length: columns[0] ? columnLength(columns[0]) : 0, columns };
  }
}

/** Builds a typed batch from plain row objects, inferring the schema from the values when not given. */
export function batchFromRows(rows: ReadonlyArray<Readonly<Record<string, unknown>>>, schema: Schema = inferSchema(rows)): Batch {
  const builder = new BatchBuilder(schema, rows.length);
  for (const row of rows) builder.appendRow(row);
  return builder.finish();
}

/** Infers a schema from row objects: number → float64, string, boolean → bool, Date → timestamp, else any. */
export function inferSchema(rows: ReadonlyArray<Readonly<Record<string, unknown>>>): Schema {
  const types = new Map<string, { type: ColumnType | undefined; nullable: boolean }>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      const seen = types.get(name) ?? { type: undefined, nullable: false };
      if (value === null || value === undefined) seen.nullable = true;
      else seen.type = widen(seen.type, typeOfValue(value));
      types.set(name, seen);
    }
  }
  const fields: Field[] = [...types].map(([name, t]) => ({ name, type: t.type ?? 'any', nullable: t.nullable || t.type === undefined }));
  return { fields };
}

/** A value as text for a string column: strings as they are, objects as JSON. */
function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

function typeOfValue(value: unknown): ColumnType {
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date) return 'timestamp';
  return 'any';
}

function widen(a: ColumnType | undefined, b: ColumnType): ColumnType {
  return a === undefined || a === b ? b : 'any';
}

function columnLength(column: Column): number {
  return column.type === 'string' ? column.indices.length : column.values.length;
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(array: T): T {
  const next = new (array.constructor as new (n: number) => T)(array.length * 2);
  next.set(array);
  return next;
}

function allValid(rows: number): Uint8Array {
  return new Uint8Array((rows + 7) >> 3).fill(0xff);
}

function growValidity(validity: Uint8Array): Uint8Array {
  const next = new Uint8Array(validity.length * 2).fill(0xff);
  next.set(validity);
  return next;
}
