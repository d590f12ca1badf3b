/**
 * The `weft` command. `main(argv)` returns the exit code instead of exiting, so tests and
 * embedders can call it; `bin/weft.js` registers the TypeScript loader and calls it.
 */
import { Command, CommanderError } from 'commander';
import { registerConfig } from './commands/config.js';
import { registerExplain } from './commands/explain.js';
import { registerPlan } from './commands/plan.js';
import { registerRun } from './commands/run.js';
import { registerHistory } from './project/history-command.js';
import { registerJob } from './project/job-command.js';
import { registerMapping } from './project/mapping-command.js';
import { registerProject } from './project/project-command.js';
import { registerTarget } from './project/target-command.js';
import { ExitCode, exitQuietlyOnBrokenPipe, isBadInput, type CommandIO } from './io.js';

/** Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIO = { stdout: process.stdout, stderr: process.stderr, exitCode: 0 }): Promise<number> {
  if (io.stdout === process.stdout || io.stderr === process.stderr) exitQuietlyOnBrokenPipe();
  const program = new Command('weft')
    .description('weft — parallel execution at every level for data and ML pipelines')
    .version(await packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(add --help for usage)');
  registerRun(program, io);
  registerPlan(program, io);
  registerConfig(program, io);
  registerExplain(program, io);
  registerProject(program, io);
  registerJob(program, io);
  registerTarget(program, io);
  registerMapping(program, io);
  registerHistory(program, io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    const usage = isBadInput(error);
    io.stderr.write(`weft: ${(error as Error).message ?? String(error)}\n`);
    if (!usage && process.env.WEFT_DEBUG) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return usage ? ExitCode.Usage : ExitCode.Failed;
  }
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
