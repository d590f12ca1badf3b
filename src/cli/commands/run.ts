/**
 * `weft run <file>` — runs the pipeline a module exports, with live progress, a summary table and
 * exit codes a script can rely on: 0 ok, 1 failed, 2 usage or bad input, 130 interrupted.
 */
import type { Command } from 'commander';
import { resolveConfig } from '../../config/index.js';
import { EventStream } from '../../events.js';
import { ParallelExecutor, type PipelineResult } from '../../pipeline/index.js';
import { loadPipeline } from '../load-pipeline.js';
import { saveLastRun } from '../last-run.js';
import { formatDuration, showProgress } from '../progress.js';
import { formatTable } from '../table.js';
import { collectConf, configFromFlags, type CommonFlags } from '../flags.js';
import { describePlan } from './plan.js';
import { ExitCode, type CommandIO } from '../io.js';

interface RunFlags extends CommonFlags {
  dryRun?: boolean;
  json?: boolean;
  keepGoing?: boolean;
  progress?: boolean;
}

export function registerRun(program: Command, io: CommandIO): void {
  program
    .command('run')
    .description('run the pipeline a module exports (default export or `pipeline`)')
    .argument('<file>', 'a .ts or .js module')
    .option('-j, --jobs <n>', 'steps at once: a number or a percentage of the cores, e.g. 4 or 50%')
    .option('-b, --backend <backend>', 'where steps run: async | thread | process')
    .option('-c, --conf <key=value>', 'set a setting (repeatable)', collectConf, [])
    .option('--keep-going', 'on a failure, keep running steps that do not depend on it')
    .option('--dry-run', 'check and plan the run, run nothing')
    .option('--json', 'print the result as JSON on stdout')
    .option('--no-progress', 'do not show progress')
    .addHelpText(
      'after',
      `
Examples:
  $ weft run examples/basic.ts
  $ weft run examples/batch.ts -j 4 --backend process
  $ weft run pipeline.ts --conf weft.scheduler.mode=FAIR --json > result.json

Exit codes: 0 succeeded, 1 failed, 2 usage or bad input, 130 interrupted (Ctrl-C).
First Ctrl-C: stop starting steps, stop running ones, report. Second Ctrl-C: exit at once.`,
    )
    .action(async (file: string, flags: RunFlags) => {
      io.exitCode = await runCommand(file, flags, io);
    });
}

async function runCommand(file: string, flags: RunFlags, io: CommandIO): Promise<number> {
  const cliConf = configFromFlags(flags);
  const config = resolveConfig({ cwd: process.cwd(), cli: cliConf });
  const { pipeline, executor: moduleExecutor } = await loadPipeline(file);
  if (flags.dryRun) {
    io.stdout.write(describePlan(pipeline, undefined, config.get('weft.execution.executor.parallelism')));
    return ExitCode.Ok;
  }
  const events = new EventStream();
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.Interrupted);
    io.stderr.write('\nweft: interrupted — stopping running steps (Ctrl-C again to exit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const stopProgress = flags.progress === false ? () => undefined : showProgress(events, io.stderr);
  let result: PipelineResult;
  try {
    result = await pipeline.run({
      // A module's own executor is its default; -j, --backend and --conf on the command line win.
      executor:
        moduleExecutor && cliConf.length === 0
          ? moduleExecutor
          : new ParallelExecutor({
              maxWorkers: config.get('weft.execution.executor.parallelism'),
              backend: config.get('weft.execution.backend'),
            }),
      config,
      events,
      signal: controller.signal,
      ...(flags.keepGoing ? { failurePolicy: 'keep-going' as const } : {}),
    });
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
  return `\n${formatTable(['step', 'status', 'time', 'attempts', 'slot', 'note'], rows)}\n${result.pipeline} ${result.status} in ${formatDuration(result.durationMs)}\n`;
}

