import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment } from '../../../src/dataflow/index.js';
import { assignSplits, type FileSplit } from '../../../src/dataflow/sources/index.js';

const split = (path: string, start: number, end: number, index: number, format: FileSplit['format'] = 'csv'): FileSplit => ({ format, path, start, end, index, options: {} });

describe('assigning splits to tasks', () => {
  it('gives each task a contiguous run, balanced by size, with adjacent ranges of one file merged', () => {
    const splits = [split('/a', 0, 10, 0), split('/a', 10, 20, 1), split('/a', 20, 30, 2), split('/a', 30, 40, 3)];
    expect(assignSplits(splits, 2)).toEqual([[split('/a', 0, 20, 0)], [split('/a', 20, 40, 2)]]);
    expect(assignSplits(splits, 1)).toEqual([[split('/a', 0, 40, 0)]]);
    expect(assignSplits(splits, 4)).toEqual(splits.map((s) => [s]));
    expect(assignSplits(splits.slice(0, 2), 3)).toEqual([[splits[0]], [splits[1]], []]);
  });

  it('balances files of different sizes without merging across files or row groups', () => {
    const files = [split('/big', 0, 60, 0), split('/big', 60, 120, 1), split('/small', 0, 30, 2), split('/small2', 0, 30, 3)];
    expect(assignSplits(files, 2)).toEqual([[split('/big', 0, 120, 0)], [files[2], files[3]]]);
    const groups = [split('/p', 0, 100, 0, 'parquet'), split('/p', 100, 200, 1, 'parquet')];
    expect(assignSplits(groups, 1)).toEqual([groups]);
  });
});

describe('reading a file with more splits than tasks', () => {
  const env = ExecutionEnvironment.create({ backend: 'thread', slots: 2, parallelism: 2 });
  afterAll(() => env.close());

  it('collects the rows in the order of the file, and first(n) gives its first rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-assign-'));
    const path = join(dir, 'rows.csv');
    writeFileSync(path, `id,v\n${Array.from({ length: 4000 }, (_, i) => `${i},${i % 7}`).join('\n')}\n`);
    // About 8 splits of 4 KiB for 2 tasks: round-robin would interleave them.
    const rows = await env.readCsv<{ id: number }>(path, { splitSize: 4096 }).collect();
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 4000 }, (_, i) => i));
    const first = await env.readCsv<{ id: number }>(path, { splitSize: 4096 }).first(5);
    expect(first.map((r) => r.id)).toEqual([0, 1, 2, 3, 4]);
  });
});
