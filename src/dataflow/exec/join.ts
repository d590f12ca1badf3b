/**
 * Hash join of one partition: both sides were hash-partitioned by key with the same key groups, so
 * every match is inside the partition. The right side is built into a hash table; the left side
 * probes it in order, so output order is deterministic.
 */
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
