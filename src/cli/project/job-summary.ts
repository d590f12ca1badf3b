/**
 * The summary `weft job …` prints when a job ends: one line per instance with what each phase did
 * (targets built, clean, done before, failed, skipped), then each failure with its message.
 */
import type { JobRun } from '../../project/execution/run-job.js';
import type { PhaseRun, TargetStatus } from '../../project/execution/run-types.js';
import type { Phase } from '../../project/phases.js';
import { formatDuration } from '../progress.js';
import { formatTable } from '../table.js';

const WORDS: Record<TargetStatus, string> = {
  succeeded: 'ok',
  clean: 'clean',
  'done-before': 'done before',
  'would-run': 'to run',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
  'not-run': 'not run',
};

/**
 * The text of the summary.
 * @param dryRun - the run only decided what would run (`--dry-run`): no status or times, and a
 *   count of targets to run and clean at the end.
 */
export function formatJobSummary(run: JobRun, phases: readonly Phase[], header: string, dryRun = false): string {
  const rows = run.instances.map((instance) => [
    instance.key || '(no parameters)',
    ...(dryRun ? [] : [instance.status]),
    ...phases.map((phase) => phaseCell(instance.phases.find((p) => p.phase === phase))),
    ...(dryRun ? [] : [formatDuration(instance.endedAt - instance.startedAt)]),
    instance.reason ?? '',
  ]);
  const lines = [header, '', formatTable(['instance', ...(dryRun ? [] : ['status']), ...phases, ...(dryRun ? [] : ['time']), 'note'], rows).trimEnd()];
  if (dryRun) {
    const targets = run.instances.flatMap((i) => i.phases.flatMap((p) => p.targets));
    const to = targets.filter((t) => t.status === 'would-run').length;
    lines.push('', `${run.job}: ${to} target phase${to === 1 ? '' : 's'} to run, ${targets.length - to} not (clean or done before)`);
    return `${lines.join('\n')}\n`;
  }
  const failures = run.instances.flatMap((instance) => {
    const targets = instance.phases.flatMap((p) => p.targets.filter((t) => t.status === 'failed').map((t) => `  ${instance.key || run.job} ${t.phase} ${t.target}: ${indent(t.error?.message ?? 'failed')}`));
    if (targets.length === 0 && instance.error) return [`  ${instance.key || run.job}: ${indent(instance.error.message)}`];
    return targets;
  });
  if (failures.length > 0) lines.push('', 'failures:', ...failures);
  const counts = count(run);
  lines.push('', `${run.job} ${run.status} in ${formatDuration(run.endedAt - run.startedAt)}: ${counts}`);
  return `${lines.join('\n')}\n`;
}

function phaseCell(phase: PhaseRun | undefined): string {
  if (phase === undefined || phase.status === 'not-run') return '-';
  if (phase.targets.length === 0) return phase.status === 'failed' ? 'failed' : 'nothing';
  const byStatus = new Map<TargetStatus, number>();
  for (const t of phase.targets) byStatus.set(t.status, (byStatus.get(t.status) ?? 0) + 1);
  return [...byStatus].map(([status, n]) => `${n} ${WORDS[status]}`).join(', ');
}

function count(run: JobRun): string {
  const by = new Map<string, number>();
  for (const i of run.instances) by.set(i.status, (by.get(i.status) ?? 0) + 1);
  return [...by].map(([status, n]) => `${n} ${status}`).join(', ');
}

function indent(text: string): string {
  return text.split('\n').join('\n    ');
}

/** The run as JSON-safe data (errors as name and message). */
export function jobRunJson(run: JobRun): unknown {
  return JSON.parse(
    JSON.stringify(run, (_key, value: unknown) => (value instanceof Error ? { name: value.name, message: value.message, ...((value as { code?: string }).code ? { code: (value as { code?: string }).code } : {}) } : value)),
  ) as unknown;
}
