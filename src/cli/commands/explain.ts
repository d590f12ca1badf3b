/**
 * `weft explain <file>` — the plan of a module without running it: for a dataflow job module, each
 * action's job → stages → tasks with every parallelism and where it came from; for a pipeline
 * module, its DAG (as `weft plan`).
 */
import type { Command } from 'commander';
import { setProcessCliConfig } from '../../config/index.js';
import { setExplainMode } from '../../dataflow/index.js';
import { cliSettingsFromFlags, collectConf, type CommonFlags } from '../flags.js';
import { loadModule } from '../load-pipeline.js';
import { ExitCode, type CommandIO } from '../io.js';
import { describePlan } from './plan.js';

export function registerExplain(program: Command, io: CommandIO): void {
  program
    .command('explain')
    .description('print the plan of a dataflow job module (jobs → stages → tasks, parallelism and its source) or a pipeline, running nothing')
    .argument('<file>', 'a .ts or .js module')
    .option('-p, --parallelism <n>', 'default parallelism of dataflow operators, as for `weft run`')
    .option('-c, --conf <key=value>', 'set a setting (repeatable)', collectConf, [])
    .addHelpText(
      'after',
      `
Examples:
  $ weft explain examples/wordcount.ts
  $ weft explain examples/wordcount.ts -p 4      # operators without their own setting take 4 (CLI level)`,
    )
    .action(async (file: string, flags: CommonFlags) => {
      setProcessCliConfig(cliSettingsFromFlags(flags));
      const loaded = await loadModule(file, 'explain');
      if (loaded.kind === 'pipeline') {
        io.stdout.write(describePlan(loaded.pipeline, undefined));
        return;
      }
      setExplainMode((text) => io.stdout.write(text));
      try {
        await loaded.main();
      } finally {
        setExplainMode(undefined);
      }
      io.exitCode = ExitCode.Ok;
    });
}
