/**
 * Hash join of one partition: both sides were hash-partitioned by key with the same key groups, so
 * every match is inside the partition. The right side is built into a hash table; the left side
 * probes it in order, so output order is deterministic.
 */
import { isValueBatch, type Batch } from '../batch/index.js';
import type { JoinHow } from '../plan/logical.js';
import { groupKey, type KeyFn } from './keys.js';

/** Joins two partitions. Output rows merge both objects (`mergeObjects`) or are `[left, right]` pairs. */
export function joinPartition(left: readonly unknown[], right: readonly unknown[], leftKey: KeyFn, rightKey: KeyFn, how: JoinHow, mergeObjects: boolean): unknown[] {
  const table = new Map<unknown, unknown[]>();
  for (const r of right) {
    const k = rightKey(r);
    if (k === null || k === undefined) continue;
    const gk = groupKey(k);
    const list = table.get(gk);
    if (list) list.push(r);
    else table.set(gk, [r]);
  }
  const out: unknown[] = [];
  const matched = how === 'right' || how === 'full' ? new Set<unknown>() : undefined;
  const combine = (l: unknown, r: unknown): unknown => (mergeObjects && isObject(l) && isObject(r) ? { ...r, ...l } : [l, r]);
  for (const l of left) {
    const k = leftKey(l);
    const list = k === null || k === undefined ? undefined : table.get(groupKey(k));
    if (list) {
      for (const r of list) out.push(combine(l, r));
      matched?.add(groupKey(k));
    } else if (how === 'left' || how === 'full') {
      out.push(mergeObjects && isObject(l) ? { ...l } : [l, null]);
    }
  }
  if (matched) {
    for (const r of right) {
      const k = rightKey(r);
      if (k !== null && k !== undefined && matched.has(groupKey(k))) continue;
      out.push(mergeObjects && isObject(r) ? { ...r } : [null, r]);
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The number of rows {@link joinPartition} would produce, read straight from typed key columns
 * without building a joined row — for a join followed only by `count()`. Returns `undefined` when
 * a batch is not typed or its key column is not a string, float64 or int32 column (the caller then
 * joins generically). Keys match as in `joinPartition` (by value, nulls never).
 */
export function countJoinMatches(left: readonly Batch[], right: readonly Batch[], leftField: string, rightField: string, how: JoinHow): number | undefined {
  const leftKeys = left.map((b) => keyColumn(b, leftField));
  const rightKeys = right.map((b) => keyColumn(b, rightField));
  if (leftKeys.includes(undefined) || rightKeys.includes(undefined)) return undefined;
  const table = new Map<unknown, number>();
  let rightNulls = 0;
  for (const read of rightKeys) {
    read!((k) => {
      if (k === null) rightNulls++;
      else table.set(k, (table.get(k) ?? 0) + 1);
    });
  }
  let count = 0;
  const matched = new Set<unknown>();
  for (const read of leftKeys) {
    read!((k) => {
      const n = k === null ? undefined : table.get(k);
      if (n !== undefined) {
        count += n;
        matched.add(k);
      } else if (how === 'left' || how === 'full') count++;
    });
  }
  if (how === 'right' || how === 'full') {
    count += rightNulls;
    for (const [k, n] of table) if (!matched.has(k)) count += n;
  }
  return count;
}

/** A reader of a typed batch's key column (`null` for nulls), or `undefined` when it has none. */
function keyColumn(batch: Batch, field: string): ((each: (key: unknown) => void) => void) | undefined {
  if (isValueBatch(batch)) return undefined;
  const index = batch.schema.fields.findIndex((f) => f.name === field);
  const column = index < 0 ? undefined : batch.columns[index];
  if (column === undefined || (column.type !== 'string' && column.type !== 'float64' && column.type !== 'int32')) return undefined;
  const validity = column.validity;
  const valid = (i: number): boolean => validity === undefined || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
  if (column.type === 'string') {
    return (each) => {
      for (let i = 0; i < batch.length; i++) each(valid(i) ? column.dictionary[column.indices[i]!] : null);
    };
  }
  return (each) => {
    for (let i = 0; i < batch.length; i++) each(valid(i) ? column.values[i] : null);
  };
}
