/**
 * The state store and run history of the project layer: where batches, job instances, phases and
 * targets record their status, so clean targets are skipped, `--resume` reruns what did not finish
 * and `weft history` lists past runs.
 *
 * @example
 * ```ts
 * import { openStateStore, planResume } from './store/index.js';
 * const store = await openStateStore(settings['weft.store.url'], projectDir);
 * const plan = await planResume(store, { project: 'weather', job: 'main', lifecycle: 'build', args: 'year:end=2015 year:start=2011' });
 * ```
 */
export type * from './state-store.js';
export { MAX_ERROR_LENGTH, RUN_STATUSES } from './state-store.js';
export { DEFAULT_STORE_FILE, openStateStore, parseStoreUrl, type OpenStoreOptions, type StoreLocation } from './open-store.js';
export { openSqliteStore, IN_MEMORY, type SqliteStoreOptions } from './sqlite-store.js';
export { openPostgresStore, parsePostgresUrl, redactUrl, type PostgresStoreOptions, type PostgresTarget } from './postgres-store.js';
export { SqlStateStore, type StoreOptions } from './sql-store.js';
export { planResume, unfinishedInstances, type ResumePlan } from './resume.js';
export { DEFAULT_HEARTBEAT_MS, DEFAULT_LEASE_MS, LivenessProbe, type LivenessOptions, type OwnerRow, type OwnerIdentity } from './owner.js';
