/**
 * `weft mapping list|describe|show` — look at a project's mappings: their kinds and inputs, the
 * schema a mapping produces (planning it, which checks every expression), and its first rows.
 * Variables come from the environments, profiles, `-D`, and with `--job` a job's environment and
 * parameters (`--job main year=2013`).
 */
import type { Command } from 'commander';
import { isMap, isScalar } from 'yaml';
import { UsageError } from '../../errors.js';
import { expandInstances } from '../../project/jobs/instances.js';
import { readJob } from '../../project/jobs/job.js';
import { closePgPools } from '../../project/relations/pg-pools.js';
import type { ProjectSession } from '../../project/session.js';
import { formatRows } from '../../project/targets/format-rows.js';
import { formatTable } from '../table.js';
import type { CommandIO } from '../io.js';
import { openSession, projectOptions, type ProjectFlags } from './project-flags.js';

interface MappingFlags extends ProjectFlags {
  job?: string;
  limit?: string;
}

/** Adds `weft mapping` and its subcommands to `program`. */
export function registerMapping(program: Command, io: CommandIO): void {
  const mapping = program.command('mapping').description('list, describe and preview the mappings of a project');
  projectOptions(mapping.command('list').description('list the mappings with their kinds')).action(async (flags: ProjectFlags) => {
    await withSession(flags, io, (session) => {
      const rows = [...session.project.mappings.values()].map((m) => {
        const kind = isMap(m.node) ? m.node.get('kind', true) : undefined;
        return [m.name, isScalar(kind) ? String(kind.value) : '?', `${m.location.file}:${m.location.line}`];
      });
      io.stdout.write(formatTable(['mapping', 'kind', 'defined at'], rows));
      return Promise.resolve();
    });
  });
  projectOptions(
    mapping
      .command('describe')
      .description("plan a mapping and print the columns it produces (checks its expressions and inputs)")
      .argument('<mapping>')
      .argument('[args...]', 'job arguments with --job, e.g. year=2013')
      .option('--job <job>', 'use the environment and parameters of this job'),
  ).action(async (name: string, args: string[], flags: MappingFlags) => {
    await withSession(flags, io, async (session) => {
      const output = await contextFor(session, flags, args).mapping(name);
      io.stdout.write(formatTable(['column', 'type', 'nullable'], output.schema.fields.map((f) => [f.name, f.type, f.nullable === false ? 'no' : 'yes'])));
    });
  });
  projectOptions(
    mapping
      .command('show')
      .description('print the first rows of a mapping')
      .argument('<mapping>')
      .argument('[args...]', 'job arguments with --job, e.g. year=2013')
      .option('-n, --limit <n>', 'rows to show', '20')
      .option('--job <job>', 'use the environment and parameters of this job'),
  )
    .addHelpText('after', '\nExamples:\n  $ weft mapping show -f examples/weather measurements_extracted -n 20 -D year=2013\n  $ weft mapping show -f examples/weather aggregates --job main year=2013')
    .action(async (name: string, args: string[], flags: MappingFlags) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`-n: expected a number of rows from 1 and up, got ${JSON.stringify(flags.limit)}`);
      await withSession(flags, io, async (session) => {
        const output = await contextFor(session, flags, args).mapping(name);
        io.stdout.write(`${formatRows(output.schema.fields.map((f) => f.name), await output.dataset.first(limit))}\n`);
      });
    });
}

function contextFor(session: ProjectSession, flags: MappingFlags, args: readonly string[]) {
  const signal = new AbortController().signal;
  if (flags.job === undefined) {
    if (args.length > 0) throw new UsageError(`job arguments (${args.join(' ')}) need --job <job>; without a job, set variables with -D name=value`);
    return session.context({ signal });
  }
  const job = readJob(session.project, flags.job);
  const instances = expandInstances(job.name, job.parameters, args);
  if (instances.length !== 1) throw new UsageError(`expected arguments that give one instance of job ${job.name}, got ${instances.length}`);
  return session.context({ job, instance: instances[0]!, signal });
}

async function withSession(flags: ProjectFlags, io: CommandIO, fn: (session: ProjectSession) => Promise<void>): Promise<void> {
  const session = await openSession(flags, io);
  try {
    await fn(session);
  } finally {
    await session.close();
    await closePgPools();
  }
}
