/**
 * The logical plan: what the user asked for, one node per transformation, before anything is
 * decided about stages, tasks or where code runs. `Dataset` builds it; the physical planner turns
 * it into jobs → stages → tasks.
 */
import type { UserFunction } from '../../runtime/index.js';
import type { IterableSource } from '../sources/iterable-source.js';
import type { CallSite } from './call-site.js';

/** A user function plus the values it was given explicitly (`{ with: { threshold } }`). */
export interface UserFn {
  fn: UserFunction;
  with?: unknown;
  /** How the function reads in `explain()`, e.g. `map(parseLine)`. */
  label: string;
  /** The `Dataset` method it was passed to, e.g. `flatMap` (for the fix in errors). */
  op?: string;
  /** Where the user called that method (for `file:line:column` in errors and stacks). */
  site?: CallSite;
}

/** Selects a key: a field name (object rows), a tuple index, or a function of the record. */
export type KeySelector = { kind: 'field'; field: string | number } | { kind: 'fn'; fn: UserFn } | { kind: 'self' };

/** One aggregation of `groupBy(...).agg(...)` or a keyed `sum/min/max/count`. */
export interface AggDef {
  kind: 'sum' | 'min' | 'max' | 'count' | 'avg' | 'first' | 'last';
  /** Field name or tuple index the aggregation reads; not used by `count`. */
  field?: string | number;
  /** Output name (`groupBy().agg({ total: sum('value') })` → `total`). */
  as: string;
}

export type JoinHow = 'inner' | 'left' | 'right' | 'full';

/** Where a source's records come from. */
export type SourceDef =
  | { kind: 'files'; format: 'text' | 'csv' | 'ndjson' | 'parquet'; paths: readonly string[]; options: Readonly<Record<string, unknown>> }
  | { kind: 'collection'; values: readonly unknown[] }
  /** Read while the job runs, in chunks, as tasks free up (see iterable-source.ts). */
  | { kind: 'iterable'; iterable: IterableSource };

/** Settings every node can carry: `setParallelism`, `setMaxParallelism`, `name`, `uid`. */
export interface NodeSettings {
  parallelism?: number;
  maxParallelism?: number;
  name?: string;
  uid?: string;
}

interface Base extends NodeSettings {
  /** Unique within the environment, in creation order. */
  readonly id: number;
  /** Where the user added the operator, for errors about its fields (keyed operators, joins, sorts). */
  site?: CallSite;
}

export type LogicalNode =
  | (Base & { op: 'source'; source: SourceDef })
  | (Base & { op: 'map' | 'flatMap' | 'filter'; input: LogicalNode; fn: UserFn })
  /** Keyed aggregation: Flink-style (`keyBy().sum(1)` keeps the record shape) or row-style (`groupBy().agg()`). */
  | (Base & { op: 'aggregate'; input: LogicalNode; key: KeySelector; aggs: readonly AggDef[]; style: 'record' | 'row' | 'pair' })
  | (Base & { op: 'reduce'; input: LogicalNode; key: KeySelector; fn: UserFn })
  | (Base & { op: 'join'; left: LogicalNode; right: LogicalNode; leftKey: KeySelector; rightKey: KeySelector; how: JoinHow })
  | (Base & { op: 'union'; inputs: readonly LogicalNode[] })
  | (Base & { op: 'distinct'; input: LogicalNode })
  | (Base & { op: 'sort'; input: LogicalNode; key: KeySelector; descending: boolean })
  | (Base & { op: 'repartition'; input: LogicalNode; partitions: number })
  | (Base & { op: 'rebalance'; input: LogicalNode });

export type LogicalOp = LogicalNode['op'];

/** A node before it gets its id (the environment numbers nodes). */
export type NewNode = LogicalNode extends infer N ? (N extends LogicalNode ? Omit<N, 'id'> : never) : never;

/** The inputs of a node, in order. */
export function inputsOf(node: LogicalNode): readonly LogicalNode[] {
  switch (node.op) {
    case 'source':
      return [];
    case 'join':
      return [node.left, node.right];
    case 'union':
      return node.inputs;
    default:
      return [node.input];
  }
}

/** How a node reads in `explain()` and errors: its name, else a description of the operation. */
export function describeNode(node: LogicalNode): string {
  if (node.name) return node.name;
  switch (node.op) {
    case 'source':
      return node.source.kind === 'files'
        ? `read${capitalise(node.source.format)}(${node.source.paths.join(', ')})`
        : node.source.kind === 'collection'
          ? `fromCollection(${node.source.values.length} items)`
          : 'fromIterable';
    case 'map':
    case 'flatMap':
    case 'filter':
    case 'reduce':
      return `${node.op}(${node.fn.label})`;
    case 'aggregate':
      return `${node.style === 'row' ? 'groupBy' : 'keyBy'}(${describeKey(node.key)}).${node.aggs.map((a) => `${a.kind}(${a.field ?? ''})`).join(', ')}`;
    case 'join':
      return `join(${describeKey(node.leftKey)}${node.leftKey === node.rightKey ? '' : ` = ${describeKey(node.rightKey)}`}, ${node.how})`;
    case 'union':
      return `union(${node.inputs.length})`;
    case 'distinct':
      return 'distinct()';
    case 'sort':
      return `sortBy(${describeKey(node.key)}${node.descending ? ', desc' : ''})`;
    case 'repartition':
      return `repartition(${node.partitions})`;
    case 'rebalance':
      return 'rebalance()';
  }
}

/** A key selector in words: `key`, `#0`, `λ`. */
export function describeKey(key: KeySelector): string {
  if (key.kind === 'fn') return key.fn.label;
  if (key.kind === 'self') return 'record';
  return typeof key.field === 'number' ? `#${key.field}` : key.field;
}

function capitalise(text: string): string {
  return text === 'ndjson' ? 'Json' : text.charAt(0).toUpperCase() + text.slice(1);
}
