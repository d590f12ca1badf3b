/**
 * Hash join of one partition: both sides were hash-partitioned by key with the same key groups, so
 * every match is inside the partition. The right side is built into a hash table; the left side
 * probes it in order, so output order is deterministic.
 */
import { isValueBatch, type Batch, type Column, type Validity } from '../batch/index.js';
import type { JoinHow } from '../plan/logical.js';
import { KeyCounts } from './key-counts.js';
import { countNumberJoin, numberKeys } from './number-join-count.js';
import { groupKey, type KeyFn } from './keys.js';

/** Joins two partitions. Output rows merge both objects (`mergeObjects`) or are `[left, right]` pairs. */
export function joinPartition(left: readonly unknown[], right: readonly unknown[], leftKey: KeyFn, rightKey: KeyFn, how: JoinHow, mergeObjects: boolean, name = 'join'): unknown[] {
  const table = new Map<unknown, unknown[]>();
  for (const r of right) {
    const k = rightKey(r);
    if (k === null || k === undefined) continue;
    const gk = groupKey(k, name);
    const list = table.get(gk);
    if (list) list.push(r);
    else table.set(gk, [r]);
  }
  const out: unknown[] = [];
  const matched = how === 'right' || how === 'full' ? new Set<unknown>() : undefined;
  const combine = (l: unknown, r: unknown): unknown => (mergeObjects && isObject(l) && isObject(r) ? { ...r, ...l } : [l, r]);
  for (const l of left) {
    const k = leftKey(l);
    const list = k === null || k === undefined ? undefined : table.get(groupKey(k, name));
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
 * joins generically). Keys match as in `joinPartition` (by value, nulls never): number keys are
 * counted by number-join-count.ts, string keys through a map of their rows.
 */
export function countJoinMatches(left: readonly Batch[], right: readonly Batch[], leftField: string, rightField: string, how: JoinHow): number | undefined {
  const leftKeys = left.map((b) => keyColumn(b, leftField));
  const rightKeys = right.map((b) => keyColumn(b, rightField));
  if (leftKeys.includes(undefined) || rightKeys.includes(undefined)) return undefined;
  const outer = how === 'left' || how === 'full';
  const keepUnmatched = how === 'right' || how === 'full';
  const strings = (keys: ReadonlyArray<KeyColumn | undefined>): StringKeyColumn[] => keys.filter((c): c is StringKeyColumn => c!.type === 'string');
  const numbers = (keys: ReadonlyArray<KeyColumn | undefined>): NumberKeyColumn[] => keys.filter((c): c is NumberKeyColumn => c!.type !== 'string');
  const valid = (column: NumberKeyColumn, i: number): boolean => !isNull(column.validity, i);
  let count = countNumberJoin(numberKeys(numbers(rightKeys), valid), numberKeys(numbers(leftKeys), valid), outer, keepUnmatched);
  const table = new KeyCounts();
  let rightNulls = 0;
  for (const column of strings(rightKeys)) rightNulls += build(column, table);
  for (const column of strings(leftKeys)) count += probe(column, table, outer);
  if (keepUnmatched) count += rightNulls + table.unmatched();
  return count;
}

/** A string, float64 or int32 column with its batch's row count. */
type KeyColumn = Exclude<Column, { type: 'any' | 'bool' }> & { readonly length: number };
type StringKeyColumn = Extract<KeyColumn, { type: 'string' }>;
type NumberKeyColumn = Exclude<KeyColumn, { type: 'string' | 'timestamp' }>;

/** A typed batch's key column, or `undefined` when it has none the count can read. */
function keyColumn(batch: Batch, field: string): KeyColumn | undefined {
  if (isValueBatch(batch)) return undefined;
  const index = batch.schema.fields.findIndex((f) => f.name === field);
  const column = index < 0 ? undefined : batch.columns[index];
  if (column === undefined || (column.type !== 'string' && column.type !== 'float64' && column.type !== 'int32')) return undefined;
  return { ...column, length: batch.length };
}

function isNull(validity: Validity, i: number): boolean {
  return validity !== undefined && (validity[i >> 3]! & (1 << (i & 7))) === 0;
}

/** Adds a build-side string column's keys to the table; returns its null keys (they never match). */
function build(column: StringKeyColumn, table: KeyCounts): number {
  const n = column.length;
  const validity = column.validity;
  let nulls = 0;
  const rows = new Float64Array(column.dictionary.length);
  for (let i = 0; i < n; i++) {
    if (isNull(validity, i)) nulls++;
    else rows[column.indices[i]!]!++;
  }
  column.dictionary.forEach((text, id) => rows[id]! > 0 && table.addString(text, rows[id]!));
  return nulls;
}

/** The joined rows of a probe-side string column: matches, plus one per unmatched row when `outer`. */
function probe(column: StringKeyColumn, table: KeyCounts, outer: boolean): number {
  const n = column.length;
  const validity = column.validity;
  let count = 0;
  // Each dictionary entry is probed once, and only if a valid row uses it (a null row's entry must not mark a match).
  const byId = new Float64Array(column.dictionary.length).fill(-1);
  for (let i = 0; i < n; i++) {
    let matches = 0;
    if (!isNull(validity, i)) {
      const id = column.indices[i]!;
      matches = byId[id]!;
      if (matches < 0) byId[id] = matches = table.probeString(column.dictionary[id]!);
    }
    count += matches === 0 && outer ? 1 : matches;
  }
  return count;
}
