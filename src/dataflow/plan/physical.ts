/**
 * Logical plan → physical plan: stages of chained operators, one task per partition.
 *
 * Chaining follows Flink: an operator joins its input's task when the edge is forward, the
 * parallelism is equal and it has one input. Stages are cut where Spark cuts them: keyBy/groupBy
 * aggregations, reduce, distinct and join (hash exchange by key group), sort (range exchange),
 * repartition, rebalance, union and any change of parallelism (round-robin exchange). Aggregations
 * run in two phases across the cut: a partial one (combiner) before it, the final one after.
 */
import type { ResolvedConfig } from '../../config/index.js';
import type { AggDef, JoinHow, KeySelector, LogicalNode, UserFn } from './logical.js';
import { describeNode, inputsOf } from './logical.js';
import { UsageError } from '../../errors.js';
import { resolveParallelism, type EnvironmentParallelism, type ResolvedParallelism } from './parallelism.js';

/** An operator of a stage's chain, before its functions are turned into worker references. */
export type PlannedOp =
  | { op: 'map' | 'flatMap' | 'filter'; fn: UserFn; node: LogicalNode }
  | { op: 'aggregate'; phase: 'partial' | 'final'; key: KeySelector; aggs: readonly AggDef[]; style: 'record' | 'row' | 'pair'; keyName: string; node: LogicalNode }
  | { op: 'reduce'; phase: 'partial' | 'final'; key: KeySelector; fn: UserFn; node: LogicalNode }
  | { op: 'distinct'; phase: 'partial' | 'final'; node: LogicalNode }
  | { op: 'sort'; key: KeySelector; descending: boolean; node: LogicalNode };

/** The key of a partial entry (`[key, …]`): what the exchange after a partial phase hashes by. */
export const ENTRY_KEY: KeySelector = { kind: 'field', field: 0 };
/** A record as its own key (distinct). */
export const SELF_KEY: KeySelector = { kind: 'self' };

export type StageInput =
  | { kind: 'source'; node: Extract<LogicalNode, { op: 'source' }> }
  | { kind: 'exchange'; from: readonly Stage[] }
  | { kind: 'join'; left: Stage; right: Stage; leftKey: KeySelector; rightKey: KeySelector; how: JoinHow; node: LogicalNode };

export type StageOutput =
  /** `name`: the operator the exchange feeds (for errors about its keys). */
  | { kind: 'hash'; key: KeySelector; parallelism: number; maxParallelism: number; name?: string }
  | { kind: 'range'; key: KeySelector; descending: boolean; parallelism: number }
  | { kind: 'roundRobin'; parallelism: number }
  | { kind: 'result' };

/** One stage: `parallelism` tasks running the same chain over different partitions. */
export interface Stage {
  id: number;
  parallelism: number;
  maxParallelism: number;
  input: StageInput;
  ops: PlannedOp[];
  output: StageOutput;
  /** Logical nodes this stage runs, in order (the source or exchange consumer first). */
  nodes: LogicalNode[];
}

/** A job's stages in an order where every stage comes after the stages it reads. */
export interface PhysicalPlan {
  /** The node the job computes. */
  root: LogicalNode;
  stages: Stage[];
  final: Stage;
  resolved: ReadonlyMap<number, ResolvedParallelism>;
}

