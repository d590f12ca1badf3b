/**
 * The reads behind `weft history`: batches newest first, the runs of their instances, and per run a
 * summary of each phase over its targets (counts by status, first start, last end). Targets are
 * summed in SQL, grouped by owner as well as status, so a `running` group can still be split into
 * live and killed without loading every target row.
 */
import type { LivenessProbe } from './owner.js';
import { OWNER_COLUMNS, observedStatus, toBatch, toInstance } from './rows.js';
import type { SqlExecutor, SqlRow, SqlValue } from './sql-driver.js';
import type { BatchHistory, BatchRecord, HistoryQuery, InstanceHistory, ObservedStatus, PhaseSummary } from './state-store.js';

/** Observed statuses in the precedence a phase takes the status of its targets. */
const PRECEDENCE: readonly ObservedStatus[] = ['running', 'killed', 'failed', 'cancelled', 'succeeded', 'skipped'];

function emptyCounts(): Record<ObservedStatus, number> {
  return { running: 0, killed: 0, failed: 0, cancelled: 0, succeeded: 0, skipped: 0 };
}

interface PhaseAccumulator {
  phase: string;
  firstId: number;
  startedAt: number;
  endedAt: number | null;
  targets: Record<ObservedStatus, number>;
}

function addGroup(phases: Map<string, PhaseAccumulator>, row: SqlRow, probe: LivenessProbe): void {
  const phase = String(row.phase);
  const status = observedStatus(row, probe);
  const ended = row.ended_at === null ? null : Number(row.ended_at);
  const acc = phases.get(phase) ?? { phase, firstId: Number(row.first_id), startedAt: Number(row.started_at), endedAt: null, targets: emptyCounts() };
  acc.firstId = Math.min(acc.firstId, Number(row.first_id));
  acc.startedAt = Math.min(acc.startedAt, Number(row.started_at));
  acc.targets[status] += Number(row.n);
  if (ended !== null) acc.endedAt = acc.endedAt === null ? ended : Math.max(acc.endedAt, ended);
  phases.set(phase, acc);
}

function toSummary(acc: PhaseAccumulator): PhaseSummary {
  const status = PRECEDENCE.find((s) => acc.targets[s] > 0) ?? 'skipped';
  const unfinished = acc.targets.running + acc.targets.killed > 0;
  return { phase: acc.phase, status, startedAt: acc.startedAt, endedAt: unfinished ? null : acc.endedAt, targets: acc.targets };
}

async function phaseSummaries(db: SqlExecutor, batchIds: readonly number[], probe: LivenessProbe): Promise<Map<number, PhaseSummary[]>> {
  const rows = await db.all(
    `SELECT t.instance_id, t.phase, t.status, o.token AS owner, COUNT(*) AS n, MIN(t.started_at) AS started_at,
       MAX(t.ended_at) AS ended_at, MIN(t.id) AS first_id, ${OWNER_COLUMNS}
     FROM targets t JOIN instances i ON i.id = t.instance_id JOIN owners o ON o.token = t.owner
     WHERE i.batch_id IN (${batchIds.map(() => '?').join(', ')})
     GROUP BY t.instance_id, t.phase, t.status, o.token`,
    batchIds,
  );
  const byInstance = new Map<number, Map<string, PhaseAccumulator>>();
  for (const row of rows) {
    const id = Number(row.instance_id);
    const phases = byInstance.get(id) ?? new Map<string, PhaseAccumulator>();
    byInstance.set(id, phases);
    addGroup(phases, row, probe);
  }
  const out = new Map<number, PhaseSummary[]>();
  for (const [id, phases] of byInstance) out.set(id, [...phases.values()].sort((a, b) => a.firstId - b.firstId).map(toSummary));
  return out;
}

async function listBatches(db: SqlExecutor, query: HistoryQuery, probe: LivenessProbe): Promise<BatchRecord[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  for (const [column, value] of [['project', query.project], ['job', query.job]] as const) {
    if (value === undefined) continue;
    where.push(`b.${column} = ?`);
    params.push(value);
  }
  // `running` and `killed` are both stored as `running`: filter by liveness here, then cut to the limit.
  const unfinished = query.status === 'running' || query.status === 'killed';
  if (query.status !== undefined) {
    where.push('b.status = ?');
    params.push(unfinished ? 'running' : query.status);
  }
  const rows = await db.all(
    `SELECT b.*, ${OWNER_COLUMNS} FROM batches b JOIN owners o ON o.token = b.owner
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY b.id DESC${unfinished ? '' : ' LIMIT ?'}`,
    unfinished ? params : [...params, query.limit],
  );
  const batches = rows.map((row) => toBatch(row, probe));
  return unfinished ? batches.filter((b) => b.status === query.status).slice(0, query.limit) : batches;
}

/** Batches newest first, with their instance runs and phase summaries (see `StateStore.history`). */
export async function readHistory(db: SqlExecutor, query: HistoryQuery, probe: LivenessProbe): Promise<BatchHistory[]> {
  const batches = await listBatches(db, query, probe);
  if (batches.length === 0) return [];
  const ids = batches.map((b) => b.id);
  const instanceRows = await db.all(
    `SELECT i.*, ${OWNER_COLUMNS} FROM instances i JOIN owners o ON o.token = i.owner
     WHERE i.batch_id IN (${ids.map(() => '?').join(', ')}) ORDER BY i.id`,
    ids,
  );
  const phases = await phaseSummaries(db, ids, probe);
  const runs = new Map<number, InstanceHistory[]>();
  for (const row of instanceRows) {
    const instance = toInstance(row, probe);
    const list = runs.get(instance.batchId) ?? [];
    list.push({ ...instance, phases: phases.get(instance.id) ?? [] });
    runs.set(instance.batchId, list);
  }
  return batches.map((batch) => ({ ...batch, runs: runs.get(batch.id) ?? [] }));
}
