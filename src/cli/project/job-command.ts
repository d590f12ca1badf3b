/**
 * `weft job list` and `weft job build|verify|truncate|destroy|validate|create <job> [args…]` — run
 * a job of a project over its instances (`year:start=2000 year:end=2020`, end exclusive), `-j N` at
 * a time, with live progress, the state store (clean targets skipped, `--resume`), and a summary.
 */
import type { Command } from 'commander';
import { parseParallelism } from '../../config/index.js';
import { readJob } from '../../project/jobs/job.js';
import { describeParameters } from '../../project/jobs/instances.js';
import { PHASES, type Phase } from '../../project/phases.js';
import { formatTable } from '../table.js';
import type { CommandIO } from '../io.js';
import { openSession, projectOptions, type ProjectFlags } from './project-flags.js';
import { runJobCommand, type JobFlags } from './run-job-command.js';

const LIFECYCLE_HELP: Record<Phase, string> = {
  validate: 'run the validate phase: check inputs (validate targets) before anything is built',
  create: 'run validate and create: create the relations the targets write',
  build: 'run validate → create → build → verify over every instance',
  verify: 'run the verify phase: check that what the targets write is there',
  truncate: 'remove the data the targets wrote (per partition), in reverse dependency order',
  destroy: 'truncate, then remove the relations themselves, in reverse dependency order',
};

/** Adds `weft job` and its subcommands to `program`. */
export function registerJob(program: Command, io: CommandIO): void {
  const job = program.command('job').description('list and run the jobs of a project');
  projectOptions(job.command('list').description('list the jobs of a project with their parameters and targets')).action(async (flags: ProjectFlags) => {
    const session = await openSession(flags, io);
    try {
      const rows = [...session.project.jobs.keys()].map((name) => {
        const j = readJob(session.project, name);
        return [name, describeParameters(j.parameters), j.targets.map((t) => t.name).join(', '), j.description ?? ''];
      });
      io.stdout.write(formatTable(['job', 'parameters', 'targets', 'description'], rows));
    } finally {
      await session.close();
    }
  });
  for (const lifecycle of PHASES) {
    const command = job
      .command(lifecycle)
      .description(LIFECYCLE_HELP[lifecycle])
      .argument('<job>', 'the job to run')
      .argument('[args...]', 'job arguments: name=value, or a range name:start=… name:end=… [name:step=…] (the end is EXCLUSIVE)')
      .option('-j, --jobs <n>', 'job instances at once (weft.execution.job.parallelism), e.g. 4 or 50%')
      .option('--force', 'rebuild every target, even clean ones')
      .option('--dirty <regex>', 'rebuild targets whose whole names match, and everything downstream of them')
      .option('--target <regex>', 'run only the targets whose whole names match (agg.* for a prefix)')
      .option('--keep-going', 'after a failure, keep running what does not depend on it (dependents are skipped)')
      .option('--dry-run', 'print the plan — instances, settings and the target DAG of each phase — and run nothing')
      .option('--resume', 'continue the last run of this job with the same arguments: run only what did not finish')
      .option('--json', 'print the result as JSON')
      .option('--no-progress', 'do not show progress');
    projectOptions(command)
      .addHelpText(
        'after',
        `
Ranges: year:start=2000 year:end=2020 runs 2000 … 2019 (the end is exclusive, as in Flowman);
dates step by ISO-8601 durations (day:start=2020-01-01 day:end=2020-02-01 day:step=P1D); several
ranges combine as a cartesian product, the first parameter of the job changing slowest.

Examples:
  $ weft job ${lifecycle} -f examples/weather main year=2013
  $ weft job ${lifecycle} -f examples/weather main year:start=2011 year:end=2015 -j 2
  $ weft job ${lifecycle} -f examples/weather main year:start=2011 year:end=2015 --resume

Exit codes: 0 succeeded, 1 a target failed, 2 bad input (the project, an argument), 130 interrupted.`,
      )
      .action(async (name: string, args: string[], flags: JobFlags) => {
        const jobs = flags.jobs === undefined ? undefined : parseParallelism(flags.jobs, '-j');
        io.exitCode = await runJobCommand({ lifecycle, job: name, args, flags, ...(jobs !== undefined ? { jobs } : {}) }, io);
      });
  }
}
