/**
 * The {@link StateStore} on any SQL database behind a {@link SqlDriver}: the one implementation of
 * the store's semantics, shared by the SQLite and PostgreSQL backends, which only supply a driver.
 *
 * Each begin is one INSERT and each end one transaction, so a writer killed at any instant leaves
 * every record either started or ended. While open, the store keeps its `owners` row's heartbeat
 * fresh, so readers on other machines can tell a live run from a dead one (`owner.ts`).
 */
import { StateStoreError } from '../errors.js';
import { readHistory } from './history.js';
import { DEFAULT_HEARTBEAT_MS, LivenessProbe, newOwnerIdentity, type LivenessOptions, type OwnerIdentity } from './owner.js';
import { OWNER_COLUMNS, errorText, ownerOf, toBatch, toFinishedState, toInstance, toTarget } from './rows.js';
import { migrate } from './schema.js';
import type { SqlDriver, SqlExecutor, SqlValue } from './sql-driver.js';
import type {
  BatchHistory,
  BatchRecord,
  BatchStart,
  FinalStatus,
  HistoryQuery,
  InstanceRecord,
  InstanceStart,
  StateStore,
  TargetRecord,
  TargetStart,
  TargetState,
  TargetStateQuery,
} from './state-store.js';

/** Options of every SQL-backed store. */
export interface StoreOptions extends LivenessOptions {
  /** Interval between two heartbeats of this store's owner row, in milliseconds. @default 10000 */
  readonly heartbeatMs?: number;
}

const FINAL: ReadonlySet<string> = new Set<FinalStatus>(['succeeded', 'failed', 'skipped', 'cancelled']);

/** A state store on a SQL database. Open one with `openSqliteStore`, `openPostgresStore` or `openStateStore`. */
export class SqlStateStore implements StateStore {
  readonly #db: SqlDriver;
  readonly #owner: OwnerIdentity;
  readonly #options: StoreOptions;
  readonly #now: () => number;
  #heartbeat: NodeJS.Timeout | undefined;
  #pendingBeat: Promise<unknown> = Promise.resolve();
  #closed: Promise<void> | undefined;

  private constructor(db: SqlDriver, options: StoreOptions) {
    this.#db = db;
    this.#owner = newOwnerIdentity();
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Migrates the schema (running `prepare` first inside the migration transaction), registers this
   * store's owner and starts its heartbeat. Closes the driver when any of that fails.
   */
  static async open(db: SqlDriver, options: StoreOptions = {}, prepare?: (tx: SqlExecutor) => Promise<void>): Promise<SqlStateStore> {
    const store = new SqlStateStore(db, options);
    try {
      await migrate(db, prepare);
      await store.#register();
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /** Where the store is: a file path, or a URL with its password redacted. */
  get location(): string {
    return this.#db.location;
  }

  async #register(): Promise<void> {
    const { token, pid, host, machine, procStart } = this.#owner;
    const now = this.#now();
    await this.#db.run(
      'INSERT INTO owners (token, pid, host, machine, proc_start, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [token, pid, host, machine, procStart, now, now],
    );
    this.#heartbeat = setInterval(() => {
      // A failed heartbeat only ages this owner in the eyes of other machines; the next one retries.
      this.#pendingBeat = this.#db.run('UPDATE owners SET heartbeat_at = ? WHERE token = ?', [this.#now(), token]).catch(() => undefined);
    }, this.#options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  #probe(): LivenessProbe {
    return new LivenessProbe(this.#options);
  }

  #check(status: FinalStatus): void {
    if (!FINAL.has(status)) {
      throw new StateStoreError(`Expected an end status (succeeded, failed, skipped or cancelled), got ${JSON.stringify(status)}`, { code: 'WEFT_STORE_STATUS' });
    }
    if (this.#closed) throw new StateStoreError(`The state store at ${this.#db.location} is closed`, { code: 'WEFT_STORE_CLOSED' });
  }

  /** Runs an `INSERT … SELECT … FROM <parent> WHERE id = ?`; no row inserted means no such parent. */
  async #insert(sql: string, params: readonly SqlValue[], parent: string, parentId: number | string): Promise<number> {
    if (this.#closed) throw new StateStoreError(`The state store at ${this.#db.location} is closed`, { code: 'WEFT_STORE_CLOSED' });
    const rows = await this.#db.all(`${sql} RETURNING id`, params);
    if (rows[0] === undefined) throw new StateStoreError(`No ${parent} with id ${parentId} in the state store at ${this.#db.location}`, { code: 'WEFT_STORE_UNKNOWN_ID' });
    return Number(rows[0].id);
  }

  async #end(tx: SqlExecutor, table: 'instances' | 'targets', id: number, status: FinalStatus, error: string | null, now: number): Promise<void> {
    const changed = await tx.run(`UPDATE ${table} SET status = ?, ended_at = ?, error = ? WHERE id = ?`, [status, now, error, id]);
    if (changed === 0) throw new StateStoreError(`No ${table === 'targets' ? 'target run' : 'instance'} with id ${id} in the state store at ${this.#db.location}`, { code: 'WEFT_STORE_UNKNOWN_ID' });
  }

