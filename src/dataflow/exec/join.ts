/**
 * Hash join of one partition: both sides were hash-partitioned by key with the same key groups, so
 * every match is inside the partition. The right side is built into a hash table; the left side
 * probes it in order, so output order is deterministic.
 */
import { isValueBatch, type Batch, type Column } from '../batch/index.js';
import type { JoinHow } from '../plan/logical.js';
import { KeyCounts } from './key-counts.js';
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
  const table = new KeyCounts();
  let rightNulls = 0;
  for (const column of rightKeys) {
    const slots = slotsOf(column!, table, true);
    const counts = table.counts;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot < 0) rightNulls++;
      else counts[slot]!++;
    }
  }
  const outer = how === 'left' || how === 'full';
  const matched = how === 'right' || how === 'full' ? table.matched : undefined;
  const counts = table.counts;
  let count = 0;
  for (const column of leftKeys) {
    const slots = slotsOf(column!, table, false);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot >= 0) {
        count += counts[slot]!;
        if (matched !== undefined) matched[slot] = 1;
      } else if (outer) count++;
    }
  }
  if (matched !== undefined) {
    count += rightNulls;
    for (let slot = 0; slot < table.size; slot++) if (matched[slot] === 0) count += counts[slot]!;
  }
  return count;
}

/** A string, float64 or int32 column with its batch's row count. */
type KeyColumn = Exclude<Column, { type: 'any' | 'bool' }> & { readonly length: number };

/** A typed batch's key column, or `undefined` when it has none the count can read. */
function keyColumn(batch: Batch, field: string): KeyColumn | undefined {
  if (isValueBatch(batch)) return undefined;
  const index = batch.schema.fields.findIndex((f) => f.name === field);
  const column = index < 0 ? undefined : batch.columns[index];
  if (column === undefined || (column.type !== 'string' && column.type !== 'float64' && column.type !== 'int32')) return undefined;
  return { ...column, length: batch.length };
}

/**
 * The key slot of every row (-1 for a null key, and, without `create`, for a key the table does
 * not hold). A string column looks each dictionary entry up once.
 */
function slotsOf(column: KeyColumn, table: KeyCounts, create: boolean): Int32Array {
  const n = column.length;
  const out = new Int32Array(n);
  const validity = column.validity;
  if (column.type === 'string') {
    const byId = column.dictionary.map((text) => table.stringSlot(text, create));
    const indices = column.indices;
    for (let i = 0; i < n; i++) out[i] = validity !== undefined && (validity[i >> 3]! & (1 << (i & 7))) === 0 ? -1 : byId[indices[i]!]!;
    return out;
  }
  const values = column.values;
  for (let i = 0; i < n; i++) out[i] = validity !== undefined && (validity[i >> 3]! & (1 << (i & 7))) === 0 ? -1 : table.numberSlot(values[i]!, create);
  return out;
}
