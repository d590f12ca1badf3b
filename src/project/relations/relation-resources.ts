/**
 * The resources a relation provides and requires, with partition values as canonical text, so the
 * target executor can order a read of `year=2014` after the write of `year=2014` and nothing else.
 *
 * A requirement names single values per column (a {@link Resource}'s partition is one value per
 * column), so a filter becomes one resource per combination of its values: a list of values
 * gives one per value, and a bounded range of an integer or date column is stepped through by
 * its granularity. A condition that cannot be listed (an open range, a range of strings, or more
 * than {@link MAX_REQUIRED} combinations) leaves its column out, which conservatively requires
 * every partition of that column.
 */
import type { Resource } from '../resources.js';
import { formatPartitionValue, partitionRange, partitionText } from './partitions.js';
import type { PartitionColumn, PartitionCondition, PartitionFilter, PartitionValues } from './relation.js';

/** The most resources one requirement lists before it falls back to whole columns. */
export const MAX_REQUIRED = 1000;

/** What writing `partition` (or the whole relation) provides. */
export function providedResources(kind: string, name: string, columns: readonly PartitionColumn[], partition?: PartitionValues): Resource[] {
  const text = partition === undefined ? {} : partitionText(columns, partition);
  return [Object.keys(text).length === 0 ? { kind, name } : { kind, name, partition: text }];
}

/** What reading with a typed `filter` (or the whole relation) requires. */
export function requiredResources(kind: string, name: string, columns: readonly PartitionColumn[], filter?: PartitionFilter): Resource[] {
  let combinations: Array<Record<string, string>> = [{}];
  for (const column of columns) {
    const condition = filter?.[column.name];
    const texts = condition === undefined ? undefined : listed(column, condition);
    if (texts === undefined || combinations.length * texts.length > MAX_REQUIRED) continue;
    combinations = combinations.flatMap((c) => texts.map((t) => ({ ...c, [column.name]: t })));
  }
  return combinations.map((partition) => (Object.keys(partition).length === 0 ? { kind, name } : { kind, name, partition }));
}

/** The values of a condition as text, or undefined when they cannot be listed. */
function listed(column: PartitionColumn, condition: PartitionCondition): string[] | undefined {
  if (condition.kind === 'values') return [...new Set(condition.values.map((v) => formatPartitionValue(column.type, v)))];
  const steppable = ['integer', 'long', 'date', 'timestamp'].includes(column.type);
  if (!steppable || condition.start === undefined || condition.end === undefined) return undefined;
  const out: string[] = [];
  for (const value of partitionRange(column, condition.start, condition.end)) {
    if (out.length >= MAX_REQUIRED) return undefined;
    out.push(formatPartitionValue(column.type, value));
  }
  return out;
}