  /** @inheritdoc */
  beginBatch(start: BatchStart): Promise<number> {
    // The owner row always exists while the store is open: it is the parent of every batch.
    return this.#insert(
      `INSERT INTO batches (project, job, lifecycle, args, instances, status, started_at, owner)
       SELECT ?, ?, ?, ?, ?, 'running', ?, token FROM owners WHERE token = ?`,
      [start.project, start.job, start.lifecycle, start.args, JSON.stringify(start.instances), this.#now(), this.#owner.token],
      'owner',
      this.#owner.token,
    );
  }

  /** @inheritdoc */
  async endBatch(id: number, status: FinalStatus): Promise<void> {
    this.#check(status);
    const now = this.#now();
    await this.#db.transaction(async (tx) => {
      const changed = await tx.run('UPDATE batches SET status = ?, ended_at = ? WHERE id = ?', [status, now, id]);
      if (changed === 0) throw new StateStoreError(`No batch with id ${id} in the state store at ${this.#db.location}`, { code: 'WEFT_STORE_UNKNOWN_ID' });
      await tx.run(
        `UPDATE targets SET status = 'cancelled', ended_at = ? WHERE status = 'running' AND instance_id IN (SELECT id FROM instances WHERE batch_id = ?)`,
        [now, id],
      );
      await tx.run(`UPDATE instances SET status = 'cancelled', ended_at = ? WHERE status = 'running' AND batch_id = ?`, [now, id]);
    });
  }

  /** @inheritdoc */
  async lastBatch(query: Omit<BatchStart, 'instances'>): Promise<BatchRecord | null> {
    const rows = await this.#db.all(
      `SELECT b.*, ${OWNER_COLUMNS} FROM batches b JOIN owners o ON o.token = b.owner
       WHERE b.project = ? AND b.job = ? AND b.lifecycle = ? AND b.args = ? ORDER BY b.id DESC LIMIT 1`,
      [query.project, query.job, query.lifecycle, query.args],
    );
    return rows[0] === undefined ? null : toBatch(rows[0], this.#probe());
  }

  /** @inheritdoc */
  beginInstance(start: InstanceStart): Promise<number> {
    return this.#insert(
      `INSERT INTO instances (batch_id, project, job, instance_key, params, lifecycle, status, started_at, owner)
       SELECT id, ?, ?, ?, ?, ?, 'running', ?, ? FROM batches WHERE id = ?`,
      [start.project, start.job, start.instanceKey, JSON.stringify(start.params), start.lifecycle, this.#now(), this.#owner.token, start.batchId],
      'batch',
      start.batchId,
    );
  }

  /** @inheritdoc */
  async endInstance(id: number, status: FinalStatus, error?: unknown): Promise<void> {
    this.#check(status);
    const now = this.#now();
    await this.#db.transaction(async (tx) => {
      await this.#end(tx, 'instances', id, status, errorText(error), now);
      await tx.run(`UPDATE targets SET status = 'cancelled', ended_at = ? WHERE status = 'running' AND instance_id = ?`, [now, id]);
    });
  }

  /** @inheritdoc */
  async instancesOf(batchId: number): Promise<InstanceRecord[]> {
    const rows = await this.#db.all(
      `SELECT i.*, ${OWNER_COLUMNS} FROM instances i JOIN owners o ON o.token = i.owner WHERE i.batch_id = ? ORDER BY i.id`,
      [batchId],
    );
    const probe = this.#probe();
    return rows.map((row) => toInstance(row, probe));
  }

  /** @inheritdoc */
  beginTarget(start: TargetStart): Promise<number> {
    return this.#insert(
      `INSERT INTO targets (instance_id, project, phase, target, partition_key, digest, status, started_at, owner)
       SELECT id, project, ?, ?, ?, ?, 'running', ?, ? FROM instances WHERE id = ?`,
      [start.phase, start.target, start.partitionKey, start.digest, this.#now(), this.#owner.token, start.instanceId],
      'instance',
      start.instanceId,
    );
  }

  /** @inheritdoc */
  async endTarget(id: number, status: FinalStatus, error?: unknown): Promise<void> {
    this.#check(status);
    await this.#end(this.#db, 'targets', id, status, errorText(error), this.#now());
  }

  /** @inheritdoc */
  async targetsOf(instanceId: number): Promise<TargetRecord[]> {
    const rows = await this.#db.all(
      `SELECT t.*, ${OWNER_COLUMNS} FROM targets t JOIN owners o ON o.token = t.owner WHERE t.instance_id = ? ORDER BY t.id`,
      [instanceId],
    );
    const probe = this.#probe();
    return rows.map((row) => toTarget(row, probe));
  }

  /**
   * @inheritdoc
   *
   * Two indexed lookups instead of a scan: the newest finished row, then the `running` rows of other
   * owners newer than it — the newest of those whose owner is dead reads as `killed` and wins. This
   * store's own `running` rows are attempts in progress here, alive by definition, and never read.
   */
  async targetState(query: TargetStateQuery): Promise<TargetState | null> {
    const key = [query.project, query.target, query.phase, query.partitionKey];
    const [finished] = await this.#db.all(
      `SELECT id, status, digest, ended_at, instance_id, error FROM targets
       WHERE project = ? AND target = ? AND phase = ? AND partition_key = ? AND status <> 'running' ORDER BY id DESC LIMIT 1`,
      key,
    );
    const running = await this.#db.all(
      `SELECT t.id, t.owner, t.instance_id, t.digest, ${OWNER_COLUMNS} FROM targets t JOIN owners o ON o.token = t.owner
       WHERE t.project = ? AND t.target = ? AND t.phase = ? AND t.partition_key = ? AND t.status = 'running' AND t.id > ? AND t.owner <> ?
       ORDER BY t.id DESC`,
      [...key, finished === undefined ? 0 : Number(finished.id), this.#owner.token],
    );
    if (running.length > 0) {
      const probe = this.#probe();
      const killed = running.find((row) => !probe.isAlive(ownerOf(row)));
      if (killed !== undefined) return { status: 'killed', digest: String(killed.digest), endedAt: null, instanceId: Number(killed.instance_id), error: null };
    }
    if (finished === undefined) return null;
    return toFinishedState(finished);
  }

  /** @inheritdoc */
  history(query: HistoryQuery): Promise<BatchHistory[]> {
    if (!Number.isInteger(query.limit) || query.limit < 1) {
      return Promise.reject(new StateStoreError(`Expected \`limit\` to be a whole number from 1 and up, got ${query.limit}`, { code: 'WEFT_STORE_LIMIT' }));
    }
    return readHistory(this.#db, query, this.#probe());
  }

  /** @inheritdoc */
  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    clearInterval(this.#heartbeat);
    await this.#pendingBeat;
    try {
      await this.#db.run('UPDATE owners SET closed_at = ? WHERE token = ?', [this.#now(), this.#owner.token]);
    } finally {
      await this.#db.close();
    }
  }
}
