/**
 * One call from a session to a finished job run: reads the job, expands its arguments into
 * instances, resolves the executor settings from the job's config (and where each came from), and
 * runs the lifecycle's phases over every instance. The CLI adds progress, the state store and
 * `--resume` around it; tests call it directly.
 */
import type { EventStream } from '../../events.js';
import { ProjectError } from '../errors.js';
import { expandInstances, type JobInstance } from '../jobs/instances.js';
import { readJob, type Job } from '../jobs/job.js';
import { LIFECYCLES, type Phase } from '../phases.js';
import type { ProjectSession } from '../session.js';
import type { InstanceRecorder } from './recorder.js';
import { MemoryRecords } from './recorder.js';
import { runJob, type JobRun } from './run-job.js';
import { phaseDag } from './target-graph.js';

/** What to run. */
export interface ExecuteJobOptions {
  /** The job to run; with `targets`, only names the run. */
  readonly job: string;
  /** Run these targets as a job of their own without parameters (`weft target build …`). */
  readonly targets?: readonly string[];
  /** Job arguments: `year=2013`, `year:start=2000`, … */
  readonly args?: readonly string[];
  /** The command: `build` runs validate → create → build → verify. @default 'build' */
  readonly lifecycle?: Phase;
  /** Instances at once (`-j`). @default `weft.execution.job.parallelism` */
  readonly jobs?: number;
  readonly force?: boolean;
  /** `--dirty`: a regular expression of target names to rebuild with everything downstream. */
  readonly dirty?: string;
  /** `--target`: a regular expression of target names to run. */
  readonly target?: string;
  readonly keepGoing?: boolean;
  readonly signal?: AbortSignal;
  readonly events?: EventStream;
  /** @default in-memory records shared by the session's runs (nothing is remembered after the process) */
  readonly recorderFor?: (instance: JobInstance, job: Job) => Promise<InstanceRecorder>;
  /** Instances to skip as done (`--resume`). */
  readonly completed?: ReadonlySet<string>;
  /** Decide what would run (clean, forced, resumed) and run nothing; targets that would run are `would-run`. */
  readonly dryRun?: boolean;
  readonly onInstance?: (key: string, state: 'started' | JobRun['instances'][number]) => void;
  readonly runId?: string;
}

/** The plan of a job run before it starts: the job, its instances, and the executor settings. */
export interface JobPlan {
  readonly job: Job;
  readonly instances: readonly JobInstance[];
  readonly phases: readonly Phase[];
  readonly jobs: number;
  readonly executor: 'sequential' | 'parallel';
  readonly parallelism: number;
  readonly scheduler: 'dependency' | 'manual';
  /** The pool of the instances' dataflow jobs (`weft.execution.job.pool`), when set. */
  readonly pool: string | undefined;
}

/** Reads the job and its arguments into a plan (nothing runs). */
export function planJob(session: ProjectSession, options: Pick<ExecuteJobOptions, 'job' | 'targets' | 'args' | 'lifecycle' | 'jobs'>): JobPlan {
  const job = options.targets ? targetsJob(session, options.job, options.targets) : readJob(session.project, options.job);
  const instances = expandInstances(job.name, job.parameters, options.args ?? []);
  const config = session.config(job);
  const pool = config.get('weft.execution.job.pool') ?? undefined;
  const pools = ['default', ...Object.keys(config.get('weft.scheduler.pools'))];
  if (pool !== undefined && !pools.includes(pool)) {
    const source = config.source('weft.execution.job.pool');
    throw new ProjectError(`weft.execution.job.pool names the pool \`${pool}\` (${source.kind} ${source.where}), which is not defined; the pools are ${pools.join(', ')} — define it under weft.scheduler.pools`);
  }
  return {
    pool,
    job,
    instances,
    phases: LIFECYCLES[options.lifecycle ?? 'build'],
    jobs: options.jobs ?? config.get('weft.execution.job.parallelism'),
    executor: config.get('weft.execution.executor.class'),
    parallelism: config.get('weft.execution.executor.parallelism'),
    scheduler: config.get('weft.execution.scheduler.class'),
  };
}

