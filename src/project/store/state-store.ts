/**
 * The state store: where every batch (one CLI invocation over a range of job instances), job
 * instance, phase and target records its status, timings and parameters. Three readers depend on it:
 * the target executor skips a target whose last build succeeded with the same digest, `--resume`
 * reruns only the instances of the last batch that did not succeed, and `weft history` lists runs.
 *
 * Design rationale:
 * - **Append, then close.** Every unit of work is a row that is inserted `running` when it starts
 *   and updated once when it ends, so a reader always sees either the start or the end of a step,
 *   never half of one. Each write is one statement or one transaction: a writer killed at any
 *   instant leaves a consistent store.
 * - **Death is observed, not written.** A process killed with SIGKILL cannot record its own end, so
 *   every row names its owner (pid, host, a per-store random token, start time, heartbeat) and
 *   readers report a `running` row whose owner is gone as `killed` (see `owner.ts`). No cleanup run
 *   is needed, and a second process can never mistake a live run for a dead one on the same host.
 * - **Async everywhere.** The same interface fronts the embedded SQLite file (the default, no
 *   server) and a shared PostgreSQL database, so every operation returns a promise; one
 *   conformance suite holds both to the same semantics.
 * - **Canonical text, not structure.** Instance keys, CLI arguments and partition keys are stored as
 *   the canonical text the project layer produces (`year=2013`), so lookups are exact matches and
 *   the store needs no knowledge of parameter types.
 */

/** Status a writer records. `running` is written at the start, one of the others at the end. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** Status a writer may end a record with. */
export type FinalStatus = Exclude<RunStatus, 'running'>;

/**
 * Status a reader sees: a recorded status, or `killed` for a record still `running` whose owner
 * died without ending it (killed process, closed store, expired lease on another host).
 */
export type ObservedStatus = RunStatus | 'killed';

/** Every status a writer may record, in the order documentation lists them. */
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'succeeded', 'failed', 'skipped', 'cancelled'];

/** A JSON value, as job parameters are stored. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Epoch milliseconds. */
export type EpochMs = number;

/** The process that wrote a record; readers use it to tell a live run from a dead one. */
export interface RecordOwner {
  /** Process id on {@link host}. */
  readonly pid: number;
  /** Host name of the writer, as `os.hostname()` gave it. */
  readonly host: string;
  /** Random token of the store instance that wrote the record; unique per open store. */
  readonly token: string;
}

/** What {@link StateStore.beginBatch} records: one CLI invocation of a job lifecycle over a range. */
export interface BatchStart {
  readonly project: string;
  readonly job: string;
  /** The lifecycle run for each instance, e.g. `build` (validate → create → build → verify). */
  readonly lifecycle: string;
  /** Canonical text of the CLI parameters, e.g. `year:end=2015 year:start=2011`; `lastBatch` matches it exactly. */
  readonly args: string;
  /** Canonical keys of the instances the batch will run, in order, e.g. `['year=2011', 'year=2012']`. */
  readonly instances: readonly string[];
}

/** A batch as readers see it. */
export interface BatchRecord extends BatchStart {
  readonly id: number;
  readonly status: ObservedStatus;
  readonly startedAt: EpochMs;
  /** `null` while running, and for a batch whose owner was killed. */
  readonly endedAt: EpochMs | null;
  readonly owner: RecordOwner;
}

/** What {@link StateStore.beginInstance} records: one job instance with its parameter values. */
export interface InstanceStart {
  readonly batchId: number;
  readonly project: string;
  readonly job: string;
  /** Canonical instance key, e.g. `year=2013`; the empty string for a job without parameters. */
  readonly instanceKey: string;
  /** Parameter values of the instance. */
  readonly params: JsonValue;
  readonly lifecycle: string;
}

/** A job instance as readers see it. */
export interface InstanceRecord extends InstanceStart {
  readonly id: number;
  readonly status: ObservedStatus;
  /** Message text of the error that ended it (at most {@link MAX_ERROR_LENGTH} characters), or `null`. */
  readonly error: string | null;
  readonly startedAt: EpochMs;
  readonly endedAt: EpochMs | null;
  readonly owner: RecordOwner;
}

/** What {@link StateStore.beginTarget} records: one target of a job instance in one phase. */
export interface TargetStart {
  readonly instanceId: number;
  /** e.g. `create`, `build`, `verify`, `truncate`, `destroy`. */
  readonly phase: string;
  readonly target: string;
  /** Canonical partition the target writes (`year=2013`); the empty string for the whole target. */
  readonly partitionKey: string;
  /** Digest of everything the target's output depends on (its spec, inputs, parameters). */
  readonly digest: string;
}

/** A target run as readers see it. */
export interface TargetRecord extends TargetStart {
  readonly id: number;
  readonly project: string;
  readonly status: ObservedStatus;
  readonly error: string | null;
  readonly startedAt: EpochMs;
  readonly endedAt: EpochMs | null;
}

