/**
 * The order of a job's targets in one phase, as a DAG: target B waits for target A when B requires
 * a resource A provides in that phase (a write of `year=2013` does not block a read of
 * `year=2014`; a read of the whole relation waits for every partition write), or when `before` /
 * `after` say so. Teardown phases (truncate, destroy) run in the reverse of the build order. With
 * the manual scheduler the order is exactly the job's list, whatever the executor.
 *
 * Targets that do nothing in a phase, or that `--target` left out, are not nodes of its DAG, but
 * the order through them is kept: if A → B → C and only A and C act, C still waits for A.
 */
import { CycleError, Dag, type GraphNode } from '../../graph/index.js';
import { ProjectError } from '../errors.js';
import { isTeardown, type Phase } from '../phases.js';
import { formatResource, resourceMatches } from '../resources.js';
import type { Target, TargetContext } from '../targets/target.js';

/** How targets are ordered: by their data (`dependency`) or by the job's list (`manual`). */
export type SchedulerClass = 'dependency' | 'manual';

/** Why one target waits for another, for `weft plan` and cycle errors. */
export interface Edge {
  readonly from: string;
  readonly to: string;
  /** e.g. `file:/data/out[year=2013]`, `after`, `listed order`. */
  readonly reason: string;
}

/**
 * The DAG of `phase` over `targets` (in the job's order), keeping only those in `selected` that act
 * in the phase. Node data is the target.
 * @throws ProjectError for a cycle, listing what each target on it provides and requires.
 */
export function phaseDag(phase: Phase, targets: readonly Target[], selected: ReadonlySet<string>, ctx: TargetContext, scheduler: SchedulerClass): Dag<Target> {
  const order = isTeardown(phase) ? 'build' : phase;
  const edges = scheduler === 'manual' ? listedEdges(targets) : dependencyEdges(order, targets, ctx);
  const deps = new Map<string, Set<string>>(targets.map((t) => [t.name, new Set<string>()]));
  for (const edge of edges) {
    if (isTeardown(phase)) deps.get(edge.from)?.add(edge.to);
    else deps.get(edge.to)?.add(edge.from);
  }
  checkAcyclic(order, targets, deps, ctx);
  const active = targets.filter((t) => selected.has(t.name) && t.phases.has(phase));
  const activeNames = new Set(active.map((t) => t.name));
  const list = isTeardown(phase) ? [...active].reverse() : active;
  const nodes: Array<GraphNode<Target>> = list.map((t) => ({ id: t.name, deps: nearestActive(t.name, deps, activeNames), data: t }));
  return new Dag(nodes);
}

/** Every edge between the targets, with its reason (build order for teardown phases). */
export function targetEdges(phase: Phase, targets: readonly Target[], ctx: TargetContext, scheduler: SchedulerClass): Edge[] {
  return scheduler === 'manual' ? listedEdges(targets) : dependencyEdges(isTeardown(phase) ? 'build' : phase, targets, ctx);
}

function listedEdges(targets: readonly Target[]): Edge[] {
  return targets.slice(1).map((t, i) => ({ from: targets[i]!.name, to: t.name, reason: 'listed order (manual scheduler)' }));
}

function dependencyEdges(phase: Phase, targets: readonly Target[], ctx: TargetContext): Edge[] {
  const names = new Set(targets.map((t) => t.name));
  const provided = targets.map((t) => ({ t, resources: t.provides(phase, ctx) }));
  const edges: Edge[] = [];
  for (const b of targets) {
    for (const required of b.requires(phase, ctx)) {
      for (const { t: a, resources } of provided) {
        if (a === b) continue;
        const hit = resources.find((p) => resourceMatches(required, p));
        if (hit && !edges.some((e) => e.from === a.name && e.to === b.name)) edges.push({ from: a.name, to: b.name, reason: formatResource(hit) });
      }
    }
    for (const after of b.after) if (names.has(after)) edges.push({ from: after, to: b.name, reason: 'after' });
    for (const before of b.before) if (names.has(before)) edges.push({ from: b.name, to: before, reason: 'before' });
  }
  return edges;
}

/** The active targets `name` waits for, directly or through inactive ones. */
function nearestActive(name: string, deps: ReadonlyMap<string, ReadonlySet<string>>, active: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const stack = [...(deps.get(name) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (active.has(next)) out.add(next);
    else stack.push(...(deps.get(next) ?? []));
  }
  return [...out].sort();
}

function checkAcyclic(phase: Phase, targets: readonly Target[], deps: ReadonlyMap<string, ReadonlySet<string>>, ctx: TargetContext): void {
  try {
    new Dag(targets.map((t) => ({ id: t.name, deps: [...(deps.get(t.name) ?? [])], data: undefined })));
  } catch (error) {
    if (!(error instanceof CycleError)) throw error;
    const byName = new Map(targets.map((t) => [t.name, t]));
    const lines = error.cycle.map((name) => {
      const t = byName.get(name)!;
      const provides = t.provides(phase, ctx).map(formatResource).join(', ') || 'nothing';
      const requires = t.requires(phase, ctx).map(formatResource).join(', ') || 'nothing';
      return `\n  ${name}: provides ${provides}; requires ${requires}${t.after.length > 0 ? `; after ${t.after.join(', ')}` : ''}${t.before.length > 0 ? `; before ${t.before.join(', ')}` : ''}`;
    });
    throw new ProjectError(
      `the targets depend on each other in a cycle (${[...error.cycle, error.cycle[0]].join(' → ')}) in the ${phase} phase:${lines.join('')}\nChange what one of them reads or writes, or its before/after.`,
      { location: byName.get(error.cycle[0]!)?.location, code: 'WEFT_TARGET_CYCLE', cause: error },
    );
  }
}
