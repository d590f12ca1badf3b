/**
 * Runs the phases of a lifecycle for one job instance: each phase over all the instance's targets
 * before the next, each phase a DAG run with the executor's parallelism (1 for the sequential
 * executor). Before running a target's phase it asks the recorder whether the target is clean —
 * its last run succeeded with the same definition and inputs, and its output is still there — and
 * skips it then, unless forced or tainted by `--dirty`. Under keep-going a target that failed in
 * one phase is skipped in the later ones, and so are its dependents; otherwise the first failed
 * phase ends the instance.
 */
import { runGraph, type NodeExecution, type NodeResult } from '../../graph/index.js';
import type { EventStream } from '../../events.js';
import { CancelledError } from '../../errors.js';
import { digestOf } from '../digest.js';
import type { Phase } from '../phases.js';
import type { Target } from '../targets/target.js';
import type { InstanceContext } from './instance-context.js';
import type { InstanceRecorder } from './recorder.js';
import type { ResourceLocks } from './resource-locks.js';
import type { InstanceRun, InstanceStatus, PhaseRun, TargetRun, TargetStatus } from './run-types.js';
import { phaseDag, type SchedulerClass } from './target-graph.js';

/** How to run one instance. */
export interface RunInstanceOptions {
  readonly context: InstanceContext;
  /** The instance key, e.g. `year=2013` ('' without parameters). */
  readonly key: string;
  /** The job's targets in listed order. */
  readonly targets: readonly string[];
  readonly phases: readonly Phase[];
  /** Targets to run (`--target`); the others are left out but keep the order through them. */
  readonly selected: ReadonlySet<string>;
  /** Targets to rebuild whatever the state store says (`--force`: all; `--dirty`: matching and downstream). */
  readonly forced: ReadonlySet<string>;
  readonly executor: 'sequential' | 'parallel';
  readonly parallelism: number;
  readonly scheduler: SchedulerClass;
  readonly keepGoing: boolean;
  readonly recorder: InstanceRecorder;
  readonly signal: AbortSignal;
  readonly events?: EventStream;
  /** Prefix of the run ids of the phases' DAG runs (each phase appends `.<phase>`). */
  readonly runId: string;
  /** Name of the phases' DAG runs, e.g. `main[year=2013]`. */
  readonly name: string;
  /** Locks shared with the run's other instances, so two never write (or write and read) one resource at once. */
  readonly locks?: ResourceLocks;
  /**
   * `--dry-run`: decide each target as a run would (resumed, clean, forced) but run nothing; a
   * target that would run is reported `would-run`, and so is every target downstream of one
   * (what it reads would change).
   */
  readonly dryRun?: boolean;
}

/**
 * Phases whose clean targets are skipped (validate and verify always run: they check). A build is
 * clean for the same definition and input data; a create for the same definition (it reads no data).
 */
const SKIPPABLE: ReadonlySet<Phase> = new Set(['create', 'build']);

/** Phases that change what a target provides; in the others its resources are only read. */
const WRITING: ReadonlySet<Phase> = new Set(['create', 'build', 'truncate', 'destroy']);

/** Runs the phases of one instance; never rejects for a failed target (see the result). */
export async function runInstance(options: RunInstanceOptions): Promise<InstanceRun> {
  const startedAt = Date.now();
  const { context } = options;
  const phases: PhaseRun[] = [];
  /** Targets that later phases skip, with why. */
  const failedTargets = new Map<string, string>();
  let status: Exclude<InstanceStatus, 'not-run'> = 'succeeded';
  let error: Error | undefined;
  /** An error that leaves nothing to run: the targets could not be built, or a phase could not be planned. */
  let fatal = false;
  let targets: Target[] = [];
  try {
    targets = context.checkDefinitions(options.targets);
  } catch (cause) {
    error = cause as Error;
    fatal = true;
  }
  for (const phase of options.phases) {
    if (fatal || status === 'cancelled' || (status === 'failed' && !options.keepGoing)) {
      phases.push({ phase, status: 'not-run', targets: [], durationMs: 0 });
      continue;
    }
    const run = await runPhase(phase, targets, failedTargets, options).catch((cause: unknown) => {
      error ??= cause as Error;
      fatal = true;
      return { phase, status: 'failed', targets: [], durationMs: 0 } satisfies PhaseRun;
    });
    phases.push(run);
    if (run.status === 'cancelled') status = 'cancelled';
    else if (run.status === 'failed') {
      status = 'failed';
      error ??= run.targets.find((t) => t.error)?.error;
    }
  }
  if (error !== undefined && status === 'succeeded') status = 'failed';
  await options.recorder.end(status, error);
  return { key: options.key, status, phases, startedAt, endedAt: Date.now(), ...(error ? { error } : {}) };
}

