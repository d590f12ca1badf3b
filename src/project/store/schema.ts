/**
 * The tables of the state store and their migrations. A store records its schema version in
 * `schema_version`; opening a store applies the missing migrations in one transaction, so two
 * processes opening a fresh store at once cannot both create it, and a store written by a newer weft
 * is refused instead of damaged.
 */
import { StateStoreError } from '../errors.js';
import type { SqlDriver, SqlExecutor } from './sql-driver.js';

/** The schema version this weft writes. */
export const SCHEMA_VERSION = 1;

type Migration = (dialect: SqlDriver['dialect']) => string[];

const migrations: readonly Migration[] = [
  (dialect) => {
    const id = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY';
    const ref = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
    const run = 'status TEXT NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT, owner TEXT NOT NULL REFERENCES owners(token)';
    return [
      `CREATE TABLE owners (token TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, machine TEXT NOT NULL,
        proc_start TEXT, started_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL, closed_at BIGINT)`,
      `CREATE TABLE batches (id ${id}, project TEXT NOT NULL, job TEXT NOT NULL, lifecycle TEXT NOT NULL,
        args TEXT NOT NULL, instances TEXT NOT NULL, ${run})`,
      'CREATE INDEX batches_by_args ON batches (project, job, lifecycle, args, id)',
      'CREATE INDEX batches_by_job ON batches (project, job, id)',
      `CREATE TABLE instances (id ${id}, batch_id ${ref} NOT NULL REFERENCES batches(id), project TEXT NOT NULL,
        job TEXT NOT NULL, instance_key TEXT NOT NULL, params TEXT NOT NULL, lifecycle TEXT NOT NULL, error TEXT, ${run})`,
      'CREATE INDEX instances_by_batch ON instances (batch_id, id)',
      `CREATE TABLE targets (id ${id}, instance_id ${ref} NOT NULL REFERENCES instances(id), project TEXT NOT NULL,
        phase TEXT NOT NULL, target TEXT NOT NULL, partition_key TEXT NOT NULL, digest TEXT NOT NULL, error TEXT, ${run})`,
      'CREATE INDEX targets_by_instance ON targets (instance_id, id)',
      'CREATE INDEX targets_by_state ON targets (project, target, phase, partition_key, id)',
    ];
  },
];

async function readVersion(tx: SqlExecutor): Promise<number | null> {
  await tx.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const rows = await tx.all('SELECT version FROM schema_version');
  return rows.length === 0 ? null : Number(rows[0]?.version);
}

/**
 * Creates or upgrades the tables in one transaction. `prepare` runs first inside it (PostgreSQL
 * takes an advisory lock and creates the schema there).
 */
export async function migrate(driver: SqlDriver, prepare?: (tx: SqlExecutor) => Promise<void>): Promise<void> {
  await driver.transaction(async (tx) => {
    await prepare?.(tx);
    const version = await readVersion(tx);
    const from = version ?? 0;
    if (from > SCHEMA_VERSION) {
      throw new StateStoreError(
        `The state store at ${driver.location} has schema version ${from}, but this weft knows versions up to ${SCHEMA_VERSION}. ` +
          'Upgrade weft, or point weft.store.url at another store.',
        { code: 'WEFT_STORE_VERSION' },
      );
    }
    for (const migration of migrations.slice(from)) {
      for (const statement of migration(driver.dialect)) await tx.run(statement);
    }
    if (version === null) await tx.run('INSERT INTO schema_version (version) VALUES (?)', [SCHEMA_VERSION]);
    else if (from < SCHEMA_VERSION) await tx.run('UPDATE schema_version SET version = ?', [SCHEMA_VERSION]);
  });
}
