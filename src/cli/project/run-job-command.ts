/**
 * The flow of `weft job <lifecycle>` and `weft target <phase>`: open the project, plan the run
 * (bad input exits 2 before anything runs), print the plan on `--dry-run`, otherwise open the state
 * store, continue the last run on `--resume`, run with live progress and Ctrl-C handling (first:
 * stop starting, cancel running instances; second: exit at once), record the batch, and print the
 * summary (or JSON).
 */
import { existsSync } from 'node:fs';
import { CancelledError } from '../../errors.js';
import { EventStream } from '../../events.js';
import { executeJob, planJob, type ExecuteJobOptions, type JobPlan } from '../../project/execution/execute-job.js';
import { readOnlyRecorder, storeRecorder } from '../../project/execution/store-recorder.js';
import type { JobRun } from '../../project/execution/run-job.js';
import type { Phase } from '../../project/phases.js';
import { closePgPools } from '../../project/relations/pg-pools.js';
import type { ProjectSession } from '../../project/session.js';
import { openStateStore, parseStoreUrl, type StateStore } from '../../project/store/index.js';
import { ExitCode, type CommandIO } from '../io.js';
import { describeJobPlan } from './job-plan.js';
import { formatJobSummary, jobRunJson } from './job-summary.js';
import { showJobProgress } from './project-progress.js';
import { openSession, type ProjectFlags } from './project-flags.js';
import { resumeState, type ResumeState } from './resume.js';

/** Flags of the job commands. */
export interface JobFlags extends ProjectFlags {
  jobs?: string;
  force?: boolean;
  dirty?: string;
  target?: string;
  keepGoing?: boolean;
  dryRun?: boolean;
  resume?: boolean;
  json?: boolean;
  progress?: boolean;
}

/** What to run. */
export interface JobCommand {
  readonly lifecycle: Phase;
  readonly job: string;
  readonly args: readonly string[];
  /** Targets to run as a job of their own (`weft target …`). */
  readonly targets?: readonly string[];
  readonly jobs?: number;
  readonly flags: JobFlags;
}

/** Runs the command and resolves to the exit code. */
export async function runJobCommand(command: JobCommand, io: CommandIO): Promise<number> {
  const events = new EventStream();
  const session = await openSession(command.flags, io, events, command.flags.json === true);
  try {
    const plan = planJob(session, { job: command.job, args: command.args, lifecycle: command.lifecycle, ...(command.targets ? { targets: command.targets } : {}), ...(command.jobs !== undefined ? { jobs: command.jobs } : {}) });
    if (command.flags.dryRun) return await runDry(session, plan, command, io);
    const store = await openStateStore(session.config(plan.job).get('weft.store.url'), session.project.dir);
    try {
      return await runWithStore(session, plan, store, command, events, io);
    } finally {
      await store.close();
    }
  } finally {
    await session.close();
    await closePgPools();
  }
}

async function runWithStore(session: ProjectSession, plan: JobPlan, store: StateStore, command: JobCommand, events: EventStream, io: CommandIO): Promise<number> {
  const query = resumeQuery(session, plan, command);
  let resume: ResumeState | undefined;
  if (command.flags.resume) {
    const state = await resumeState(store, query, plan.instances);
    if (state === 'finished') {
      io.stderr.write(`weft: ${nothingToResume(plan, command)}\n`);
      return ExitCode.Ok;
    }
    io.stderr.write(state ? `weft: ${state.note}\n` : `weft: no earlier ${command.lifecycle} of ${plan.job.name} with these arguments; running everything\n`);
    resume = state;
  }
  const batchId = resume?.batchId ?? (await store.beginBatch({ ...query, instances: plan.instances.map((i) => i.key) }));
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.Interrupted);
    io.stderr.write('\nweft: interrupted — no new instances start, running ones are cancelled (Ctrl-C again to exit at once)\n');
    controller.abort(new CancelledError('interrupted by Ctrl-C'));
  };
  process.on('SIGINT', onSigint);
  const progress = command.flags.progress === false ? undefined : showJobProgress(events, io.stderr, plan.instances.length - (resume?.completed.size ?? 0));
  let run: JobRun;
  try {
    run = await executeJob(session, {
      ...jobOptions(plan, command, resume),
      signal: controller.signal,
      events,
      recorderFor: (instance) =>
        storeRecorder({ store, batchId, project: query.project, job: query.job, lifecycle: query.lifecycle, instance, ...(resume?.done.get(instance.key) ? { done: resume.done.get(instance.key)! } : {}) }),
      onInstance: (_key, state) => {
        if (state !== 'started') progress?.instanceDone();
      },
    });
  } finally {
    progress?.stop();
    process.off('SIGINT', onSigint);
  }
  await store.endBatch(batchId, run.status === 'succeeded' ? 'succeeded' : run.status === 'cancelled' ? 'cancelled' : 'failed');
  io.stdout.write(command.flags.json ? `${JSON.stringify(jobRunJson(run), null, 2)}\n` : formatJobSummary(run, plan.phases, summaryHeader(session, plan, command)));
  if (interrupts > 0 || run.status === 'cancelled') return ExitCode.Interrupted;
  return run.status === 'succeeded' ? ExitCode.Ok : ExitCode.Failed;
}

