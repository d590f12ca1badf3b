/**
 * `weft plan -f <project> <job> [args…]` — the plan of a job without running it: its instances,
 * the settings that decide how it runs, and per phase the target DAG, its width and critical path,
 * with predicted wall times per target parallelism from the durations of earlier runs.
 */
import { planJob } from '../../project/execution/execute-job.js';
import { closePgPools } from '../../project/relations/pg-pools.js';
import type { ProjectSession } from '../../project/session.js';
import { openStateStore } from '../../project/store/index.js';
import type { CommandIO } from '../io.js';
import { describeJobPlan } from './job-plan.js';
import { openSession, type ProjectFlags } from './project-flags.js';

/** Prints the plan of `job` of the project in `flags.file`. */
export async function planProjectJob(job: string, args: readonly string[], flags: ProjectFlags, io: CommandIO): Promise<void> {
  const session = await openSession(flags, io);
  try {
    const plan = planJob(session, { job, args });
    const durations = await earlierDurations(session, job);
    io.stdout.write(describeJobPlan(session, plan, durations.size > 0 ? { durations } : {}));
  } finally {
    await session.close();
    await closePgPools();
  }
}

/** Mean duration of each `phase/target` of the job's last recorded run. */
async function earlierDurations(session: ProjectSession, job: string): Promise<Map<string, number>> {
  const store = await openStateStore(session.config().get('weft.store.url'), session.project.dir);
  try {
    const [last] = await store.history({ project: session.project.name, job, limit: 1 });
    const sums = new Map<string, { total: number; n: number }>();
    for (const run of last?.runs ?? []) {
      for (const target of await store.targetsOf(run.id)) {
        if (target.status !== 'succeeded' || target.endedAt === null) continue;
        const key = `${target.phase}/${target.target}`;
        const s = sums.get(key) ?? { total: 0, n: 0 };
        sums.set(key, { total: s.total + target.endedAt - target.startedAt, n: s.n + 1 });
      }
    }
    return new Map([...sums].map(([k, s]) => [k, s.total / s.n]));
  } finally {
    await store.close();
  }
}