/** Plans the job that computes `root`. */
export function planPhysical(root: LogicalNode, env: EnvironmentParallelism, config: ResolvedConfig): PhysicalPlan {
  checkUniqueUids(root);
  const resolved = new Map<number, ResolvedParallelism>();
  const stages: Stage[] = [];
  const res = (node: LogicalNode): ResolvedParallelism => {
    let r = resolved.get(node.id);
    if (!r) resolved.set(node.id, (r = resolveParallelism(node, env, config)));
    return r;
  };
  const newStage = (node: LogicalNode, input: StageInput): Stage => {
    const r = res(node);
    const stage: Stage = { id: -1, parallelism: r.parallelism, maxParallelism: r.maxParallelism, input, ops: [], output: { kind: 'result' }, nodes: [node] };
    return stage;
  };
  const seal = (stage: Stage): void => {
    stage.id = stages.length;
    stages.push(stage);
  };
  /** A new stage reading `from` through an exchange cut for `node`. */
  const cut = (from: Stage[], node: LogicalNode, output: (r: ResolvedParallelism) => StageOutput): Stage => {
    const r = res(node);
    for (const s of from) {
      s.output = output(r);
      seal(s);
    }
    return newStage(node, { kind: 'exchange', from });
  };

  const build = (node: LogicalNode): Stage => {
    switch (node.op) {
      case 'source':
        return newStage(node, { kind: 'source', node });
      case 'map':
      case 'flatMap':
      case 'filter': {
        let stage = build(node.input);
        const r = res(node);
        if (stage.parallelism !== r.parallelism) stage = cut([stage], node, (x) => ({ kind: 'roundRobin', parallelism: x.parallelism }));
        else stage.nodes.push(node);
        stage.ops.push({ op: node.op, fn: node.fn, node });
        return stage;
      }
      case 'aggregate': {
        const upstream = build(node.input);
        const style = node.style;
        // Rows name the key after its field; a function or tuple-index key is called `key`.
        const keyName = node.key.kind === 'field' && typeof node.key.field === 'string' ? node.key.field : 'key';
        upstream.ops.push({ op: 'aggregate', phase: 'partial', key: node.key, aggs: node.aggs, style, keyName, node });
        const stage = cut([upstream], node, (r) => ({ kind: 'hash', key: ENTRY_KEY, parallelism: r.parallelism, maxParallelism: r.maxParallelism, name: describeNode(node) }));
        stage.ops.push({ op: 'aggregate', phase: 'final', key: ENTRY_KEY, aggs: node.aggs, style, keyName, node });
        return stage;
      }
      case 'reduce': {
        const upstream = build(node.input);
        upstream.ops.push({ op: 'reduce', phase: 'partial', key: node.key, fn: node.fn, node });
        const stage = cut([upstream], node, (r) => ({ kind: 'hash', key: ENTRY_KEY, parallelism: r.parallelism, maxParallelism: r.maxParallelism, name: describeNode(node) }));
        stage.ops.push({ op: 'reduce', phase: 'final', key: ENTRY_KEY, fn: node.fn, node });
        return stage;
      }
      case 'distinct': {
        const upstream = build(node.input);
        upstream.ops.push({ op: 'distinct', phase: 'partial', node });
        const stage = cut([upstream], node, (r) => ({ kind: 'hash', key: SELF_KEY, parallelism: r.parallelism, maxParallelism: r.maxParallelism, name: describeNode(node) }));
        stage.ops.push({ op: 'distinct', phase: 'final', node });
        return stage;
      }
      case 'join': {
        const left = build(node.left);
        const right = build(node.right);
        const r = res(node);
        left.output = { kind: 'hash', key: node.leftKey, parallelism: r.parallelism, maxParallelism: r.maxParallelism, name: describeNode(node) };
        right.output = { kind: 'hash', key: node.rightKey, parallelism: r.parallelism, maxParallelism: r.maxParallelism, name: describeNode(node) };
        seal(left);
        seal(right);
        return newStage(node, { kind: 'join', left, right, leftKey: node.leftKey, rightKey: node.rightKey, how: node.how, node });
      }
      case 'sort': {
        const upstream = build(node.input);
        const stage = cut([upstream], node, (r) => ({ kind: 'range', key: node.key, descending: node.descending, parallelism: r.parallelism }));
        stage.ops.push({ op: 'sort', key: node.key, descending: node.descending, node });
        return stage;
      }
      case 'union':
        return cut(node.inputs.map(build), node, (r) => ({ kind: 'roundRobin', parallelism: r.parallelism }));
      case 'repartition':
      case 'rebalance':
        return cut([build(node.input)], node, (r) => ({ kind: 'roundRobin', parallelism: r.parallelism }));
    }
  };

  const final = build(root);
  seal(final);
  return { root, stages, final, resolved };
}

/** Every user function of a plan, for the check before any work starts. */
export function userFunctionsOf(plan: PhysicalPlan): Array<{ fn: UserFn; where: string }> {
  const out: Array<{ fn: UserFn; where: string }> = [];
  const key = (k: KeySelector, node: LogicalNode): void => {
    if (k.kind === 'fn') out.push({ fn: k.fn, where: describeNode(node) });
  };
  for (const stage of plan.stages) {
    for (const op of stage.ops) {
      if ('fn' in op) out.push({ fn: op.fn, where: describeNode(op.node) });
      if ('key' in op) key(op.key, op.node);
    }
    if (stage.input.kind === 'join') {
      key(stage.input.leftKey, stage.input.node);
      key(stage.input.rightKey, stage.input.node);
    }
    if (stage.output.kind === 'range') key(stage.output.key, stage.nodes[stage.nodes.length - 1]!);
  }
  return out;
}

/** Flink's rule: the uids of one job's operators are unique. */
function checkUniqueUids(root: LogicalNode): void {
  const byUid = new Map<string, LogicalNode>();
  const seen = new Set<number>();
  const visit = (node: LogicalNode): void => {
    if (seen.has(node.id)) return;
    seen.add(node.id);
    for (const input of inputsOf(node)) visit(input);
    if (node.uid === undefined) return;
    const other = byUid.get(node.uid);
    if (other !== undefined) {
      throw new UsageError(
        `operators ${describeNode(other)} and ${describeNode(node)} both have uid ${JSON.stringify(node.uid)}; the uids of one job's operators must be unique. Give each operator its own uid.`,
      );
    }
    byUid.set(node.uid, node);
  };
  visit(root);
}
