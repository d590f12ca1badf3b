/**
 * Field names checked before a job runs: a key, an aggregated field, a join key or a sort key that
 * names a field the rows do not have is an error naming the operator, the field, where the rows
 * come from, the fields they do have and the closest one — not a silent `undefined` that groups
 * every row under one key, sums to 0 or joins nothing.
 *
 * Field names are known where weft can know them for sure: file sources with a schema (CSV header
 * or `c0, c1, …`, NDJSON sample — its reader keeps only those fields —, Parquet footer),
 * collections of plain objects (the union of their keys: a field some records lack is optional, not wrong), and what follows from them through the
 * operators that keep the record shape (filter, distinct, sort, repartition, reduce, a Flink-style
 * keyed `sum`), `groupBy().agg()` rows and joins that merge objects. After a user function (`map`,
 * `flatMap`) or a source of arbitrary values nothing is known and nothing is checked. Tuple indexes
 * are not checked.
 */
import { UsageError } from '../../errors.js';
import { closest, didYouMean } from '../../config/suggest.js';
import { formatPosition } from './call-site.js';
import { describeNode, inputsOf, type KeySelector, type LogicalNode } from './logical.js';

/** The fields every row of a dataset has, or `undefined` when they are not known. */
export type KnownFields = ReadonlySet<string> | undefined;

export type SourceNode = Extract<LogicalNode, { op: 'source' }>;

/**
 * Walks the plan of `root` from its sources and throws at the first operator that names a field
 * its input rows do not have.
 * @param fileFields - the field names of a file source (from its schema), `undefined` when unknown.
 * @throws UsageError naming the operator, the field, the rows' origin and the fields they have.
 */
export function checkFields(root: LogicalNode, fileFields: (source: SourceNode) => readonly string[] | undefined): void {
  const memo = new Map<number, KnownFields>();
  const fieldsOf = (node: LogicalNode): KnownFields => {
    if (memo.has(node.id)) return memo.get(node.id);
    const fields = derive(node, fieldsOf, fileFields);
    memo.set(node.id, fields);
    return fields;
  };
  fieldsOf(root);
}

function derive(node: LogicalNode, fieldsOf: (node: LogicalNode) => KnownFields, fileFields: (source: SourceNode) => readonly string[] | undefined): KnownFields {
  switch (node.op) {
    case 'source': {
      const names = node.source.kind === 'files' ? fileFields(node) : node.source.kind === 'collection' ? objectKeys(node.source.values) : undefined;
      // No fields at all (an empty collection, a file without columns) contradicts nothing.
      return names === undefined || names.length === 0 ? undefined : new Set(names);
    }
    case 'map':
    case 'flatMap':
      return undefined;
    case 'filter':
    case 'distinct':
    case 'repartition':
    case 'rebalance':
      return fieldsOf(node.input);
    case 'sort':
    case 'reduce': {
      const input = fieldsOf(node.input);
      requireKey(node, node.key, node.input, input);
      return input;
    }
    case 'aggregate': {
      const input = fieldsOf(node.input);
      requireKey(node, node.key, node.input, input);
      for (const agg of node.aggs) {
        if (agg.kind !== 'count' && typeof agg.field === 'string') require(node, agg.field, `${agg.kind}('${agg.field}')`, node.input, input);
      }
      if (node.style === 'record') return input;
      if (node.style === 'pair') return undefined;
      const keyName = node.key.kind === 'field' && typeof node.key.field === 'string' ? node.key.field : 'key';
      return new Set([keyName, ...node.aggs.map((a) => a.as)]);
    }
    case 'join': {
      const left = fieldsOf(node.left);
      const right = fieldsOf(node.right);
      requireKey(node, node.leftKey, node.left, left);
      requireKey(node, node.rightKey, node.right, right);
      const merges = node.leftKey.kind === 'field' && node.rightKey.kind === 'field' && typeof node.leftKey.field === 'string' && node.leftKey.field === node.rightKey.field;
      return merges && left !== undefined && right !== undefined ? new Set([...left, ...right]) : undefined;
    }
    case 'union': {
      const all = inputsOf(node).map(fieldsOf);
      return all.some((f) => f === undefined) ? undefined : new Set(all.flatMap((f) => [...f!]));
    }
  }
}

/** The keys of the records when all are plain objects, else `undefined` (a field some records lack is still a field). */
function objectKeys(values: readonly unknown[]): string[] | undefined {
  const names = new Set<string>();
  for (const value of values) {
    if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
    for (const name in value) names.add(name);
  }
  return [...names];
}

function requireKey(node: LogicalNode, key: KeySelector, input: LogicalNode, fields: KnownFields): void {
  if (key.kind === 'field' && typeof key.field === 'string') require(node, key.field, `key '${key.field}'`, input, fields);
}

function require(node: LogicalNode, field: string, what: string, input: LogicalNode, fields: KnownFields): void {
  if (fields === undefined || fields.has(field)) return;
  const names = [...fields];
  const at = node.site?.call === undefined ? '' : ` (at ${formatPosition(node.site.call)})`;
  throw new UsageError(
    `${describeNode(node)}${at}: ${what} names a field the rows of ${describeNode(input)} do not have. ` +
      `Expected one of ${names.map((n) => `'${n}'`).join(', ')}; got '${field}'.${didYouMean(closest(field, names), "'")}`,
    { code: 'WEFT_UNKNOWN_FIELD' },
  );
}
