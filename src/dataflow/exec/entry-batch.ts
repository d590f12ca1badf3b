/**
 * Partial aggregate entries (`[key, first, accumulators]`) as a columnar batch, for the hash
 * exchange between the two phases of an aggregation. As value batches, every entry crossed the
 * thread boundary as three small arrays, cloned one by one (twice: task → driver → task), which
 * made the exchange of a word count cost more than its final phase. Here keys that are all strings
 * or all numbers become one typed column, numeric accumulators one `float64` column each, and only
 * what has no typed form (mixed keys, avg pairs, unset min/max) stays in `any` columns — values
 * exactly as they were, so decoding gives back equal entries. First records (Flink-style
 * `keyBy(0).sum(1)` carries each key's first tuple) that are all tuples of one length travel as
 * one column per element, typed where the element allows; first records that are all `null`
 * (every other style) travel as no column at all.
 */
import type { Batch, Column, Field } from '../batch/index.js';
import type { AggEntry } from './aggregate.js';

/** The name of an entry batch's key column; no source field is named so. */
export const ENTRY_KEY_FIELD = '\u0000entry.key';
const KEY = ENTRY_KEY_FIELD;
const FIRST = '\u0000entry.first';
const ACC_PREFIX = '\u0000entry.acc';
/** The longest tuple whose elements travel as columns of their own. */
const MAX_TUPLE = 16;

/** The column name of element `k` of tuple first records. */
function firstItemField(k: number): string {
  return `${FIRST}.${k}`;
}

/** True for a batch made by {@link entriesBatch}. */
export function isEntryBatch(batch: Batch): boolean {
  return batch.schema.fields[0]?.name === KEY;
}

/**
 * An entry batch's columns, as an aggregator that keeps its state column-wise builds them: the
 * key column, the first records (one `any` column, one column per tuple element, or none when
 * they are all `null`) and one column per accumulator. The result is the batch
 * {@link entriesBatch} makes of the same entries.
 */
export interface EntryColumns {
  readonly length: number;
  readonly key: Column;
  readonly firsts?: Column | readonly Column[] | undefined;
  readonly accs: readonly Column[];
}

/** An entry batch from its columns. */
export function entryBatch(parts: EntryColumns): Batch {
  const fields: Field[] = [];
  const columns: Column[] = [];
  const add = (name: string, column: Column): void => {
    fields.push({ name, type: column.type, nullable: true });
    columns.push(column);
  };
  add(KEY, parts.key);
  const firsts = parts.firsts;
  if (Array.isArray(firsts)) firsts.forEach((column: Column, k) => add(firstItemField(k), column));
  else if (firsts !== undefined) add(FIRST, firsts as Column);
  parts.accs.forEach((column, a) => add(entryAccField(a), column));
  return { schema: { fields }, length: parts.length, columns };
}

/** Entries as a columnar batch (`accCount` accumulators each). */
export function entriesBatch(entries: readonly AggEntry[], accCount: number): Batch {
  const n = entries.length;
  const accs = Array.from({ length: accCount }, (_, a) => valueColumn(n, (i) => entries[i]![2][a]));
  return entryBatch({ length: n, key: valueColumn(n, (i) => entries[i]![0]), firsts: firstColumns(entries.map((e) => e[1])), accs });
}

/**
 * The first-record columns of entries whose first records are `firsts`: one column per element
 * when they are all tuples of one length, else one `any` column, or none when they are all `null`.
 * With the entries' `keys` and their column, an element that is the key in every entry (the
 * common `keyBy(0)`) is that column itself, not a second copy of it.
 */
export function firstColumns(firsts: readonly unknown[], key?: { values: readonly unknown[]; column: Column }): EntryColumns['firsts'] {
  const n = firsts.length;
  const width = tupleWidth(firsts);
  if (width >= 0) {
    const items = firsts as ReadonlyArray<readonly unknown[]>;
    return Array.from({ length: width }, (_, k) =>
      key !== undefined && items.every((item, i) => Object.is(item[k], key.values[i])) ? key.column : valueColumn(n, (i) => items[i]![k]),
    );
  }
  return firsts.some((f) => f !== null) ? { type: 'any', values: firsts.slice() } : undefined;
}

