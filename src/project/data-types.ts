/**
 * The types of a project's data: what relation schemas, job parameters and expressions speak of.
 * Values in rows are plain JavaScript: numbers for the numeric types, strings, booleans, `Date`
 * for dates (UTC midnight) and timestamps, and `null`. Each type maps to one column type of the
 * dataflow engine's columnar batches.
 */
import type { ColumnType } from '../dataflow/batch/batch.js';

/** Every type a project file may name. */
export const DATA_TYPES = ['string', 'integer', 'long', 'double', 'boolean', 'date', 'timestamp'] as const;

/** A type of a column, a parameter or an expression. */
export type DataType = (typeof DATA_TYPES)[number];

/** Aliases accepted in project files (case-insensitive), as Spark and Flowman spell them. */
export const DATA_TYPE_ALIASES: Readonly<Record<string, DataType>> = {
  string: 'string',
  varchar: 'string',
  text: 'string',
  char: 'string',
  integer: 'integer',
  int: 'integer',
  short: 'integer',
  smallint: 'integer',
  byte: 'integer',
  tinyint: 'integer',
  long: 'long',
  bigint: 'long',
  double: 'double',
  float: 'double',
  real: 'double',
  decimal: 'double',
  numeric: 'double',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  datetime: 'timestamp',
};

/** The canonical type for a name written in a project file, or undefined when it is not one. */
export function parseDataType(name: string): DataType | undefined {
  return DATA_TYPE_ALIASES[name.trim().toLowerCase()];
}

/** True for the numeric types. */
export function isNumeric(type: DataType): boolean {
  return type === 'integer' || type === 'long' || type === 'double';
}

/** One column of a project schema. */
export interface ProjectField {
  readonly name: string;
  readonly type: DataType;
  /** @default true */
  readonly nullable?: boolean;
  readonly description?: string;
}

/** The columns of a relation or of a mapping's output, in order. */
export interface ProjectSchema {
  readonly fields: readonly ProjectField[];
}

/** The dataflow column type that holds values of `type`. */
export function columnTypeOf(type: DataType): ColumnType {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int32';
    case 'long':
    case 'double':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'date':
    case 'timestamp':
      return 'timestamp';
  }
}

/** The project type of a dataflow column type (`any` columns read as strings). */
export function dataTypeOf(column: ColumnType): DataType {
  switch (column) {
    case 'int32':
      return 'integer';
    case 'float64':
      return 'double';
    case 'bool':
      return 'boolean';
    case 'timestamp':
      return 'timestamp';
    case 'string':
    case 'any':
      return 'string';
  }
}
