/**
 * Runs a job over its instances: up to `-j` instances at once (`weft.execution.job.parallelism`),
 * each isolated — its own variables, mappings and relations, its own job group so it can be
 * cancelled alone — while all share the engine's slots, ordered FIFO or FAIR by the scheduler.
 * Without keep-going a failed instance stops new instances from starting (running ones finish);
 * with it, every instance runs. Cancelling (Ctrl-C) stops starting instances and cancels the
 * running instances' job groups, so their tasks stop and their writes are rolled back. Instances
 * share resource locks, so two never write one resource (or write what another reads) at once.
 */
import { randomUUID } from 'node:crypto';
import { cancelJobGroup, withJobGroup, withPool } from '../../scheduler/index.js';
import type { EventStream } from '../../events.js';
import type { JobInstance } from '../jobs/instances.js';
import type { Phase } from '../phases.js';
import type { InstanceContext } from './instance-context.js';
import { Limiter } from './limiter.js';
import type { InstanceRecorder } from './recorder.js';
import { ResourceLocks } from './resource-locks.js';
import { runInstance } from './run-instance.js';
import type { InstanceRun } from './run-types.js';
import { targetEdges, type SchedulerClass } from './target-graph.js';

/** A job run: every instance, in order. */
export interface JobRun {
  readonly job: string;
  readonly runId: string;
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly instances: readonly InstanceRun[];
  readonly startedAt: number;
  readonly endedAt: number;
}

/** How to run a job. */
export interface RunJobOptions {
  readonly job: string;
  readonly targets: readonly string[];
  readonly instances: readonly JobInstance[];
  readonly phases: readonly Phase[];
  /** Builds the context of one instance (its variables, config, relations, mappings); `signal` is the instance's. */
  readonly contextFor: (instance: JobInstance, signal: AbortSignal) => InstanceContext;
  /** A recorder for one instance. */
  readonly recorderFor: (instance: JobInstance) => Promise<InstanceRecorder>;
  /** Instances `--resume` skips because they succeeded in the resumed run. */
  readonly completed?: ReadonlySet<string>;
  readonly jobParallelism: number;
  readonly executor: 'sequential' | 'parallel';
  readonly parallelism: number;
  readonly scheduler: SchedulerClass;
  /** `--target`: which targets to run. @default all */
  readonly select?: (target: string) => boolean;
  readonly force: boolean;
  /** `--dirty`: targets to taint (with everything downstream of them). */
  readonly dirty?: (target: string) => boolean;
  readonly keepGoing: boolean;
  readonly signal: AbortSignal;
  readonly events?: EventStream;
  /** Called as each instance starts and ends (progress). */
  readonly onInstance?: (key: string, state: 'started' | InstanceRun) => void;
  /** @default a random UUID */
  readonly runId?: string;
  /** The scheduling pool of the instances' dataflow jobs; the caller's when undefined. */
  readonly pool?: string;
  /** `--dry-run`: decide what would run, run nothing (see `RunInstanceOptions.dryRun`). */
  readonly dryRun?: boolean;
}

/** Runs every instance; never rejects for a failed target or instance (see the result). */
export async function runJob(options: RunJobOptions): Promise<JobRun> {
  const startedAt = Date.now();
  const runId = options.runId ?? randomUUID();
  const limiter = new Limiter(options.jobParallelism);
  const locks = new ResourceLocks();
  let stop = false;
  const running = new Map<string, AbortController>();
  const groupOf = (instance: JobInstance): string => `${runId}:${options.job}[${instance.key}]`;
  // One listener on the caller's signal fans out to each running instance's own controller.
  const onAbort = (): void => {
    stop = true;
    for (const [group, controller] of running) {
      controller.abort(options.signal.reason);
      cancelJobGroup(group, 'the job run was cancelled');
    }
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const runs = await Promise.all(
      options.instances.map((instance, index) =>
        limiter.run(async (): Promise<InstanceRun> => {
          if (options.completed?.has(instance.key)) return skipped(instance, 'succeeded in the resumed run', 'succeeded');
          if (stop || options.signal.aborted) return skipped(instance, options.signal.aborted ? 'the run was cancelled' : 'an earlier instance failed', 'not-run');
          const group = groupOf(instance);
          const controller = new AbortController();
          running.set(group, controller);
          options.onInstance?.(instance.key, 'started');
          try {
            const body = (): Promise<InstanceRun> => withJobGroup(group, () => runOne(instance, index, runId, { ...options, signal: controller.signal }, locks));
            const run = await (options.pool === undefined ? body() : withPool(options.pool, body));
            if (run.status === 'failed' && !options.keepGoing) stop = true;
            options.onInstance?.(instance.key, run);
            return run;
          } finally {
            running.delete(group);
          }
        }),
      ),
    );
    const status = options.signal.aborted ? 'cancelled' : runs.some((r) => r.status === 'failed' || r.status === 'cancelled') ? 'failed' : 'succeeded';
    return { job: options.job, runId, status, instances: runs, startedAt, endedAt: Date.now() };
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }
}

async function runOne(instance: JobInstance, index: number, runId: string, options: RunJobOptions, locks: ResourceLocks): Promise<InstanceRun> {
  const started = Date.now();
  let context: InstanceContext;
  try {
    context = options.contextFor(instance, options.signal);
  } catch (error) {
    return { key: instance.key, status: 'failed', phases: [], startedAt: started, endedAt: Date.now(), error: error as Error };
  }
  const recorder = await options.recorderFor(instance);
  const select = options.select ?? (() => true);
  const selected = new Set(options.targets.filter(select));
  let forced = new Set<string>(options.force ? options.targets : []);
  try {
    if (!options.force && options.dirty) forced = tainted(options.targets, options.dirty, context, options.scheduler);
  } catch (error) {
    await recorder.end('failed', error as Error);
    return { key: instance.key, status: 'failed', phases: [], startedAt: started, endedAt: Date.now(), error: error as Error };
  }
  return runInstance({
    context,
    key: instance.key,
    targets: options.targets,
    phases: options.phases,
    selected,
    forced,
    executor: options.executor,
    parallelism: options.parallelism,
    scheduler: options.scheduler,
    keepGoing: options.keepGoing,
    recorder,
    signal: options.signal,
    runId: `${runId}.${index}`,
    name: instance.key === '' ? options.job : `${options.job}[${instance.key}]`,
    locks,
    ...(options.events ? { events: options.events } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
}

/** The targets matching `dirty` and every target downstream of them in build order. */
function tainted(targets: readonly string[], dirty: (target: string) => boolean, context: InstanceContext, scheduler: SchedulerClass): Set<string> {
  const list = targets.map((name) => context.target(name));
  const edges = targetEdges('build', list, context, scheduler);
  const out = new Set(targets.filter(dirty));
  const stack = [...out];
  while (stack.length > 0) {
    const from = stack.pop()!;
    for (const edge of edges) if (edge.from === from && !out.has(edge.to)) stack.push((out.add(edge.to), edge.to));
  }
  return out;
}

function skipped(instance: JobInstance, reason: string, status: 'succeeded' | 'not-run'): InstanceRun {
  const now = Date.now();
  return { key: instance.key, status, phases: [], startedAt: now, endedAt: now, reason };
}
