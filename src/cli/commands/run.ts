/**
 * `weft run <file>` — runs the pipeline a module exports, with live progress, a summary table and
 * exit codes a script can rely on: 0 ok, 1 failed, 2 usage or bad input, 130 interrupted.
 */
import type { Command } from 'commander';
import { formatSource, resolveConfig, setProcessCliConfig, type ResolvedConfig } from '../../config/index.js';
import { CancelledError } from '../../errors.js';
import { EventStream } from '../../events.js';
import { ParallelExecutor, preflight, type Pipeline, type PipelineExecutor, type PipelineResult } from '../../pipeline/index.js';
import { runJobModule } from '../job-module.js';
import { loadModule } from '../load-pipeline.js';
import { saveLastRun } from '../last-run.js';
import { formatDuration, showProgress } from '../progress.js';
import { userFrames } from '../../stack-frames.js';
import { formatTable } from '../table.js';
import { cliSettingsFromFlags, collectConf, replacesExecutor, type CommonFlags } from '../flags.js';
import { describePlan } from './plan.js';
import { ExitCode, isBadInput, type CommandIO } from '../io.js';

interface RunFlags extends CommonFlags {
  dryRun?: boolean;
  json?: boolean;
  keepGoing?: boolean;
  progress?: boolean;
}

export function registerRun(program: Command, io: CommandIO): void {
  program
    .command('run')
    .description('run the pipeline a module exports (default export or `pipeline`), or the `main` of a dataflow job module')
    .argument('<file>', 'a .ts or .js module')
    .option('-j, --jobs <n>', 'steps at once (a job module: tasks at once, the slots of its environments): a number or a percentage of the cores, e.g. 4 or 50%')
    .option('-b, --backend <backend>', 'where steps run: async | thread | process')
    .option('-p, --parallelism <n>', 'default parallelism of dataflow operators (weft.parallelism.default), e.g. 4 or 50%')
    .option('-c, --conf <key=value>', 'set a setting (repeatable)', collectConf, [])
    .option('--keep-going', 'on a failure, keep running steps that do not depend on it (pipelines only)')
    .option('--dry-run', 'run every check and show the plan, run nothing (exit 2 when a check fails)')
    .option('--json', 'print the result (a job module: a summary of its jobs) as JSON on stdout')
    .option('--no-progress', 'do not show progress (pipelines only)')
    .addHelpText(
      'after',
      `
Examples:
  $ weft run examples/basic.ts
  $ weft run examples/batch.ts -j 4 --backend process
  $ weft run pipeline.ts --conf weft.scheduler.mode=FAIR --json > result.json

Executor: a module that exports \`executor\` runs on it, unless -j, --backend, or
--conf weft.execution.executor.parallelism=… / --conf weft.execution.backend=… is given;
then a ParallelExecutor with those settings replaces it. Other --conf keys (e.g.
weft.task.maxFailures) apply without replacing the module's executor.

Job module: a module exporting an async \`main\` (or a default function) that runs dataflow
actions. -p sets its operators' parallelism, -j its slots; --json prints per job its id, action,
status, stages, tasks, rows and time (what the module prints goes to stderr); --dry-run prints each
action's plan instead of running it. --keep-going and --no-progress do not apply (exit 2).

Exit codes: 0 succeeded, 1 failed, 2 usage or bad input, 130 interrupted (Ctrl-C).
First Ctrl-C: stop starting steps or jobs, stop running ones, report. Second Ctrl-C: exit at once.`,
    )
    .action(async (file: string, flags: RunFlags) => {
      io.exitCode = await runCommand(file, flags, io);
    });
}

/** The executor a run uses, with the `-j` it stands for and where that value came from. */
interface ChosenExecutor {
  executor: PipelineExecutor;
  jobs: number;
  jobsFrom: string;
  /** True when this command built the executor (and so must close it). */
  owned: boolean;
}

function chooseExecutor(moduleExecutor: PipelineExecutor | undefined, flags: RunFlags, config: ResolvedConfig): ChosenExecutor {
  if (moduleExecutor && !replacesExecutor(flags)) {
    const jobs = (moduleExecutor as { maxWorkers?: unknown }).maxWorkers;
    return { executor: moduleExecutor, jobs: typeof jobs === 'number' ? jobs : NaN, jobsFrom: "the module's `executor` export", owned: false };
  }
  const jobs = config.get('weft.execution.executor.parallelism');
  const executor = new ParallelExecutor({ maxWorkers: jobs, backend: config.get('weft.execution.backend'), config });
  const jobsFrom = flags.jobs !== undefined ? `-j ${flags.jobs}` : formatSource(config.source('weft.execution.executor.parallelism'));
  return { executor, jobs, jobsFrom, owned: true };
}

