/**
 * The per-row functions of weft's built-in mappings. They are registered under fixed ids at this
 * module's top level, so a worker thread or process imports this module and finds them — code is
 * found, not sent; a task carries only the functions' ids and their `with` data (column lists,
 * expression trees).
 */
import { registerAt } from '../../runtime/index.js';
import type { OpContext } from '../../dataflow/index.js';
import type { Row } from '../relations/relation.js';

/** Data of {@link withKey}. */
export interface WithKeyData {
  readonly columns: readonly string[];
  /** Field that receives the key. */
  readonly as: string;
}

/** The row with `as` set to its key: the column's value, or a tuple of the columns' values. */
export const withKey = (row: Row, ctx: OpContext<WithKeyData>): Row => {
  const { columns, as } = ctx.with;
  const key = columns.length === 1 ? (row[columns[0]!] ?? null) : columns.map((c) => row[c] ?? null);
  return { ...row, [as]: key };
};

/** Data of {@link conform}. */
export interface ConformData {
  /** Output columns in order; a column the row lacks is null. */
  readonly fields: readonly string[];
  /** Output name → input name, for columns that are renamed on the way. */
  readonly from?: Readonly<Record<string, string>>;
}

/** The row with exactly `fields`, in order (missing ones null). */
export const conform = (row: Row, ctx: OpContext<ConformData>): Row => {
  const out: Row = {};
  const from = ctx.with.from;
  for (const field of ctx.with.fields) out[field] = row[from?.[field] ?? field] ?? null;
  return out;
};

/** Data of {@link withSortKey}. */
export interface SortKeyData {
  readonly columns: ReadonlyArray<{ readonly name: string; readonly descending: boolean }>;
  readonly as: string;
}

/**
 * The row with `as` set to a key whose ascending order is the wanted order: ascending columns as
 * they are (nulls first), descending ones inverted (nulls last), as SQL orders by default.
 */
export const withSortKey = (row: Row, ctx: OpContext<SortKeyData>): Row => {
  const key = ctx.with.columns.map(({ name, descending }) => (descending ? descendingKey(row[name]) : (row[name] ?? null)));
  return { ...row, [ctx.with.as]: key };
};

/** A value whose ascending order is the descending order of `value`, nulls after everything. */
function descendingKey(value: unknown): unknown {
  if (value === null || value === undefined) return [1];
  if (typeof value === 'number') return [0, -value];
  if (typeof value === 'boolean') return [0, value ? 0 : 1];
  if (value instanceof Date) return [0, -value.getTime()];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  let inverted = '';
  for (let i = 0; i < text.length; i++) inverted += String.fromCharCode(0xffff - text.charCodeAt(i));
  return [0, `${inverted}\uffff`];
}

const here = import.meta.url;
registerAt(here, 'weft.project.withKey', withKey);
registerAt(here, 'weft.project.conform', conform);
registerAt(here, 'weft.project.withSortKey', withSortKey);

/** Data of {@link anyNull}. */
export interface ColumnsData {
  readonly columns: readonly string[];
}

/** True when one of the columns is null. */
export const anyNull = (row: Row, ctx: OpContext<ColumnsData>): boolean => ctx.with.columns.some((c) => row[c] === null || row[c] === undefined);

/** True when the row's `count` is above 1 (a key seen more than once). */
export const repeated = (row: Row): boolean => Number(row.count) > 1;

registerAt(here, 'weft.project.anyNull', anyNull);
registerAt(here, 'weft.project.repeated', repeated);

/** The first of two rows of one key (deduplication keeps the earliest row). */
export const keepFirst = (a: Row): Row => a;

registerAt(here, 'weft.project.keepFirst', keepFirst);
