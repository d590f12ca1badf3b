/**
 * The plan of a job as text, for `weft plan -f <project> <job>` and `weft job … --dry-run`: its
 * instances, the settings that decide how it runs (each with where its value came from), and the
 * target DAG of every phase — levels, why each target waits for another, width, critical path and,
 * with durations of earlier runs, the predicted wall time for each target parallelism from 1 to the
 * width — once per distinct graph among the instances, naming the instances that share it.
 */
import { formatSource, formatValue, type SettingKey } from '../../config/index.js';
import { criticalPath, dagWidth, predictWallTime } from '../../graph/index.js';
import type { JobPlan } from '../../project/execution/execute-job.js';
import { phaseDag, targetEdges } from '../../project/execution/target-graph.js';
import type { ProjectSession } from '../../project/session.js';
import { formatDuration } from '../progress.js';
import { formatTable } from '../table.js';

const SETTINGS: readonly SettingKey[] = [
  'weft.execution.executor.class',
  'weft.execution.executor.parallelism',
  'weft.execution.scheduler.class',
  'weft.execution.mapping.parallelism',
  'weft.execution.job.parallelism',
  'weft.execution.backend',
  'weft.store.url',
];

/** Options of {@link describeJobPlan}. */
export interface PlanTextOptions {
  /** Where `-j` came from when given on the command line. */
  readonly jobsFrom?: string;
  /** Mean duration of each `phase/target` in earlier runs, in ms. */
  readonly durations?: ReadonlyMap<string, number>;
}

/** The plan as text. */
export function describeJobPlan(session: ProjectSession, plan: JobPlan, options: PlanTextOptions = {}): string {
  const config = session.config(plan.job);
  const keys = plan.instances.map((i) => i.key || '(no parameters)');
  const shown = keys.length <= 6 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')}, …, ${keys.slice(-2).join(', ')}`;
  const lines = [`job ${plan.job.name} of project ${session.project.name}: ${plan.instances.length} instance${plan.instances.length === 1 ? '' : 's'} (${shown}); phases ${plan.phases.join(' → ')}`, '', 'settings:'];
  const rows = SETTINGS.map((key) => {
    const from = key === 'weft.execution.job.parallelism' && options.jobsFrom ? options.jobsFrom : formatSource(config.source(key));
    const value = key === 'weft.execution.job.parallelism' ? plan.jobs : config.get(key);
    return [key, formatValue(value), from];
  });
  lines.push(...formatTable(['key', 'value', 'from'], rows).trimEnd().split('\n').map((line) => `  ${line}`));
  lines.push(...describeInstances(session, plan, options));
  return `${lines.join('\n')}\n`;
}

/** Target graphs shown in full; instances with yet other graphs are only counted. */
const MAX_GRAPHS = 4;

/**
 * The target DAGs of the instances: one in full per distinct graph (the same targets, levels and
 * dependencies; parameters may differ), naming the instances that share it. Only each graph's
 * first instance is described; the others are only compared.
 */
function describeInstances(session: ProjectSession, plan: JobPlan, options: PlanTextOptions): string[] {
  const groups = new Map<string, { graphs: InstanceGraphs; keys: string[] }>();
  let unshown = 0;
  for (const instance of plan.instances) {
    const graphs = instanceGraphs(session, plan, instance);
    const signature = graphSignature(graphs);
    const group = groups.get(signature);
    if (group !== undefined) group.keys.push(instance.key);
    else if (groups.size < MAX_GRAPHS) groups.set(signature, { graphs, keys: [instance.key] });
    else unshown++;
  }
  const out: string[] = [];
  for (const { graphs, keys } of groups.values()) {
    const [first, ...others] = keys;
    const shared = others.length === 0 ? '' : ` — the same target graph for ${others.length <= 6 ? others.join(', ') : `${others.length} other instances (${others.slice(0, 3).join(', ')}, …)`}`;
    const how = `${plan.executor} executor${plan.executor === 'parallel' ? `, ${plan.parallelism} at once` : ''}, ${plan.scheduler} order`;
    out.push('', `targets of ${first || plan.job.name} (${how})${shared}:`, ...describeGraphs(graphs, options));
  }
  if (unshown > 0) out.push('', `… and ${unshown} more instance${unshown === 1 ? '' : 's'} with other target graphs: give one instance's parameters to see its graph.`);
  return out;
}

