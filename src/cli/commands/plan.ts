/**
 * `weft plan <file>` — the DAG by levels, its width (the most steps that can ever run at once), its
 * critical path, and, with durations from the previous run, the predicted wall time for each `-j`.
 */
import type { Command } from 'commander';
import { criticalPath, dagWidth, predictWallTime } from '../../graph/index.js';
import type { Pipeline } from '../../pipeline/index.js';
import { loadPipeline } from '../load-pipeline.js';
import { loadLastRun, type LastRun } from '../last-run.js';
import { formatDuration } from '../progress.js';
import { formatTable } from '../table.js';
import type { CommandIO } from '../io.js';
import { collectConf } from '../flags.js';
import { planProjectJob } from '../project/plan-command.js';

interface PlanFlags {
  json?: boolean;
  project?: string;
  profile: string[];
  define: string[];
  conf: string[];
}

export function registerPlan(program: Command, io: CommandIO): void {
  program
    .command('plan')
    .description('show the DAG by levels, its width, critical path and predicted wall time per -j (a pipeline module, or a job of a project with -f)')
    .argument('<file>', 'a .ts or .js module exporting a pipeline — or, with -f, a job of the project')
    .argument('[args...]', 'with -f: job arguments, e.g. year=2013')
    .option('-f, --project <project>', 'plan a job of this project (directory or project.yml)')
    .option('--profile <name>', 'with -f: activate a profile (repeatable)', collectConf, [])
    .option('-D, --define <name=value>', 'with -f: set a variable (repeatable)', collectConf, [])
    .option('-c, --conf <key=value>', 'with -f: set a setting (repeatable)', collectConf, [])
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ weft plan examples/basic.ts
  $ weft run examples/basic.ts && weft plan examples/basic.ts   # predictions from the last run's durations
  $ weft plan -f examples/weather main year=2013                 # a project job: target DAG per phase`,
    )
    .action(async (file: string, args: string[], flags: PlanFlags) => {
      if (flags.project !== undefined) {
        await planProjectJob(file, args, { file: flags.project, profile: flags.profile, define: flags.define, conf: flags.conf }, io);
        return;
      }
      const { pipeline } = await loadPipeline(file, 'plan');
      const last = await loadLastRun(process.cwd(), pipeline.name);
      io.stdout.write(flags.json ? `${JSON.stringify(planData(pipeline, last), null, 2)}\n` : describePlan(pipeline, last));
    });
}

/** The plan as data (what `--json` prints). */
export function planData(pipeline: Pipeline, last: LastRun | undefined): Record<string, unknown> {
  const { dag } = pipeline.plan();
  const known = last?.durationsMs;
  // Sub-millisecond steps count as 1 ms, so the path and predictions still follow the graph.
  const duration = (id: string): number => Math.max(1, known?.[id] ?? 1);
  const width = dagWidth(dag);
  const critical = criticalPath(dag, duration);
  const predictions = known
    ? Array.from({ length: width }, (_, i) => ({ jobs: i + 1, wallTimeMs: predictWallTime(dag, duration, i + 1) }))
    : undefined;
  return { pipeline: pipeline.name, steps: dag.nodes.length, levels: dag.levels(), width, criticalPath: critical, predictions };
}

/** The plan as text. `jobs` marks the `-j` a run would use. */
export function describePlan(pipeline: Pipeline, last: LastRun | undefined, jobs?: number): string {
  const data = planData(pipeline, last) as {
    steps: number;
    levels: string[][];
    width: number;
    criticalPath: { path: string[]; lengthMs: number };
    predictions?: Array<{ jobs: number; wallTimeMs: number }>;
  };
  const lines = [`pipeline ${pipeline.name}: ${data.steps} steps, ${data.levels.length} levels, width ${data.width}`, ''];
  data.levels.forEach((level, i) => lines.push(`level ${i + 1}: ${level.join(', ')}`));
  lines.push('');
  const unit = last ? formatDuration(data.criticalPath.lengthMs) : `${data.criticalPath.lengthMs} steps`;
  lines.push(`critical path (${unit}): ${data.criticalPath.path.join(' → ')}`);
  if (jobs !== undefined) lines.push(`would run with -j ${jobs}${jobs > data.width ? ` (only ${data.width} can ever run at once)` : ''}`);
  if (data.predictions) {
    lines.push('', `predicted wall time from the run ended ${last!.endedAt}:`);
    lines.push(formatTable(['-j', 'wall time'], data.predictions.map((p) => [String(p.jobs), formatDuration(p.wallTimeMs)])).trimEnd());
  } else {
    lines.push('(run it once with `weft run` to see predicted wall times per -j)');
  }
  return `${lines.join('\n')}\n`;
}
