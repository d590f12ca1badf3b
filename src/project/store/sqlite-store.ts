/**
 * The embedded state store: one SQLite file (by default `.weft/state.db` in the project directory),
 * no server.
 *
 * Writers of one process (every `-j` instance, and every store this process opened on the same
 * file) are serialised by one queue per file. This matters: better-sqlite3 is synchronous, so a
 * second connection of the same thread that waited on SQLite's lock would block the very thread
 * that holds it until `busy_timeout` expires. Other processes are serialised by SQLite's own
 * locks: WAL mode lets readers run beside the one writer, `busy_timeout` makes a writer wait for
 * another process's transaction instead of failing, and write transactions start with
 * `BEGIN IMMEDIATE` so they take the write lock up front (no lock upgrade that could deadlock).
 * A transaction body does database work only, so the lock is held for microseconds.
 * A process killed mid-transaction leaves no trace: SQLite rolls it back on the next open.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StateStoreError } from '../errors.js';
import type { SqlDriver, SqlExecutor, SqlRow, SqlValue } from './sql-driver.js';
import { SqlStateStore, type StoreOptions } from './sql-store.js';

/** Options of the SQLite store. */
export interface SqliteStoreOptions extends StoreOptions {
  /** How long a write waits for another process's transaction before it fails, in milliseconds. @default 10000 */
  readonly busyTimeoutMs?: number;
}

/** The special file name of a store that lives in memory only (tests). */
export const IN_MEMORY = ':memory:';

/** Runs work one piece at a time, in call order; shared by every connection of this process to one file. */
class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  /** Open connections using the queue. */
  users = 0;

  run<T>(work: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(work, work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

// Keyed by real path; on globalThis so that two copies of this module (source and build) share it.
const queues: Map<string, SerialQueue> = ((globalThis as Record<symbol, unknown>)[Symbol.for('weft.sqlite-store.queues')] ??= new Map<string, SerialQueue>()) as Map<string, SerialQueue>;

/** The queue of `file` (opened already), and the key to release it with; each in-memory store has its own. */
function acquireQueue(file: string): { key: string | null; queue: SerialQueue } {
  if (file === IN_MEMORY) return { key: null, queue: new SerialQueue() };
  const key = realpathSync(file);
  const queue = queues.get(key) ?? new SerialQueue();
  queues.set(key, queue);
  queue.users++;
  return { key, queue };
}

function releaseQueue(key: string | null): void {
  const queue = key === null ? undefined : queues.get(key);
  if (queue !== undefined && --queue.users === 0) queues.delete(key as string);
}

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite';
  readonly location: string;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #direct: SqlExecutor;
  readonly #queue: SerialQueue;
  readonly #queueKey: string | null;

  readonly #busyTimeoutMs: number;

  constructor(db: Database.Database, location: string, busyTimeoutMs: number) {
    this.#db = db;
    this.location = location;
    this.#busyTimeoutMs = busyTimeoutMs;
    ({ key: this.#queueKey, queue: this.#queue } = acquireQueue(location));
    this.#direct = {
      all: (sql, params = []) => Promise.resolve(this.#all(sql, params)),
      run: (sql, params = []) => Promise.resolve(this.#run(sql, params)),
    };
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #all(sql: string, params: readonly SqlValue[]): SqlRow[] {
    return this.#statement(sql).all(...params) as SqlRow[];
  }

  #run(sql: string, params: readonly SqlValue[]): number {
    return this.#statement(sql).run(...params).changes;
  }

  /** Runs `work` after every earlier call of this process on this file has finished. */
  #serial<T>(work: () => T | Promise<T>): Promise<T> {
    return this.#queue.run(work).catch((error: unknown) => {
      throw this.#wrap(error);
    });
  }

  #wrap(error: unknown): unknown {
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') return error;
    return new StateStoreError(
      `The state store at ${this.location} stayed locked by another process longer than its busy timeout (${this.#busyTimeoutMs} ms)`,
      { code: 'WEFT_STORE_BUSY', cause: error },
    );
  }

  all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.#serial(() => this.#all(sql, params));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.#serial(() => this.#run(sql, params));
  }

  transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await body(this.#direct);
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.#serial(() => {
      if (!this.#db.open) return;
      this.#db.close();
      releaseQueue(this.#queueKey);
    });
  }
}

function connect(file: string, busyTimeoutMs: number): Database.Database {
  if (file !== IN_MEMORY) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    if (file !== IN_MEMORY) db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a killed process loses nothing it committed; only a power cut may drop the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens (creating it and its directory when missing) the SQLite state store in `file`, an absolute
 * path or {@link IN_MEMORY}.
 *
 * @example
 * ```ts
 * const store = await openSqliteStore(join(projectDir, '.weft/state.db'));
 * ```
 */
export async function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Promise<SqlStateStore> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  let db: Database.Database;
  try {
    db = connect(file, busyTimeoutMs);
  } catch (error) {
    throw new StateStoreError(
      `Cannot open the SQLite state store at ${file}: ${(error as Error).message}. ` +
        'Check that the directory is writable and the file is a weft state store, or set weft.store.url to another file.',
      { code: 'WEFT_STORE_OPEN', cause: error },
    );
  }
  return SqlStateStore.open(new SqliteDriver(db, file, busyTimeoutMs), options);
}