/** One instance's target DAG of each phase, and how to find the edges that explain it (none for an empty phase). */
type InstanceGraphs = Array<{ phase: string; dag: ReturnType<typeof phaseDag>; edges: (() => ReturnType<typeof targetEdges>) | undefined }>;

function instanceGraphs(session: ProjectSession, plan: JobPlan, instance: JobPlan['instances'][number]): InstanceGraphs {
  const context = session.context({ job: plan.job, instance, signal: new AbortController().signal });
  const targets = plan.job.targets.map((t) => context.target(t.name));
  const all = new Set(targets.map((t) => t.name));
  return plan.phases.map((phase) => {
    const dag = phaseDag(phase, targets, all, context, plan.scheduler);
    return { phase, dag, edges: dag.nodes.length === 0 ? undefined : () => targetEdges(phase, targets, context, plan.scheduler) };
  });
}

/** What makes two instances' graphs the same: per phase, the levels and each target's dependencies. */
function graphSignature(graphs: InstanceGraphs): string {
  return graphs.map(({ phase, dag }) => `${phase}:${dag.levels().map((level) => level.map((name) => `${name}<${dag.get(name).deps.join(',')}`).join(';')).join('|')}`).join('\n');
}

/** The targets of each phase as text: levels with why each target waits, width, critical path, predictions. */
function describeGraphs(graphs: InstanceGraphs, options: PlanTextOptions): string[] {
  const lines: string[] = [];
  for (const { phase, dag, edges: findEdges } of graphs) {
    if (findEdges === undefined) {
      lines.push(`  ${phase}: nothing to do`);
      continue;
    }
    const edges = findEdges();
    const width = dagWidth(dag);
    const levels = dag.levels();
    lines.push(`  ${phase}: ${dag.nodes.length} target${dag.nodes.length === 1 ? '' : 's'} in ${levels.length} level${levels.length === 1 ? '' : 's'}, width ${width}`);
    levels.forEach((level, i) => {
      const waits = level.map((name) => {
        const deps = dag.get(name).deps;
        if (deps.length === 0) return name;
        const why = deps.map((d) => `${d}${reason(edges, d, name, phase)}`).join(', ');
        return `${name} ← ${why}`;
      });
      lines.push(`    level ${i + 1}: ${waits.join('; ')}`);
    });
    const known = options.durations;
    const duration = (id: string): number => Math.max(1, known?.get(`${phase}/${id}`) ?? 1);
    const path = criticalPath(dag, duration);
    lines.push(`    critical path${known ? ` (${formatDuration(path.lengthMs)})` : ''}: ${path.path.join(' → ')}`);
    if (known && [...known.keys()].some((k) => k.startsWith(`${phase}/`)) && width > 1) {
      const predictions = Array.from({ length: width }, (_, i) => `${i + 1}: ${formatDuration(predictWallTime(dag, duration, i + 1))}`);
      lines.push(`    predicted wall time per target parallelism (from earlier runs): ${predictions.join(', ')}`);
    }
  }
  return lines;
}

function reason(edges: ReturnType<typeof targetEdges>, from: string, to: string, phase: string): string {
  const teardown = phase === 'truncate' || phase === 'destroy';
  const edge = edges.find((e) => (teardown ? e.from === to && e.to === from : e.from === from && e.to === to));
  return edge ? ` (${teardown ? 'reads it: ' : ''}${edge.reason})` : ' (through targets that do nothing in this phase)';
}
