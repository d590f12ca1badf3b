/**
 * `--resume`: what a job run may skip because the run it resumes already did it — instances that
 * finished, and inside the others the target phases that succeeded or were clean (the same batch is continued,
 * so resuming a resumed run works too).
 */
import type { JobInstance } from '../../project/jobs/instances.js';
import { planResume, type StateStore } from '../../project/store/index.js';

/** What to skip, and the batch to continue. */
export interface ResumeState {
  readonly batchId: number;
  /** Keys of instances that finished in the batch. */
  readonly completed: ReadonlySet<string>;
  /** Per instance key, the `phase/target` pairs that succeeded (or were found clean) in the batch. */
  readonly done: ReadonlyMap<string, ReadonlySet<string>>;
  /** One line for the user. */
  readonly note: string;
}

/**
 * The resume state for this job run, `undefined` when there is no earlier run with these arguments
 * (then everything runs), or `'finished'` when the last one finished every instance.
 */
export async function resumeState(store: StateStore, query: { project: string; job: string; lifecycle: string; args: string }, instances: readonly JobInstance[]): Promise<ResumeState | 'finished' | undefined> {
  const plan = await planResume(store, query);
  if (plan === null) return undefined;
  const pending = new Set(plan.pending);
  if (pending.size === 0) return 'finished';
  const runs = await store.instancesOf(plan.batch.id);
  const done = new Map<string, Set<string>>();
  for (const run of runs) {
    const set = done.get(run.instanceKey) ?? new Set<string>();
    done.set(run.instanceKey, set);
    for (const target of await store.targetsOf(run.id)) if (target.status === 'succeeded' || target.status === 'skipped') set.add(`${target.phase}/${target.target}`);
  }
  const completed = new Set(instances.map((i) => i.key).filter((key) => !pending.has(key)));
  const note = `resuming run ${plan.batch.id} (${plan.batch.status}, started ${new Date(plan.batch.startedAt).toISOString()}): ${pending.size} of ${plan.batch.instances.length} instances to run`;
  return { batchId: plan.batch.id, completed, done, note };
}
