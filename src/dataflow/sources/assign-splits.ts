/**
 * Which splits each task of a source stage reads: contiguous runs of the planned splits, balanced
 * by size, so a task reads its part of the input in order — `collect()` and `first(n)` give the
 * records in the order of the files, as Spark's file partitions do — and adjacent byte ranges of one
 * file become one range, read in one pass with one string interner (each split costs an open, a
 * first read and a fresh dictionary).
 */
import type { FileSplit } from './options.js';

/** The splits of each of `parallelism` tasks (some may get none when there are fewer splits than tasks). */
export function assignSplits(splits: readonly FileSplit[], parallelism: number): FileSplit[][] {
  const perTask: FileSplit[][] = Array.from({ length: parallelism }, () => []);
  const weight = (split: FileSplit): number => Math.max(1, split.end - split.start);
  const total = splits.reduce((sum, split) => sum + weight(split), 0);
  let task = 0;
  let before = 0;
  for (const split of splits) {
    const w = weight(split);
    // A split goes to the next task once its middle lies past this task's share of the total (one
    // task at a time: with fewer splits than tasks, the first tasks get them).
    if (task < parallelism - 1 && perTask[task]!.length > 0 && before + w / 2 > ((task + 1) * total) / parallelism) task++;
    perTask[task]!.push(split);
    before += w;
  }
  return perTask.map(mergeAdjacent);
}

/** Byte ranges of one file that follow each other, as one range (the first split's index names it). */
function mergeAdjacent(splits: readonly FileSplit[]): FileSplit[] {
  const out: FileSplit[] = [];
  for (const split of splits) {
    const last = out.at(-1);
    if (last !== undefined && isByteRange(last) && isByteRange(split) && last.path === split.path && last.end === split.start) out[out.length - 1] = { ...last, end: split.end };
    else out.push(split);
  }
  return out;
}

/** Line formats split by bytes; Parquet splits are row groups and collections hold values. */
function isByteRange(split: FileSplit): boolean {
  return split.format !== 'parquet' && split.values === undefined;
}