/** Runs a job of the session's project. Rejects only for bad input found before anything runs. */
export async function executeJob(session: ProjectSession, options: ExecuteJobOptions): Promise<JobRun> {
  const plan = planJob(session, options);
  const signal = options.signal ?? new AbortController().signal;
  checkBeforeRun(session, plan, signal);
  const records = memoryRecordsOf(session);
  const names = plan.job.targets.map((t) => t.name);
  const select = regex(options.target, '--target', names, plan.job.name);
  const dirty = regex(options.dirty, '--dirty', names, plan.job.name);
  return runJob({
    job: plan.job.name,
    targets: plan.job.targets.map((t) => t.name),
    instances: plan.instances,
    phases: plan.phases,
    contextFor: (instance, instanceSignal) => session.context({ job: plan.job, instance, signal: instanceSignal }),
    recorderFor: options.recorderFor ? (instance) => options.recorderFor!(instance, plan.job) : (instance) => Promise.resolve(records.forInstance(instance.key)),
    jobParallelism: plan.jobs,
    executor: plan.executor,
    parallelism: plan.parallelism,
    scheduler: plan.scheduler,
    force: options.force === true,
    keepGoing: options.keepGoing === true,
    signal,
    ...(select ? { select: (t: string) => select.test(t) } : {}),
    ...(dirty ? { dirty: (t: string) => dirty.test(t) } : {}),
    ...(options.completed ? { completed: options.completed } : {}),
    ...(options.events ? { events: options.events } : {}),
    ...(options.onInstance ? { onInstance: options.onInstance } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(plan.pool !== undefined ? { pool: plan.pool } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
}

/**
 * What can be checked before any target runs, with the first instance's variables: every target and
 * what it reads exists, no mapping reads itself, and no phase's targets wait for each other in a loop.
 */
function checkBeforeRun(session: ProjectSession, plan: JobPlan, signal: AbortSignal): void {
  const first = plan.instances[0];
  if (first === undefined) return;
  const context = session.context({ job: plan.job, instance: first, signal });
  const targets = context.checkDefinitions(plan.job.targets.map((t) => t.name));
  const all = new Set(targets.map((t) => t.name));
  for (const phase of plan.phases) phaseDag(phase, targets, all, context, plan.scheduler);
}

/** A job of its own for targets named on the command line: no parameters, the project's config. */
function targetsJob(session: ProjectSession, name: string, targets: readonly string[]): Job {
  const known = session.project.targets;
  for (const target of targets) {
    if (!known.has(target)) {
      throw new ProjectError(`project \`${session.project.name}\` has no target \`${target}\`; its targets: ${[...known.keys()].join(', ') || 'none'}`);
    }
  }
  const location = { file: session.project.file, line: 1, column: 1 };
  return { name, description: undefined, location, parameters: [], environment: [], config: [], targets: targets.map((t) => ({ name: t, location: known.get(t)!.location })) };
}

/** Runs of a session without a state store remember each other in memory. */
const sessionRecords = new WeakMap<ProjectSession, MemoryRecords>();

function memoryRecordsOf(session: ProjectSession): MemoryRecords {
  let records = sessionRecords.get(session);
  if (!records) sessionRecords.set(session, (records = new MemoryRecords()));
  return records;
}

/** `--target` / `--dirty`: a regular expression that must match whole names, and match at least one. */
function regex(text: string | undefined, flag: string, targets: readonly string[], job: string): RegExp | undefined {
  if (text === undefined) return undefined;
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${text})$`);
  } catch (error) {
    throw new ProjectError(`${flag} ${text}: expected a regular expression of target names, got one that does not compile (${(error as Error).message})`);
  }
  if (!targets.some((t) => pattern.test(t))) {
    throw new ProjectError(`${flag} ${text} matches none of the targets of job \`${job}\` (it must match a whole name: \`${text}.*\` for names that start with it); its targets: ${targets.join(', ')}`);
  }
  return pattern;
}
