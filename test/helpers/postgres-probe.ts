// Whether the PostgreSQL test server answers; shared by the global setup (which probes once per
// test run) and test/helpers/postgres.ts. No vitest imports: this also runs in the main process.
import pg from 'pg';

/** The server the PostgreSQL suites use. */
export const TEST_PG_URL = process.env.WEFT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The outcome of probing {@link TEST_PG_URL}. */
export interface PostgresForTests {
  readonly available: boolean;
  readonly url: string;
  /** Why the server is unavailable, or `null`. */
  readonly reason: string | null;
}

/** Connects once and runs `SELECT 1`. */
export async function probePostgres(url = TEST_PG_URL): Promise<PostgresForTests> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { available: true, url, reason: null };
  } catch (error) {
    return { available: false, url, reason: (error as Error).message || String((error as { code?: unknown }).code) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The one notice printed when the PostgreSQL suites are skipped. */
export function skipNotice(result: PostgresForTests): string {
  return `[weft tests] PostgreSQL is not reachable at ${result.url} (${result.reason}). Skipping the PostgreSQL suites; start the server (see .ci/run) or set WEFT_TEST_PG_URL to run them.`;
}
