/** Shared helpers for the source tests: temp files and reading a whole source through its splits. */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rowsOf, type Batch } from '../../../src/dataflow/batch/index.js';
import { newSplitStats, planSplits, readSplit, type FileSplit, type SourceFormat, type SourceOptions, type SplitStats } from '../../../src/dataflow/sources/index.js';

/** A fresh temp directory; `files` are written into it (relative paths, parents created). */
export async function tempDir(files: Record<string, string | Uint8Array> = {}): Promise<{ dir: string; path: (name: string) => string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-sources-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return { dir, path: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Every batch of one split. */
export async function readBatches(split: FileSplit, stats: SplitStats = newSplitStats()): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const batch of readSplit(split, stats)) out.push(batch);
  return out;
}

/** Plans a source and reads every split in order: the rows, the per-split row lists and merged stats. */
export async function readAll(
  format: SourceFormat,
  paths: string | readonly string[],
  options: SourceOptions = {},
  minSplits = 1,
): Promise<{ rows: unknown[]; perSplit: unknown[][]; splits: FileSplit[]; stats: SplitStats }> {
  const { splits } = await planSplits(format, paths, options, minSplits);
  const stats = newSplitStats();
  const perSplit: unknown[][] = [];
  for (const split of splits) {
    const rows: unknown[] = [];
    for (const batch of await readBatches(split, stats)) rows.push(...rowsOf(batch));
    perSplit.push(rows);
  }
  return { rows: perSplit.flat(), perSplit, splits, stats };
}
