/**
 * The shared state store on PostgreSQL, for `weft.store.url=postgres://user@host:port/db?schema=name`:
 * several machines (or CI runners) record into one history and see each other's target states.
 * The tables live in the schema named by the URL's `schema` query parameter (default `public`),
 * which is created when missing; the parameter is removed before the URL reaches `pg`. Every pooled
 * connection gets that schema as its `search_path`, so the shared queries need no qualification.
 */
import pg from 'pg';
import { UsageError } from '../../errors.js';
import { StateStoreError } from '../errors.js';
import { numberPlaceholders, type SqlDriver, type SqlExecutor, type SqlRow, type SqlValue } from './sql-driver.js';
import { SqlStateStore, type StoreOptions } from './sql-store.js';

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions extends StoreOptions {
  /** Most connections the pool opens. @default 4 */
  readonly poolSize?: number;
  /** How long opening a connection may take before the store reports the server unreachable. @default 10000 */
  readonly connectTimeoutMs?: number;
}

/** A PostgreSQL store URL taken apart. */
export interface PostgresTarget {
  /** The URL handed to `pg`: the input without its `schema` parameter. */
  readonly connectionString: string;
  /** The schema that holds the tables. */
  readonly schema: string;
  /** The URL with its password replaced by `***`, for messages. */
  readonly redacted: string;
  /** `host:port` of the server. */
  readonly address: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;

/** Replaces the password of a URL with `***`; leaves text that is not a URL alone. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

/**
 * Parses a `postgres://` or `postgresql://` URL. Throws a `UsageError` that names what was expected
 * when the URL does not parse or its `schema` is not a plain lower-case name.
 */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new UsageError(`Expected weft.store.url to be a URL such as postgres://user@host:5432/db?schema=weft, got ${JSON.stringify(redactUrl(url))}`, { cause: error, code: 'WEFT_STORE_URL' });
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new UsageError(
      `Expected the schema parameter of weft.store.url to be a lower-case name of letters, digits and _ (at most 63), got ${JSON.stringify(schema)}`,
      { code: 'WEFT_STORE_URL' },
    );
  }
  parsed.searchParams.delete('schema');
  const address = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  return { connectionString: parsed.toString(), schema, redacted: redactUrl(url), address };
}

/** int8 (ids, epoch milliseconds, counts) as numbers: every value the store keeps is below 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format) as unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    all: async (sql, params = []) => (await client.query(numberPlaceholders(sql), [...params])).rows as SqlRow[],
    run: async (sql, params = []) => (await client.query(numberPlaceholders(sql), [...params])).rowCount ?? 0,
  };
}

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres';
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #direct: SqlExecutor;

  constructor(pool: pg.Pool, location: string) {
    this.#pool = pool;
    this.location = location;
    this.#direct = executor(pool);
  }

  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]> {
    return this.#direct.all(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.#direct.run(sql, params);
  }

  async transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await body(executor(client));
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A connection whose rollback fails is broken: destroy it instead of returning it to the pool.
      await client.query('ROLLBACK').then(() => client.release(), (broken: Error) => client.release(broken));
      throw error;
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

function connectionError(error: unknown, target: PostgresTarget): unknown {
  if (error instanceof StateStoreError) return error;
  const code = (error as { code?: unknown }).code;
  const reason = (error as Error).message || String(code);
  if ((typeof code === 'string' && UNREACHABLE.has(code)) || /timeout/i.test(reason)) {
    return new StateStoreError(
      `Cannot reach the PostgreSQL state store at ${target.address} (${target.redacted}): ${reason}. ` +
        'Start the server (on Debian: pg_ctlcluster <version> main start; elsewhere: pg_ctl -D <data dir> start), ' +
        'fix weft.store.url, or leave weft.store.url unset to use the embedded SQLite store.',
      { code: 'WEFT_STORE_UNREACHABLE', cause: error },
    );
  }
  return new StateStoreError(`Cannot open the PostgreSQL state store at ${target.redacted}: ${reason}`, { code: 'WEFT_STORE_OPEN', cause: error });
}

/**
 * Connects to the PostgreSQL state store at `url`, creating its schema and tables when missing.
 *
 * @example
 * ```ts
 * const store = await openPostgresStore('postgres://weft@db.internal:5432/ops?schema=weft');
 * ```
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<SqlStateStore> {
  const target = parsePostgresUrl(url);
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    options: `-c search_path=${target.schema}`,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types,
  });
  // An idle connection that breaks must not crash the process; the next query reports the failure.
  pool.on('error', () => undefined);
  const prepare = async (tx: SqlExecutor): Promise<void> => {
    // Serialises concurrent first opens of one schema: CREATE SCHEMA IF NOT EXISTS alone can race.
    await tx.all('SELECT pg_advisory_xact_lock(hashtext(?))', [`weft.state.${target.schema}`]);
    await tx.run(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
  };
  try {
    return await SqlStateStore.open(new PostgresDriver(pool, target.redacted), options, prepare);
  } catch (error) {
    throw connectionError(error, target);
  }
}
