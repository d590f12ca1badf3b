/**
 * What `--resume` reruns: the instances of the last batch of the same job, lifecycle and arguments
 * that did not finish well. An instance that never started, failed, was cancelled or was killed
 * with its process runs again; one that succeeded or was skipped does not.
 */
import type { BatchRecord, BatchStart, InstanceRecord, StateStore } from './state-store.js';

/** The last batch and the keys of its instances that still have to run. */
export interface ResumePlan {
  readonly batch: BatchRecord;
  /** Instance keys in the batch's order. */
  readonly pending: readonly string[];
}

/**
 * The keys of `batch.instances` whose newest run in the batch did not succeed or skip, in order.
 * `runs` are the batch's instance runs (`StateStore.instancesOf`), oldest first.
 */
export function unfinishedInstances(batch: BatchRecord, runs: readonly InstanceRecord[]): string[] {
  const newest = new Map<string, InstanceRecord>();
  for (const run of runs) if (run.batchId === batch.id) newest.set(run.instanceKey, run);
  return batch.instances.filter((key) => {
    const status = newest.get(key)?.status;
    return status !== 'succeeded' && status !== 'skipped';
  });
}

/**
 * The plan of `--resume` for this project, job, lifecycle and arguments, or `null` when no batch
 * of them was recorded (then there is nothing to resume, and the whole range runs).
 */
export async function planResume(store: StateStore, query: Omit<BatchStart, 'instances'>): Promise<ResumePlan | null> {
  const batch = await store.lastBatch(query);
  if (batch === null) return null;
  return { batch, pending: unfinishedInstances(batch, await store.instancesOf(batch.id)) };
}
