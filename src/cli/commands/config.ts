/** `weft config --explain` — every effective setting and where its value came from. */
import type { Command } from 'commander';
import { formatExplain, resolveConfig } from '../../config/index.js';
import { collectConf, configFromFlags, type CommonFlags } from '../flags.js';
import type { CommandIO } from '../io.js';
import { projectConfig } from '../project/config-command.js';

export function registerConfig(program: Command, io: CommandIO): void {
  program
    .command('config')
    .description('show settings and where each value comes from')
    .option('--explain', 'list every setting with its value and source (the default)')
    .option('-j, --jobs <n>', 'as for `weft run`')
    .option('-b, --backend <backend>', 'as for `weft run`')
    .option('-c, --conf <key=value>', 'set a setting (repeatable)', collectConf, [])
    .option('-f, --project <project>', 'include the config of this project (directory or project.yml), its profiles and a job')
    .option('--job <job>', 'with -f: include this job\'s config')
    .option('--profile <name>', 'with -f: activate a profile (repeatable)', collectConf, [])
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `
Sources, lowest to highest: built-in defaults < a project's defaults < weft.config.yaml (or $WEFT_CONFIG)
< the project's config (project.yml, modules, active profiles) < the job's config < WEFT_CONF_* variables
< --conf < code.

Examples:
  $ weft config --explain
  $ WEFT_CONF_WEFT_SCHEDULER_MODE=FAIR weft config --explain --conf weft.execution.backend=process
  $ weft config --explain -f examples/weather --job main`,
    )
    .action(async (flags: CommonFlags & { json?: boolean; project?: string; job?: string; profile: string[] }) => {
      const config = flags.project === undefined ? resolveConfig({ cwd: process.cwd(), cli: configFromFlags(flags) }) : await projectConfig(flags.project, flags.job, flags.profile, configFromFlags(flags));
      io.stdout.write(flags.json ? `${JSON.stringify(config.explain(), null, 2)}\n` : formatExplain(config));
    });
}
