/**
 * A PostgreSQL database for the relation tests: the server at `WEFT_TEST_PG_URL` (default
 * `postgres://postgres@127.0.0.1:5432/test`), with a fresh schema per test file that is dropped
 * when the file is done. Outside CI an unreachable server skips the PostgreSQL tests with a printed
 * notice; under `CI=true` it fails them, so CI never passes by skipping.
 */
import pg from 'pg';

/** The URL of the test server. */
export const PG_URL = process.env['WEFT_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of the test database for one test file. */
export interface TestDatabase {
  readonly url: string;
  readonly schema: string;
  /** Runs one statement on a connection of its own. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh schema `<prefix>_<pid>_<time>` in the test database, or returns `undefined` when
 * the server cannot be reached outside CI (after printing why the tests are skipped).
 * @throws when the server cannot be reached and `CI=true`.
 */
export async function openTestDatabase(prefix: string): Promise<TestDatabase | undefined> {
  const schema = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  try {
    await withClient(PG_URL, (c) => c.query(`CREATE SCHEMA "${schema}"`));
  } catch (error) {
    const reason = `PostgreSQL at ${PG_URL.replace(/:[^:@/]*@/, ':***@')} is not reachable (${(error as Error).message})`;
    if (process.env['CI'] === 'true') throw new Error(`${reason}; CI needs it for the PostgreSQL relation tests. Start it, or set WEFT_TEST_PG_URL.`, { cause: error });
    console.warn(`SKIPPING the PostgreSQL relation tests: ${reason}. Start a server or set WEFT_TEST_PG_URL to run them.`);
    return undefined;
  }
  return {
    url: PG_URL,
    schema,
    query: async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => withClient(PG_URL, async (c) => (await c.query<R>(sql, params)).rows),
    drop: () => withClient(PG_URL, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}