async function runPhase(phase: Phase, targets: readonly Target[], failedTargets: Map<string, string>, options: RunInstanceOptions): Promise<PhaseRun> {
  const started = Date.now();
  const { context } = options;
  const dag = phaseDag(phase, targets, options.selected, context, options.scheduler);
  if (!options.dryRun && (phase === 'validate' || phase === 'build')) prefetchMappings(dag.nodes.filter((n) => n.deps.length === 0).map((n) => n.data), context);
  const outcomes = new Map<string, Omit<TargetRun, 'target' | 'phase'>>();
  const startOrder: string[] = [];
  const result = await runGraph(dag, {
    name: `${options.name} ${phase}`,
    runId: `${options.runId}.${phase}`,
    parallelism: options.executor === 'parallel' ? options.parallelism : 1,
    failurePolicy: options.keepGoing ? 'keep-going' : 'fail-fast',
    signal: options.signal,
    ...(options.events ? { events: options.events } : {}),
    execute: (node) => {
      if (!startOrder.includes(node.id)) startOrder.push(node.id);
      const upstreamRuns = options.dryRun === true && node.deps.some((dep) => outcomes.get(dep)?.status === 'would-run');
      return runTarget(phase, node.data, failedTargets, outcomes, options, upstreamRuns);
    },
  });
  const runs: TargetRun[] = dag.nodes.map((node) => targetRun(phase, node.id, result.nodes.get(node.id), outcomes.get(node.id)));
  // In the order they started (those that never started last, in DAG order).
  const rank = (name: string): number => (startOrder.includes(name) ? startOrder.indexOf(name) : Infinity);
  runs.sort((a, b) => rank(a.target) - rank(b.target));
  for (const run of runs) {
    // Under keep-going a target skipped for a failure upstream stays skipped in the later phases.
    if (run.status === 'failed') failedTargets.set(run.target, `it failed in the ${phase} phase`);
    else if (run.status === 'skipped' && !failedTargets.has(run.target)) failedTargets.set(run.target, `it was skipped in the ${phase} phase${run.reason ? ` (${run.reason})` : ''}`);
  }
  const status = result.status === 'cancelled' ? 'cancelled' : result.status === 'failed' ? 'failed' : 'succeeded';
  return { phase, status, targets: runs, durationMs: Date.now() - started };
}

async function runTarget(
  phase: Phase,
  target: Target,
  failedTargets: ReadonlyMap<string, string>,
  outcomes: Map<string, Omit<TargetRun, 'target' | 'phase'>>,
  options: RunInstanceOptions,
  upstreamRuns = false,
): Promise<NodeExecution> {
  const earlier = failedTargets.get(target.name);
  if (earlier !== undefined) return { skipped: { reason: earlier } };
  if (options.signal.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new CancelledError();
  const { context, recorder } = options;
  if (options.recorder.doneBefore(phase, target.name)) {
    outcomes.set(target.name, { status: 'done-before', message: 'succeeded in the resumed run' });
    return {};
  }
  // Locked before the clean check: an instance that waited for another to write the same output finds it clean.
  const release = options.locks && !options.dryRun ? await options.locks.acquire(WRITING.has(phase) ? target.provides(phase, context) : [], target.requires(phase, context)) : undefined;
  try {
    const digest = SKIPPABLE.has(phase) ? digestOf(context.definitionDigest(target.name), phase === 'build' ? await context.inputDigest(target.name) : '') : '';
    if (SKIPPABLE.has(phase) && !options.forced.has(target.name) && !upstreamRuns && (await isClean(phase, target, digest, options))) {
      await recorder.clean(phase, target.name, target.partitionKey, digest);
      outcomes.set(target.name, { status: 'clean', message: 'up to date' });
      return {};
    }
    if (options.dryRun) {
      const why = options.forced.has(target.name) ? 'forced' : upstreamRuns ? 'a target it waits for would run' : SKIPPABLE.has(phase) ? 'not clean' : `${phase} always runs`;
      outcomes.set(target.name, { status: 'would-run', message: why });
      return {};
    }
    await recorder.beginTarget(phase, target.name, target.partitionKey, digest);
    try {
      const outcome = await target.execute(phase, context);
      await recorder.endTarget(phase, target.name, 'succeeded');
      outcomes.set(target.name, { status: 'succeeded', ...outcome });
      return {};
    } catch (error) {
      const cancelled = options.signal.aborted;
      await recorder.endTarget(phase, target.name, cancelled ? 'cancelled' : 'failed', error as Error);
      throw error;
    }
  } finally {
    release?.();
  }
}

async function isClean(phase: Phase, target: Target, digest: string, options: RunInstanceOptions): Promise<boolean> {
  const last = await options.recorder.lastRun(phase, target.name, target.partitionKey);
  // `skipped` is a clean check's own record: the output was found up to date with that digest.
  if ((last?.status !== 'succeeded' && last?.status !== 'skipped') || last.digest !== digest) return false;
  return (await target.outputExists(phase, options.context)) === true;
}

/**
 * Starts planning the mappings of the targets that wait for no other target in the phase, so their
 * planning overlaps (bounded by the planner). Targets that wait for others plan when they start:
 * the data they read is written by those others first.
 */
function prefetchMappings(targets: readonly Target[], context: InstanceContext): void {
  for (const target of targets) for (const mapping of target.mappings) context.mapping(mapping).catch(() => undefined);
}

function targetRun(phase: Phase, name: string, node: NodeResult | undefined, outcome: Omit<TargetRun, 'target' | 'phase'> | undefined): TargetRun {
  const status: TargetStatus = node === undefined ? 'not-run' : node.status === 'succeeded' ? (outcome?.status ?? 'succeeded') : node.status;
  return {
    target: name,
    phase,
    ...outcome,
    status,
    ...(node?.startedAt !== undefined ? { startedAt: node.startedAt } : {}),
    ...(node?.endedAt !== undefined ? { endedAt: node.endedAt } : {}),
    ...(node?.durationMs !== undefined ? { durationMs: node.durationMs } : {}),
    ...(node?.reason !== undefined ? { reason: node.reason } : {}),
    ...(node?.error !== undefined ? { error: node.error } : {}),
  };
}
