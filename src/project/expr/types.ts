/**
 * The type rules shared by operators and functions: which types are numbers, which can be compared,
 * and the common type of `CASE` branches, `COALESCE` arguments and `IN` lists. Numbers widen
 * (`integer` → `long` → `double`), a date meets a timestamp as a timestamp, `NULL` fits anything;
 * nothing else converts silently — a string never meets a number.
 */
import type { DataType, ProjectSchema } from '../data-types.js';

/** The type of an expression during checking: a data type, or `null` for an always-NULL value. */
export type ExprType = DataType | 'null';

/** The type of a checked expression. */
export interface ResultType {
  /** The data type of the values (an always-NULL expression reads as a nullable `string`). */
  readonly type: DataType;
  /** False when the expression can never be NULL. */
  readonly nullable: boolean;
}

/** The input columns an expression may use: a map name → type, or a project schema. */
export type ColumnTypes = Readonly<Record<string, DataType>> | ProjectSchema;

/** One input column, as the checker sees it. */
export interface ColumnInfo {
  readonly type: DataType;
  readonly nullable: boolean;
}

/** The columns of `columns` as a name → info map, in order. */
export function columnInfos(columns: ColumnTypes): Map<string, ColumnInfo> {
  const out = new Map<string, ColumnInfo>();
  if (isSchema(columns)) {
    for (const field of columns.fields) out.set(field.name, { type: field.type, nullable: field.nullable ?? true });
  } else {
    for (const [name, type] of Object.entries(columns)) out.set(name, { type, nullable: true });
  }
  return out;
}

function isSchema(columns: ColumnTypes): columns is ProjectSchema {
  return Array.isArray((columns as { fields?: unknown }).fields);
}

/** True for `integer`, `long` and `double`. */
export function isNumberType(type: ExprType): boolean {
  return type === 'integer' || type === 'long' || type === 'double';
}

/** True for `integer` and `long`. */
export function isIntegralType(type: ExprType): boolean {
  return type === 'integer' || type === 'long';
}

/** True for `date` and `timestamp`. */
export function isTemporalType(type: ExprType): boolean {
  return type === 'date' || type === 'timestamp';
}

/** The four families whose members compare with each other. */
export type TypeFamily = 'number' | 'string' | 'boolean' | 'temporal' | 'null';

/** The family of a type. */
export function familyOf(type: ExprType): TypeFamily {
  if (isNumberType(type)) return 'number';
  if (isTemporalType(type)) return 'temporal';
  return type as 'string' | 'boolean' | 'null';
}

const NUMBER_RANK: Readonly<Record<string, number>> = { integer: 0, long: 1, double: 2 };

/**
 * The type both `a` and `b` fit in (`integer` + `double` → `double`, `date` + `timestamp` →
 * `timestamp`, `NULL` + x → x), or `undefined` when they do not meet (a string and a number).
 */
export function commonType(a: ExprType, b: ExprType): ExprType | undefined {
  if (a === b || b === 'null') return a;
  if (a === 'null') return b;
  if (isNumberType(a) && isNumberType(b)) return (NUMBER_RANK[a] ?? 0) >= (NUMBER_RANK[b] ?? 0) ? a : b;
  if (isTemporalType(a) && isTemporalType(b)) return 'timestamp';
  return undefined;
}

/** True when values of `a` and `b` can be compared with `=` and `<`. */
export function comparable(a: ExprType, b: ExprType): boolean {
  return commonType(a, b) !== undefined;
}

/** The public form of a checked type. */
export function toResultType(type: ExprType, nullable: boolean): ResultType {
  return type === 'null' ? { type: 'string', nullable: true } : { type, nullable };
}

/** `a number`, `a string`, `a date or timestamp`: what a rule expected, for messages. */
export function describeExpected(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}
