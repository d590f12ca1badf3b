/** `weft history` — past runs of a project's jobs from the state store, newest first. */
import type { Command } from 'commander';
import { closest, didYouMean } from '../../config/suggest.js';
import { UsageError } from '../../errors.js';
import { openStateStore, RUN_STATUSES, type BatchHistory, type ObservedStatus, type PhaseSummary } from '../../project/store/index.js';
import { formatDuration } from '../progress.js';
import { formatTable } from '../table.js';
import type { CommandIO } from '../io.js';
import { openSession, projectOptions, type ProjectFlags } from './project-flags.js';

interface HistoryFlags extends ProjectFlags {
  job?: string;
  status?: string;
  limit: string;
  instances?: boolean;
  json?: boolean;
}

/** Adds `weft history` to `program`. */
export function registerHistory(program: Command, io: CommandIO): void {
  projectOptions(
    program
      .command('history')
      .description('list past runs of the jobs of a project with their status and timings, newest first')
      .option('--job <job>', 'only this job')
      .option('--status <status>', `only runs with this status (${[...RUN_STATUSES, 'killed'].join(', ')})`)
      .option('-n, --limit <n>', 'most runs to list', '20')
      .option('--instances', 'list every instance of each run, with its phases')
      .option('--json', 'print as JSON'),
  )
    .addHelpText('after', '\nExamples:\n  $ weft history -f examples/weather\n  $ weft history -f examples/weather --job main --status failed --instances')
    .action(async (flags: HistoryFlags) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`-n: expected a number of runs from 1 and up, got ${JSON.stringify(flags.limit)}`);
      const statuses: readonly string[] = [...RUN_STATUSES, 'killed'];
      if (flags.status !== undefined && !statuses.includes(flags.status)) throw new UsageError(`--status: expected one of ${statuses.join(', ')}, got ${JSON.stringify(flags.status)}`);
      const session = await openSession(flags, io);
      const project = session.project;
      const store = await openStateStore(session.config().get('weft.store.url'), project.dir);
      try {
        const runs = await store.history({ project: project.name, limit, ...(flags.job ? { job: flags.job } : {}), ...(flags.status ? { status: flags.status as ObservedStatus } : {}) });
        // A job no longer in the project still has its history; one that never was is a typo.
        if (flags.job !== undefined && runs.length === 0 && !project.jobs.has(flags.job)) {
          const known = [...project.jobs.keys()];
          throw new UsageError(`--job: project \`${project.name}\` has no job \`${flags.job}\` and no runs of one.${didYouMean(closest(flags.job, known, 1))} Its jobs: ${known.join(', ') || 'none'}`);
        }
        io.stdout.write(flags.json ? `${JSON.stringify(runs, null, 2)}\n` : formatHistory(runs, flags.instances === true));
      } finally {
        await store.close();
        await session.close();
      }
    });
}

function formatHistory(runs: readonly BatchHistory[], instances: boolean): string {
  if (runs.length === 0) return 'no runs recorded yet\n';
  const rows = runs.map((b) => {
    const counts = new Map<string, number>();
    for (const r of b.runs) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    return [String(b.id), b.job, b.lifecycle, b.args || '-', b.status, new Date(b.startedAt).toISOString().replace('T', ' ').slice(0, 19), b.endedAt === null ? '-' : formatDuration(b.endedAt - b.startedAt), [...counts].map(([s, n]) => `${n} ${s}`).join(', ')];
  });
  let text = formatTable(['run', 'job', 'command', 'arguments', 'status', 'started (UTC)', 'time', 'instances'], rows);
  if (instances) {
    for (const b of runs) {
      text += `\nrun ${b.id}:\n`;
      const lines = b.runs.map((r) => [r.instanceKey || '-', r.status, r.phases.map(phaseText).join(', '), r.endedAt === null ? '-' : formatDuration(r.endedAt - r.startedAt), (r.error ?? '').split('\n')[0]!]);
      text += formatTable(['instance', 'status', 'phases', 'time', 'error'], lines);
    }
  }
  return text;
}

/**
 * One phase of an instance: `build succeeded`, `build clean` when the clean check skipped every
 * target (a recorded `skipped` target is always a clean one), `build succeeded (2 clean)` when mixed.
 */
function phaseText(p: PhaseSummary): string {
  if (p.status === 'skipped') return `${p.phase} clean`;
  const clean = p.targets.skipped;
  return `${p.phase} ${p.status}${clean > 0 ? ` (${clean} clean)` : ''}`;
}
