/** `weft project validate` — check a project without running anything; exit 2 when it has errors. */
import type { Command } from 'commander';
import { closePgPools } from '../../project/relations/pg-pools.js';
import { validateProject } from '../../project/validate-project.js';
import { ExitCode, type CommandIO } from '../io.js';
import { openSession, projectOptions, type ProjectFlags } from './project-flags.js';

/** Adds `weft project` and its subcommands to `program`. */
export function registerProject(program: Command, io: CommandIO): void {
  const project = program.command('project').description('check a project');
  projectOptions(
    project
      .command('validate')
      .description('check every file, job, target DAG and mapping (expressions against real schemas) without running anything')
      .argument('[args...]', 'job arguments with --job, e.g. year=2013')
      .option('--job <job>', 'check only this job, with these arguments'),
  )
    .addHelpText('after', '\nExamples:\n  $ weft project validate -f examples/weather\n  $ weft project validate -f examples/weather --job main year=2011\n\nExit codes: 0 no errors (warnings are printed), 2 errors.')
    .action(async (args: string[], flags: ProjectFlags & { job?: string }) => {
      const session = await openSession(flags, io);
      try {
        const report = await validateProject(session, { ...(flags.job ? { job: flags.job } : {}), args });
        for (const issue of report.issues) io.stderr.write(`${issue.severity}: ${issue.message}\n`);
        const errors = report.issues.filter((i) => i.severity === 'error').length;
        const warnings = report.issues.length - errors;
        const c = report.checked;
        io.stdout.write(
          `project ${session.project.name}: ${c.relations} relations, ${c.mappings} mappings, ${c.targets} targets, ${c.jobs} job${c.jobs === 1 ? '' : 's'} checked — ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
        );
        io.exitCode = errors > 0 ? ExitCode.Usage : ExitCode.Ok;
      } finally {
        await session.close();
        await closePgPools();
      }
    });
}
