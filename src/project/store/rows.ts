/**
 * Turning database rows into the store's records: column names to fields, JSON text to values, and
 * a recorded `running` into `killed` when its owner is dead. Every read of the SQL store selects the
 * owner's columns next to the record's own (see {@link OWNER_COLUMNS}) so this needs no second query.
 */
import type { LivenessProbe, OwnerRow } from './owner.js';
import type { SqlRow } from './sql-driver.js';
import {
  MAX_ERROR_LENGTH,
  type BatchRecord,
  type InstanceRecord,
  type JsonValue,
  type FinalStatus,
  type ObservedStatus,
  type RecordOwner,
  type RunStatus,
  type TargetRecord,
  type TargetState,
} from './state-store.js';

/** Columns of the owner joined as `o`, selected with every record. */
export const OWNER_COLUMNS = 'o.pid AS o_pid, o.host AS o_host, o.machine AS o_machine, o.proc_start AS o_proc_start, o.heartbeat_at AS o_heartbeat_at, o.closed_at AS o_closed_at';

function text(row: SqlRow, column: string): string {
  return String(row[column]);
}

function integer(row: SqlRow, column: string): number {
  return Number(row[column]);
}

function nullable<T>(row: SqlRow, column: string, read: (row: SqlRow, column: string) => T): T | null {
  const value = row[column];
  return value === null || value === undefined ? null : read(row, column);
}

/** The owner columns of a row (see {@link OWNER_COLUMNS}); `owner` holds the token. */
export function ownerOf(row: SqlRow): OwnerRow {
  return {
    token: text(row, 'owner'),
    pid: integer(row, 'o_pid'),
    host: text(row, 'o_host'),
    machine: text(row, 'o_machine'),
    procStart: nullable(row, 'o_proc_start', text),
    heartbeatAt: integer(row, 'o_heartbeat_at'),
    closedAt: nullable(row, 'o_closed_at', integer),
  };
}

/** The status a reader reports for a row: `killed` for `running` with a dead owner. */
export function observedStatus(row: SqlRow, probe: LivenessProbe): ObservedStatus {
  const status = text(row, 'status') as RunStatus;
  return status === 'running' && !probe.isAlive(ownerOf(row)) ? 'killed' : status;
}

function recordOwner(row: SqlRow): RecordOwner {
  return { pid: integer(row, 'o_pid'), host: text(row, 'o_host'), token: text(row, 'owner') };
}

function common(row: SqlRow, probe: LivenessProbe): { id: number; status: ObservedStatus; startedAt: number; endedAt: number | null } {
  return { id: integer(row, 'id'), status: observedStatus(row, probe), startedAt: integer(row, 'started_at'), endedAt: nullable(row, 'ended_at', integer) };
}

/** A `batches` row with its owner's columns. */
export function toBatch(row: SqlRow, probe: LivenessProbe): BatchRecord {
  return {
    ...common(row, probe),
    project: text(row, 'project'),
    job: text(row, 'job'),
    lifecycle: text(row, 'lifecycle'),
    args: text(row, 'args'),
    instances: JSON.parse(text(row, 'instances')) as string[],
    owner: recordOwner(row),
  };
}

/** An `instances` row with its owner's columns. */
export function toInstance(row: SqlRow, probe: LivenessProbe): InstanceRecord {
  return {
    ...common(row, probe),
    batchId: integer(row, 'batch_id'),
    project: text(row, 'project'),
    job: text(row, 'job'),
    instanceKey: text(row, 'instance_key'),
    params: JSON.parse(text(row, 'params')) as JsonValue,
    lifecycle: text(row, 'lifecycle'),
    error: nullable(row, 'error', text),
    owner: recordOwner(row),
  };
}

/** A `targets` row with its owner's columns. */
export function toTarget(row: SqlRow, probe: LivenessProbe): TargetRecord {
  return {
    ...common(row, probe),
    instanceId: integer(row, 'instance_id'),
    project: text(row, 'project'),
    phase: text(row, 'phase'),
    target: text(row, 'target'),
    partitionKey: text(row, 'partition_key'),
    digest: text(row, 'digest'),
    error: nullable(row, 'error', text),
  };
}

/** The clean-check state of a finished `targets` row (selected without its owner's columns). */
export function toFinishedState(row: SqlRow): TargetState {
  return {
    status: text(row, 'status') as FinalStatus,
    digest: text(row, 'digest'),
    endedAt: nullable(row, 'ended_at', integer),
    instanceId: integer(row, 'instance_id'),
    error: nullable(row, 'error', text),
  };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  let message = error.message;
  let cause = error.cause;
  for (let depth = 0; cause !== undefined && depth < 8; depth++) {
    message += `\ncaused by: ${cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : JSON.stringify(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return message;
}

/** The message text stored for an error (with its causes), cut to {@link MAX_ERROR_LENGTH}; `null` for none. */
export function errorText(error: unknown): string | null {
  if (error === undefined || error === null) return null;
  const message = describeError(error);
  return message.length <= MAX_ERROR_LENGTH ? message : `${message.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}
