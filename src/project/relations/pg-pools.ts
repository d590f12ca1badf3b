/**
 * Connection pools for PostgreSQL relations: one `pg` pool per connection URL, shared by every
 * relation (and every job instance) that names the same database, so parallel job instances reuse
 * connections instead of opening their own. Sessions run in UTC, and values come back as the
 * project's types: `date` as a `Date` at UTC midnight, `bigint` and `numeric` as numbers (not
 * strings), `timestamp` without time zone read as UTC. Idle pools do not keep the process alive;
 * {@link closePgPools} ends them all (the CLI calls it before exiting, tests after their suite).
 */
import pg from 'pg';

const { Pool, types } = pg;

/** OIDs of the types parsed differently from the `pg` defaults. */
const OID = { int8: 20, date: 1082, timestamp: 1114, numeric: 1700 } as const;

/** A parser of one type's text form. */
type Parser = (text: string) => unknown;

/** The parser `pg` itself uses for a type. */
function defaultParser(oid: number, format: 'text' | 'binary'): Parser {
  return types.getTypeParser(oid, format) as Parser;
}

/** `pg`'s type parsers with the project's choices for dates, timestamps and big numbers. */
const projectTypes = {
  getTypeParser: ((oid: number, format: 'text' | 'binary' = 'text'): Parser => {
    if (format === 'binary') return defaultParser(oid, 'binary');
    switch (oid) {
      case OID.date:
        return (text) => new Date(`${text}T00:00:00Z`);
      case OID.timestamp:
        return (text) => new Date(`${text.replace(' ', 'T')}Z`);
      case OID.int8:
      case OID.numeric:
        return (text) => Number(text);
      default:
        return defaultParser(oid, 'text');
    }
  }) as typeof types.getTypeParser,
};

/** A set of pools keyed by connection URL. */
export class PgPools {
  readonly #pools = new Map<string, pg.Pool>();

  /** The pool of `url`, made on first use. */
  get(url: string): pg.Pool {
    let pool = this.#pools.get(url);
    if (pool === undefined) {
      pool = new Pool({
        connectionString: url,
        max: 4,
        idleTimeoutMillis: 10_000,
        connectionTimeoutMillis: 15_000,
        allowExitOnIdle: true,
        options: '-c TimeZone=UTC',
        application_name: 'weft',
        types: projectTypes,
      });
      // An idle connection that the server drops must not crash the process; the next query reconnects.
      pool.on('error', () => undefined);
      this.#pools.set(url, pool);
    }
    return pool;
  }

  /** Ends every pool (waiting for checked-out connections to be released). */
  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  }
}

/** The pools every PostgreSQL relation of this process uses. */
export const pgPools = new PgPools();

/** Ends the pools of every PostgreSQL relation of this process. */
export function closePgPools(): Promise<void> {
  return pgPools.closeAll();
}