/** Which target state {@link StateStore.targetState} looks up. */
export interface TargetStateQuery {
  readonly project: string;
  readonly target: string;
  readonly phase: string;
  readonly partitionKey: string;
}

/** The outcome of the newest attempt of a target/partition/phase that is no longer running. */
export interface TargetState {
  /** Never `running`: a killed attempt reads `killed`, so a half-written target is not clean. */
  readonly status: Exclude<ObservedStatus, 'running'>;
  readonly digest: string;
  /** When the attempt ended; `null` for a killed attempt. */
  readonly endedAt: EpochMs | null;
  readonly instanceId: number;
  readonly error: string | null;
}

/** Which batches {@link StateStore.history} lists. */
export interface HistoryQuery {
  readonly project?: string;
  readonly job?: string;
  /** Only batches whose observed status is this one. */
  readonly status?: ObservedStatus;
  /** Most batches to return (≥ 1). */
  readonly limit: number;
}

/** Target counts per observed status. */
export type StatusCounts = Readonly<Record<ObservedStatus, number>>;

/** One phase of a job instance, summed over its targets. */
export interface PhaseSummary {
  readonly phase: string;
  /** `running` or `killed` if any target is; else `failed`, `cancelled`, `succeeded`, `skipped` in that precedence. */
  readonly status: ObservedStatus;
  readonly startedAt: EpochMs;
  /** When the last target ended; `null` while any target is running or was killed. */
  readonly endedAt: EpochMs | null;
  readonly targets: StatusCounts;
}

/** A job instance in the history, with its phases in the order they started. */
export interface InstanceHistory extends InstanceRecord {
  readonly phases: readonly PhaseSummary[];
}

/** A batch in the history, with the runs of its instances in the order they started. */
export interface BatchHistory extends BatchRecord {
  readonly runs: readonly InstanceHistory[];
}

/** Longest error text stored; longer messages are cut and end with `…`. */
export const MAX_ERROR_LENGTH = 4096;

/**
 * Records and reads the state of job runs. Open one with `openStateStore`; every `-j` instance of
 * a process may share it, and several processes may write the same store at once.
 *
 * @example
 * ```ts
 * const store = await openStateStore(null, projectDir);
 * const batch = await store.beginBatch({ project: 'p', job: 'main', lifecycle: 'build', args: 'year=2013', instances: ['year=2013'] });
 * const run = await store.beginInstance({ batchId: batch, project: 'p', job: 'main', instanceKey: 'year=2013', params: { year: 2013 }, lifecycle: 'build' });
 * const t = await store.beginTarget({ instanceId: run, phase: 'build', target: 'stations', partitionKey: 'year=2013', digest: 'ab12' });
 * await store.endTarget(t, 'succeeded');
 * await store.endInstance(run, 'succeeded');
 * await store.endBatch(batch, 'succeeded');
 * await store.close();
 * ```
 */
export interface StateStore {
  /** Records the start of a batch; returns its id. */
  beginBatch(start: BatchStart): Promise<number>;
  /**
   * Records the end of a batch. Its instances and targets still `running` become `cancelled` in the
   * same transaction. Throws a `StateStoreError` for an unknown id.
   */
  endBatch(id: number, status: FinalStatus): Promise<void>;
  /** The newest batch of exactly this project, job, lifecycle and args, or `null`; for `--resume`. */
  lastBatch(query: Omit<BatchStart, 'instances'>): Promise<BatchRecord | null>;

  /** Records the start of a job instance; returns its id. */
  beginInstance(start: InstanceStart): Promise<number>;
  /**
   * Records the end of a job instance, with the error's message text when given. Its targets still
   * `running` become `cancelled` in the same transaction.
   */
  endInstance(id: number, status: FinalStatus, error?: unknown): Promise<void>;
  /** The instances of a batch in the order they started. */
  instancesOf(batchId: number): Promise<InstanceRecord[]>;

  /** Records the start of a target in a phase of a job instance; returns its id. */
  beginTarget(start: TargetStart): Promise<number>;
  /** Records the end of a target run, with the error's message text when given. */
  endTarget(id: number, status: FinalStatus, error?: unknown): Promise<void>;
  /** The target runs of a job instance in the order they started. */
  targetsOf(instanceId: number): Promise<TargetRecord[]>;

  /**
   * The newest attempt of this target/partition/phase, across all runs, that is no longer running
   * (attempts in progress in live processes are passed over), or `null` when there is none. A
   * target is clean when this is `succeeded` with the digest it would build now.
   */
  targetState(query: TargetStateQuery): Promise<TargetState | null>;

  /** Batches newest first, each with its instances and their phase summaries. */
  history(query: HistoryQuery): Promise<BatchHistory[]>;

  /** Stops the heartbeat, marks this store's owner closed and releases connections. Idempotent. */
  close(): Promise<void>;
}
