/**
 * The small surface the SQL state store needs from a database: run a statement, read rows, run a
 * transaction. One implementation per backend (`sqlite-store.ts`, `postgres-store.ts`); the queries
 * themselves are shared (`sql-store.ts`), so both backends have the same semantics by construction.
 *
 * Statements use `?` placeholders; a driver whose database numbers them (`$1`) rewrites them.
 * Integer columns come back as JavaScript numbers (epoch milliseconds and ids fit in 2^53).
 */

/** A value bound to a placeholder. */
export type SqlValue = string | number | null;

/** A row as the driver returns it: column name → value. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** Runs statements, either on their own (each one atomic) or inside a transaction. */
export interface SqlExecutor {
  /** Runs a query and returns its rows. */
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** A connection (or pool) to one store database. */
export interface SqlDriver extends SqlExecutor {
  /** Which SQL dialect the schema uses. */
  readonly dialect: 'sqlite' | 'postgres';
  /** Where the store is, for messages: a file path or a URL with its password redacted. */
  readonly location: string;
  /**
   * Runs `body` in one write transaction: committed when it resolves, rolled back when it throws.
   * Statements of other callers never interleave with the transaction's own.
   */
  transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Releases the connection(s). */
  close(): Promise<void>;
}

/** `?` placeholders → `$1, $2, …` (the statements here have no `?` inside string literals). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