/**
 * `--dry-run`: the plan, then what a run would do with these flags — each instance's targets found
 * clean, done in the resumed run, or to run — decided by the executor itself with a state store
 * that is only read (and not opened at all when there is none yet).
 */
async function runDry(session: ProjectSession, plan: JobPlan, command: JobCommand, io: CommandIO): Promise<number> {
  if (!command.flags.json) io.stdout.write(describeJobPlan(session, plan, command.jobs !== undefined ? { jobsFrom: `-j ${command.flags.jobs}` } : {}));
  const url = session.config(plan.job).get('weft.store.url');
  const location = parseStoreUrl(url, session.project.dir);
  const store = location.kind === 'sqlite' && !existsSync(location.file) ? undefined : await openStateStore(url, session.project.dir);
  try {
    let resume: ResumeState | undefined;
    if (command.flags.resume && store) {
      const state = await resumeState(store, resumeQuery(session, plan, command), plan.instances);
      if (state === 'finished') {
        io.stdout.write(`${nothingToResume(plan, command)}\ndry run: nothing was run or written\n`);
        return ExitCode.Ok;
      }
      resume = state;
    }
    const run = await executeJob(session, {
      ...jobOptions(plan, command, resume),
      dryRun: true,
      recorderFor: (instance) => Promise.resolve(readOnlyRecorder(store, session.project.name, resume?.done.get(instance.key))),
    });
    if (command.flags.json) {
      io.stdout.write(`${JSON.stringify({ dryRun: true, ...(jobRunJson(run) as object) }, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const header = `what ${summaryHeader(session, plan, command)} would do${store ? '' : ' (no state store yet: nothing is clean)'}${resume ? ` — ${resume.note}` : ''}:`;
    io.stdout.write(`\n${formatJobSummary(run, plan.phases, header, true)}dry run: nothing was run or written\n`);
    return ExitCode.Ok;
  } finally {
    await store?.close();
  }
}

/** The options a job command gives the executor, whatever records it keeps. */
function jobOptions(plan: JobPlan, command: JobCommand, resume: ResumeState | undefined): Omit<ExecuteJobOptions, 'recorderFor'> {
  return {
    job: plan.job.name,
    ...(command.targets ? { targets: command.targets } : {}),
    args: command.args,
    lifecycle: command.lifecycle,
    jobs: plan.jobs,
    force: command.flags.force === true,
    keepGoing: command.flags.keepGoing === true,
    ...(command.flags.dirty !== undefined ? { dirty: command.flags.dirty } : {}),
    ...(command.flags.target !== undefined ? { target: command.flags.target } : {}),
    ...(resume ? { completed: resume.completed } : {}),
  };
}

function summaryHeader(session: ProjectSession, plan: JobPlan, command: JobCommand): string {
  return `${command.lifecycle} of job ${plan.job.name} (project ${session.project.name}): ${plan.instances.length} instance${plan.instances.length === 1 ? '' : 's'}, ${plan.jobs} at once, ${plan.executor} executor${plan.executor === 'parallel' ? ` (${plan.parallelism} targets at once)` : ''}`;
}

/** What identifies the runs `--resume` may continue: the project, job, command and arguments. */
function resumeQuery(session: ProjectSession, plan: JobPlan, command: JobCommand): { project: string; job: string; lifecycle: Phase; args: string } {
  return { project: session.project.name, job: plan.job.name, lifecycle: command.lifecycle, args: canonicalArgs(command) };
}

function nothingToResume(plan: JobPlan, command: JobCommand): string {
  return `nothing to resume: the last ${command.lifecycle} of ${plan.job.name} with these arguments finished every instance`;
}

/** The arguments in a canonical order, so `--resume` finds a run whatever order they were typed in. */
function canonicalArgs(command: JobCommand): string {
  const parts = [...command.args].sort();
  if (command.targets) parts.unshift(`targets=${command.targets.join(',')}`);
  return parts.join(' ');
}
