/**
 * The SQL a PostgreSQL relation speaks: quoted identifiers, the mapping between project types and
 * column types, `WHERE` clauses for partition filters (values always as parameters), values
 * prepared for parameters, and connection URLs shown without their password.
 */
import type { DataType } from '../data-types.js';
import { formatPartitionValue } from './partitions.js';
import type { PartitionColumn, PartitionFilter } from './relation.js';

/** `"name"`, with inner quotes doubled: safe for any identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A table name split into schema and table (`public` when the name has no schema). */
export interface TableName {
  readonly schema: string;
  readonly table: string;
}

/** Parses `schema.table` or `table`. */
export function parseTableName(text: string): TableName {
  const dot = text.indexOf('.');
  return dot < 0 ? { schema: 'public', table: text } : { schema: text.slice(0, dot), table: text.slice(dot + 1) };
}

/** `"schema"."table"`. */
export function qualified(name: TableName): string {
  return `${quoteIdent(name.schema)}.${quoteIdent(name.table)}`;
}

/** The column type `CREATE TABLE` gives a project type. */
export const PG_COLUMN_TYPES: Readonly<Record<DataType, string>> = {
  string: 'text',
  integer: 'integer',
  long: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
};

/** The project type of a column, from its `information_schema` data type; `undefined` when unknown (read as text). */
export function dataTypeOfPg(pgType: string): DataType {
  switch (pgType) {
    case 'smallint':
    case 'integer':
      return 'integer';
    case 'bigint':
      return 'long';
    case 'real':
    case 'double precision':
    case 'numeric':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return 'timestamp';
    default:
      return 'string';
  }
}

/** A typed value as a query parameter: dates as `YYYY-MM-DD`, timestamps as ISO text (UTC), the rest as is. */
export function paramValue(type: DataType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'date' || type === 'timestamp') return formatPartitionValue(type, value);
  return value;
}

/**
 * `WHERE` conditions for a typed filter, numbering parameters from `first`: `"year" = ANY($1)` for
 * values, `"day" >= $2 AND "day" < $3` for a range. Returns the SQL (empty when there is nothing
 * to filter, else starting with ` WHERE `) and the parameters.
 */
export function whereClause(columns: readonly PartitionColumn[], filter: PartitionFilter | undefined, first = 1): { sql: string; params: unknown[] } {
  const terms: string[] = [];
  const params: unknown[] = [];
  const param = (type: DataType, value: unknown): string => {
    params.push(paramValue(type, value));
    return `$${first + params.length - 1}::${PG_COLUMN_TYPES[type]}`;
  };
  for (const column of columns) {
    const condition = filter?.[column.name];
    if (condition === undefined) continue;
    const ident = quoteIdent(column.name);
    if (condition.kind === 'values') {
      params.push(condition.values.map((v) => paramValue(column.type, v)));
      terms.push(`${ident} = ANY($${first + params.length - 1}::${PG_COLUMN_TYPES[column.type]}[])`);
      continue;
    }
    if (condition.start !== undefined) terms.push(`${ident} >= ${param(column.type, condition.start)}`);
    if (condition.end !== undefined) terms.push(`${ident} < ${param(column.type, condition.end)}`);
  }
  return { sql: terms.length === 0 ? '' : ` WHERE ${terms.join(' AND ')}`, params };
}

/** Where a connection URL points, for resource names and messages. */
export interface PgEndpoint {
  /** `host:port`. */
  readonly hostPort: string;
  readonly database: string;
  /** The URL with its password replaced by `***`. */
  readonly redacted: string;
}

/** Host, port, database and the redacted form of a `postgres://` URL. */
export function pgEndpoint(url: string): PgEndpoint {
  const parsed = new URL(url);
  const host = decodeURIComponent(parsed.hostname) || process.env['PGHOST'] || 'localhost';
  const port = parsed.port || process.env['PGPORT'] || '5432';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || process.env['PGDATABASE'] || 'postgres';
  if (parsed.password !== '') parsed.password = '***';
  return { hostPort: `${host}:${port}`, database, redacted: parsed.toString() };
}

/** Any text with the password of `url` replaced by `***` (driver messages may quote the URL). */
export function redactPassword(text: string, url: string): string {
  const password = decodeURIComponent(new URL(url).password);
  return password === '' ? text : text.replaceAll(password, '***');
}
