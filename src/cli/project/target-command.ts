/**
 * `weft target build|verify|truncate|destroy|validate|create <target…>` — run targets of a project
 * outside any job (no parameters; variables from the environments, profiles and `-D`), ordered by
 * their data like a job's targets.
 */
import type { Command } from 'commander';
import { PHASES } from '../../project/phases.js';
import type { CommandIO } from '../io.js';
import { projectOptions } from './project-flags.js';
import { runJobCommand, type JobFlags } from './run-job-command.js';

/** Adds `weft target` and its subcommands to `program`. */
export function registerTarget(program: Command, io: CommandIO): void {
  const target = program.command('target').description('run targets of a project outside any job');
  for (const lifecycle of PHASES) {
    const command = target
      .command(lifecycle)
      .description(`run the ${lifecycle === 'build' ? 'validate → create → build → verify phases' : lifecycle === 'destroy' ? 'truncate and destroy phases' : lifecycle === 'create' ? 'validate and create phases' : `${lifecycle} phase`} of targets`)
      .argument('<targets...>', 'target names')
      .option('--force', 'rebuild even clean targets')
      .option('--keep-going', 'after a failure, keep running what does not depend on it')
      .option('--dry-run', 'print the plan and run nothing')
      .option('--json', 'print the result as JSON')
      .option('--no-progress', 'do not show progress');
    projectOptions(command)
      .addHelpText('after', `\nExamples:\n  $ weft target ${lifecycle} -f examples/weather stations\n  $ weft target ${lifecycle} -f examples/weather stations -D year=2013`)
      .action(async (names: string[], flags: JobFlags) => {
        io.exitCode = await runJobCommand({ lifecycle, job: `targets ${names.join(' ')}`, args: [], targets: names, flags }, io);
      });
  }
}
