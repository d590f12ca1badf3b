/** `weft config --explain` — every effective setting and where its value came from. */
import type { Command } from 'commander';
import { formatExplain, resolveConfig } from '../../config/index.js';
import { collectConf, configFromFlags, type CommonFlags } from '../flags.js';
import type { CommandIO } from '../io.js';

export function registerConfig(program: Command, io: CommandIO): void {
  program
    .command('config')
    .description('show settings and where each value comes from')
    .option('--explain', 'list every setting with its value and source (the default)')
    .option('-j, --jobs <n>', 'as for `weft run`')
    .option('-b, --backend <backend>', 'as for `weft run`')
    .option('-c, --conf <key=value>', 'set a setting (repeatable)', collectConf, [])
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `
Sources, lowest to highest: built-in defaults < weft.config.yaml (or $WEFT_CONFIG) < WEFT_CONF_* variables < --conf < code.

Examples:
  $ weft config --explain
  $ WEFT_CONF_WEFT_SCHEDULER_MODE=FAIR weft config --explain --conf weft.execution.backend=process`,
    )
    .action((flags: CommonFlags & { json?: boolean }) => {
      const config = resolveConfig({ cwd: process.cwd(), cli: configFromFlags(flags) });
      io.stdout.write(flags.json ? `${JSON.stringify(config.explain(), null, 2)}\n` : formatExplain(config));
    });
}
