// PostgreSQL for test suites (the state store, PostgreSQL relations): one probe per test run,
// one fresh schema per test file, dropped at the end.
//
//   const pgServer = await postgresForTests();          // unavailable outside CI (one notice per run),
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
import { inject } from 'vitest';
import { TEST_PG_URL, probePostgres, skipNotice, type PostgresForTests } from './postgres-probe.js';

export { TEST_PG_URL, type PostgresForTests } from './postgres-probe.js';

/** A schema of its own for one test file. */
export interface TestSchema {
  readonly name: string;
  /** {@link TEST_PG_URL} with `schema=<name>` added: what `weft.store.url` would hold. */
  readonly url: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

let probed: Promise<PostgresForTests> | undefined;

/**
 * Whether the test server answers, probed once per run by the global setup (`postgres-setup.ts`,
 * which also prints the one skip notice outside CI), or here when a file runs without it. Outside
 * CI an unreachable server makes the PostgreSQL suites skip; under `CI=true` this throws, so the
 * test file fails instead of passing silently.
 */
export function postgresForTests(): Promise<PostgresForTests> {
  probed ??= (async () => {
    let result = inject('weftPostgres') as PostgresForTests | undefined;
    if (result === undefined) {
      result = await probePostgres();
      if (!result.available && process.env.CI !== 'true') console.warn(skipNotice(result));
    }
    if (!result.available && process.env.CI === 'true') {
      throw new Error(`PostgreSQL is not reachable at ${result.url} (${result.reason}). CI requires it: start it (see .ci/run) or set WEFT_TEST_PG_URL.`);
    }
    return result;
  })();
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
