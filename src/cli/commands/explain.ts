/**
 * `weft explain <file>` — the plan of a module without running its work: for a dataflow job module,
 * each action's job → stages → tasks with every parallelism and where it came from; for a pipeline
 * module, its DAG (as `weft plan`).
 *
 * What runs: the module is imported and a job module's `main` is called, because the actions are
 * only known by running the code that builds them; every dataset action then prints its plan and
 * returns an empty result instead of running a job. The module's own code has its usual side
 * effects (the word count example writes its input files if they are missing).
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
    .description(
      'print the plan of a dataflow job module (jobs → stages → tasks, parallelism and its source) or a pipeline; runs the module’s own code, no dataset action',
    )
    .argument('<file>', 'a .ts or .js module')
    .option('-p, --parallelism <n>', 'default parallelism of dataflow operators, as for `weft run`')
    .option('-c, --conf <key=value>', 'set a setting (repeatable)', collectConf, [])
    .addHelpText(
      'after',
      `
Examples:
  $ weft explain examples/wordcount.ts
  $ weft explain examples/wordcount.ts -p 4      # operators without their own setting take 4 (CLI level)

What runs: the module is imported and a job module's main() is called, so your own code runs
with its side effects (e.g. writing input files); each dataset action prints its plan and returns
an empty result (0 rows, no records) instead of running a job. No worker starts.`,
    )
    .action(async (file: string, flags: CommonFlags) => {
      setProcessCliConfig(cliSettingsFromFlags(flags));
      const loaded = await loadModule(file, 'explain');
      if (loaded.kind === 'pipeline') {
        io.stdout.write(describePlan(loaded.pipeline, undefined));
        return;
      }
      io.stderr.write(`weft: explain calls the main() of ${file}: its own code runs, its dataset actions print their plans instead of running\n`);
      setExplainMode((text) => io.stdout.write(text));
      try {
        await loaded.main();
      } finally {
        setExplainMode(undefined);
      }
      io.exitCode = ExitCode.Ok;
    });
}