/**
 * The column {@link valueColumn} makes of `keys`, all different (an aggregator's keys): strings
 * then need no lookup to be dictionary-encoded — the keys are the dictionary.
 */
export function distinctKeyColumn(keys: readonly unknown[]): Column {
  const n = keys.length;
  if (n === 0 || !keys.every((k) => typeof k === 'string')) return valueColumn(n, (i) => keys[i]);
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  return { type: 'string', indices, dictionary: keys.slice() };
}

/** The name of an entry batch's column of accumulator `a`. */
export function entryAccField(a: number): string {
  return `${ACC_PREFIX}${a}`;
}

/** The length of every first record when they are all tuples of one length (1 to {@link MAX_TUPLE}), else -1. */
function tupleWidth(firsts: readonly unknown[]): number {
  const first = firsts[0];
  if (!Array.isArray(first) || first.length === 0 || first.length > MAX_TUPLE) return -1;
  const width = first.length;
  for (const f of firsts) if (!Array.isArray(f) || f.length !== width) return -1;
  return width;
}

/** Reads the first record of an entry batch's row (`null` when the batch carries none). */
export function entryFirstReader(batch: Batch): (i: number) => unknown {
  const fields = batch.schema.fields;
  if (fields[1]?.name === FIRST) return reader(batch.columns[1]!);
  const items: Array<(i: number) => unknown> = [];
  while (fields[items.length + 1]?.name === firstItemField(items.length)) items.push(reader(batch.columns[items.length + 1]!));
  return items.length > 0 ? (i) => items.map((item) => item(i)) : () => null;
}

/** Calls `each` with every entry of an entry batch, in order (the `accs` array is reused). */
export function forEachEntry(batch: Batch, each: (entry: AggEntry) => void): void {
  const readKey = reader(batch.columns[0]!);
  const firstAt = entryFirstReader(batch);
  const read = batch.columns.filter((_, c) => batch.schema.fields[c]!.name.startsWith(ACC_PREFIX)).map(reader);
  const accs = new Array<unknown>(read.length);
  for (let i = 0; i < batch.length; i++) {
    for (let a = 0; a < accs.length; a++) accs[a] = read[a]!(i);
    each([readKey(i), firstAt(i), accs]);
  }
}

/** The entries of an entry batch, each with its own arrays. */
export function entriesOf(batch: Batch): AggEntry[] {
  const out: AggEntry[] = [];
  forEachEntry(batch, ([key, first, accs]) => out.push([key, first, [...accs]]));
  return out;
}

/** A column of values: strings dictionary-encoded, numbers float64, anything else as it is. */
export function valueColumn(n: number, at: (i: number) => unknown): Column {
  let strings = true;
  let numbers = true;
  for (let i = 0; i < n && (strings || numbers); i++) {
    const v = at(i);
    strings &&= typeof v === 'string';
    numbers &&= typeof v === 'number';
  }
  if (n > 0 && numbers) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = at(i) as number;
    return { type: 'float64', values };
  }
  if (n > 0 && strings) {
    const ids = new Map<string, number>();
    const dictionary: string[] = [];
    const indices = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const text = at(i) as string;
      let id = ids.get(text);
      if (id === undefined) {
        ids.set(text, (id = dictionary.length));
        dictionary.push(text);
      }
      indices[i] = id;
    }
    return { type: 'string', indices, dictionary };
  }
  return { type: 'any', values: Array.from({ length: n }, (_, i) => at(i)) };
}

function reader(column: Column): (i: number) => unknown {
  switch (column.type) {
    case 'string':
      return (i) => column.dictionary[column.indices[i]!];
    case 'any':
      return (i) => column.values[i];
    default:
      return (i) => column.values[i];
  }
}
