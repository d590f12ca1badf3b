/**
 * `explain()`: the job → stages → tasks of a plan, each operator's parallelism and max parallelism
 * and where each value came from (operator, environment, `-p`, config, default).
 */
import { describeKey, describeNode, type LogicalNode } from './logical.js';
import type { PhysicalPlan, Stage } from './physical.js';

/** Renders a physical plan for people. */
export function explainPlan(plan: PhysicalPlan, action: string): string {
  const lines = [`job: ${action} — ${plan.stages.length} stage${plan.stages.length === 1 ? '' : 's'}, ${plan.stages.reduce((n, s) => n + s.parallelism, 0)} tasks`];
  for (const stage of plan.stages) {
    lines.push(`  stage ${stage.id}: ${stage.parallelism} task${stage.parallelism === 1 ? '' : 's'} ← ${describeInput(stage)}`);
    const shown = new Set<number>();
    for (const node of stage.nodes) {
      if (shown.has(node.id)) continue;
      shown.add(node.id);
      const uid = node.uid === undefined ? '' : `, uid ${JSON.stringify(node.uid)}`;
      lines.push(`    ${describeNode(node).padEnd(44)} ${describeSettings(plan, node)}${uid}`);
    }
    const phases = stage.ops.filter((op) => 'phase' in op).map((op) => `${op.op} [${(op as { phase: string }).phase}]`);
    if (phases.length > 0) lines.push(`    runs ${phases.join(', ')}`);
    lines.push(`    ⇒ ${describeOutput(stage, action)}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeInput(stage: Stage): string {
  switch (stage.input.kind) {
    case 'source':
      return stage.input.node.source.kind === 'iterable'
        ? `(async) iterable, ${stage.input.node.source.iterable.batchRows} records per task, ${stage.parallelism} at a time as slots free up`
        : 'source splits';
    case 'exchange':
      return `exchange from stage${stage.input.from.length > 1 ? 's' : ''} ${stage.input.from.map((s) => s.id).join(', ')}`;
    case 'join':
      return `hash join of stages ${stage.input.left.id} and ${stage.input.right.id}`;
  }
}

function describeOutput(stage: Stage, action: string): string {
  const out = stage.output;
  switch (out.kind) {
    case 'hash':
      return `hash exchange by ${describeKey(out.key)}: ${out.maxParallelism} key groups → ${out.parallelism} partitions`;
    case 'range':
      return `range exchange by ${describeKey(out.key)}${out.descending ? ' (descending)' : ''} → ${out.parallelism} partitions (bounds sampled)`;
    case 'roundRobin':
      return `round-robin exchange → ${out.parallelism} partitions`;
    case 'result':
      return action;
  }
}

function describeSettings(plan: PhysicalPlan, node: LogicalNode): string {
  const r = plan.resolved.get(node.id);
  if (!r) return '';
  return `parallelism ${r.parallelism} (${r.source}), max parallelism ${r.maxParallelism} (${r.maxSource === 'default' ? `default for p=${r.parallelism}` : r.maxSource})`;
}