async function runCommand(file: string, flags: RunFlags, io: CommandIO): Promise<number> {
  const cli = cliSettingsFromFlags(flags);
  // Everything the module resolves (an ExecutionEnvironment, a pipeline) sees the command line too.
  setProcessCliConfig(cli);
  const config = resolveConfig({ cwd: process.cwd(), cli });
  const loaded = await loadModule(file, 'run');
  if (loaded.kind === 'job') return runJobModule(loaded, file, flags, io);
  const { pipeline, executor: moduleExecutor } = loaded;
  const chosen = chooseExecutor(moduleExecutor, flags, config);
  try {
    if (flags.dryRun) return dryRun(pipeline, chosen, config, io);
    return await execute(pipeline, chosen, config, flags, io);
  } finally {
    if (chosen.owned) await chosen.executor.close?.();
  }
}

/** Every check a run makes before work starts, then the plan; nothing runs, no worker starts. */
function dryRun(pipeline: Pipeline, chosen: ChosenExecutor, config: ResolvedConfig, io: CommandIO): number {
  const executor = chosen.executor as { backend?: unknown; pools?: unknown };
  const backend = executor.backend === 'async' || executor.backend === 'thread' || executor.backend === 'process' ? executor.backend : config.get('weft.execution.backend');
  const pools = (typeof executor.pools === 'object' && executor.pools !== null ? executor.pools : undefined) ?? config.get('weft.scheduler.pools');
  try {
    preflight(pipeline, { backend, pools: ['default', ...Object.keys(pools)] });
  } catch (error) {
    io.stderr.write(`weft: dry run of ${pipeline.name} failed a check: ${(error as Error).message}\n`);
    return isBadInput(error) ? ExitCode.Usage : ExitCode.Failed;
  }
  const jobs = Number.isNaN(chosen.jobs) ? undefined : chosen.jobs;
  io.stdout.write(describePlan(pipeline, undefined, jobs));
  io.stdout.write(`-j ${jobs ?? '(set by the executor)'} from ${chosen.jobsFrom}; backend ${backend}\nall checks passed: wiring, cycles, step functions, params, pool\n`);
  return ExitCode.Ok;
}

async function execute(pipeline: Pipeline, chosen: ChosenExecutor, config: ResolvedConfig, flags: RunFlags, io: CommandIO): Promise<number> {
  const events = new EventStream();
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.Interrupted);
    io.stderr.write('\nweft: interrupted — stopping running steps (Ctrl-C again to exit at once)\n');
    controller.abort(new CancelledError('interrupted by Ctrl-C'));
  };
  process.on('SIGINT', onSigint);
  const stopProgress = flags.progress === false ? () => undefined : showProgress(events, io.stderr);
  let result: PipelineResult;
  try {
    result = await pipeline.run({
      executor: chosen.executor,
      config,
      events,
      signal: controller.signal,
      ...(flags.keepGoing ? { failurePolicy: 'keep-going' as const } : {}),
    });
  } catch (error) {
    // Interrupted before any step started (e.g. while workers start): nothing ran, nothing to report.
    if (interrupts > 0) {
      io.stderr.write(`weft: interrupted before ${pipeline.name} started; nothing ran\n`);
      return ExitCode.Interrupted;
    }
    throw error;
  } finally {
    stopProgress();
    process.off('SIGINT', onSigint);
  }
  await saveLastRun(process.cwd(), result).catch((error: unknown) => {
    io.stderr.write(`weft: could not save run durations for \`weft plan\`: ${(error as Error).message}\n`);
  });
  if (flags.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(summary(result));
  if (interrupts > 0) return ExitCode.Interrupted;
  return result.ok ? ExitCode.Ok : ExitCode.Failed;
}

function summary(result: PipelineResult): string {
  const rows = result.steps.map((s) => [
    s.name,
    s.cached ? `${s.status} (cached)` : s.status,
    s.durationMs === undefined ? '' : formatDuration(s.durationMs),
    String(s.attempts),
    s.backend === undefined ? '' : `${s.backend}${s.slot !== undefined ? `#${s.slot}` : ''}`,
    s.error ? s.error.message.split('\n')[0]! : (s.reason ?? ''),
  ]);
  return `\n${formatTable(['step', 'status', 'time', 'attempts', 'slot', 'note'], rows)}${failures(result)}\n${result.pipeline} ${result.status} in ${formatDuration(result.durationMs)}\n`;
}

/** Each failed step's error in full, with where in the user's code it was thrown. */
function failures(result: PipelineResult): string {
  const failed = result.steps.filter((s) => s.status === 'failed' && s.error !== undefined);
  if (failed.length === 0) return '';
  const lines = failed.flatMap((s) => {
    const error = s.error!;
    const frames = userFrames(error.stack).map((frame) => `      ${frame}`);
    return [`  ${s.name}: ${error.name}: ${error.message.split('\n').join('\n    ')}`, ...frames];
  });
  return `\nfailures:\n${lines.join('\n')}\n`;
}
