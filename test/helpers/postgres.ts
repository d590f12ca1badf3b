// PostgreSQL for test suites (the state store, PostgreSQL relations): one probe per test process,
// one fresh schema per test file, dropped at the end.
//
//   const pgServer = await postgresForTests();          // warns once and reports unavailable outside CI,
//   describe.skipIf(!pgServer.available)('…', () => {   // throws under CI=true when the server is down
//     let schema: TestSchema;
//     beforeAll(async () => { schema = await createTestSchema('store'); });
//     afterAll(() => schema.drop());
//     … open with schema.url (the server URL plus ?schema=…) …
//   });
//
// The server is `WEFT_TEST_PG_URL` (default postgres://postgres@127.0.0.1:5432/test); `.ci/run`
// makes sure one is listening there before `npm test`.
import { randomBytes } from 'node:crypto';
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

/** A schema of its own for one test file. */
export interface TestSchema {
  readonly name: string;
  /** {@link TEST_PG_URL} with `schema=<name>` added: what `weft.store.url` would hold. */
  readonly url: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

let probed: Promise<PostgresForTests> | undefined;

async function probe(url: string): Promise<PostgresForTests> {
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

/**
 * Probes the test server once per process. Outside CI an unreachable server makes the PostgreSQL
 * suites skip, with one warning that names the URL; under `CI=true` it throws, so the test file
 * fails instead of passing silently.
 */
export function postgresForTests(): Promise<PostgresForTests> {
  probed ??= probe(TEST_PG_URL).then((result) => {
    if (result.available) return result;
    const message = `PostgreSQL is not reachable at ${result.url} (${result.reason}).`;
    if (process.env.CI === 'true') {
      throw new Error(`${message} CI requires it: start it (see .ci/run) or set WEFT_TEST_PG_URL.`);
    }
    console.warn(`[weft tests] ${message} Skipping the PostgreSQL suites; start the server or set WEFT_TEST_PG_URL to run them.`);
    return result;
  });
  return probed;
}

/** `url` with the query parameter `schema=<name>` set. */
export function withSchema(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', name);
  return parsed.toString();
}

/** Runs one statement on {@link TEST_PG_URL} with a connection of its own. */
export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Creates a fresh schema `weft_test_<label>_<random>` for one test file. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const name = `weft_test_${label.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA "${name}"`);
  return {
    name,
    url: withSchema(TEST_PG_URL, name),
    drop: async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    },
  };
}
