/**
 * The row functions relations put into dataflow jobs: adding a partition's values to the rows read
 * from its folder, and shaping rows before they are written (partition columns dropped, declared
 * columns conformed). They are registered under fixed ids at this module's URL, so a worker thread
 * or process finds them by importing this module (code is found, not sent); what differs per call
 * — the partition values, the columns — travels as the operator's `with` data.
 */
import { registerAt, type ModuleRef } from '../../runtime/index.js';
import type { DataType } from '../data-types.js';
import { conformValue, scalarText } from './conform.js';

/** A row as the dataflow hands it to a map function. */
type Record_ = Record<string, unknown>;

/** What {@link readRow} gets as `with`. */
export interface ReadRowData {
  /** Values added to every row (the partition's, typed). */
  readonly partition: Readonly<Record<string, unknown>>;
  /** The declared columns: rows hold exactly these, conformed to their types. */
  readonly columns?: ReadonlyArray<readonly [string, DataType]>;
  /** Text files: each record is a line, which becomes the column `value`. */
  readonly text?: boolean;
}

/** What {@link writeRow} gets as `with`. */
export interface WriteRowData {
  /** Columns left out of the files (the partition columns: they are in the folder names). */
  readonly drop: readonly string[];
  /** The declared columns, in order: rows are conformed to exactly these. Absent: rows keep their own columns. */
  readonly columns?: ReadonlyArray<readonly [string, DataType]>;
  /** Text files: each row becomes `{ value: <its line> }`. */
  readonly text?: boolean;
}

/** Adds a partition's values to one row read from its files (and keeps only the declared columns, typed). */
export function readRow(record: unknown, ctx: { with: ReadRowData }): Record_ {
  const { partition, columns, text } = ctx.with;
  const source: Record_ = text === true ? { value: record } : (record as Record_);
  let row: Record_;
  if (columns === undefined) row = { ...source };
  else {
    row = {};
    for (const [name, type] of columns) row[name] = conformValue(type, source[name]);
  }
  for (const key of Object.keys(partition)) row[key] = partition[key];
  return row;
}

/** Shapes one row for the files of a relation: declared columns conformed, partition columns dropped. */
export function writeRow(record: unknown, ctx: { with: WriteRowData }): Record_ {
  const { drop, columns, text } = ctx.with;
  if (text === true) return { value: textLine(record) };
  const source = (record ?? {}) as Record_;
  const row: Record_ = {};
  if (columns !== undefined) {
    for (const [name, type] of columns) if (!drop.includes(name)) row[name] = conformValue(type, source[name]);
    return row;
  }
  for (const key of Object.keys(source)) if (!drop.includes(key)) row[key] = source[key];
  return row;
}

/** Turns a text row (`{ value }`, or any value) into the line written for it. */
export function textLine(record: unknown): string {
  const value = record !== null && typeof record === 'object' && !(record instanceof Date) ? (record as Record_)['value'] : record;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return scalarText(value);
}

/** The reference workers find {@link readRow} by. */
export const READ_ROW_REF: ModuleRef = registerAt(import.meta.url, 'weft.relations.readRow', readRow);
/** The reference workers find {@link writeRow} by. */
export const WRITE_ROW_REF: ModuleRef = registerAt(import.meta.url, 'weft.relations.writeRow', writeRow);
