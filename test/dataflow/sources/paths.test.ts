import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError, expandPaths, planSplits } from '../../../src/dataflow/sources/index.js';
import { tempDir } from './helpers.js';

describe('source paths', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir({
      'data/b.txt': 'b\n',
      'data/a.txt': 'a\n',
      'data/B.txt': 'B\n',
      'data/10.txt': '10\n',
      'data/2.txt': '2\n',
      'data/sub/c.txt': 'c\n',
      'data/_SUCCESS': '',
      'data/.hidden': 'h\n',
      'other/z.txt': 'z\n',
    });
  });
  afterAll(() => tmp.cleanup());

  it('expands a glob sorted by code point, the same on every run', async () => {
    const files = await expandPaths('data/*.txt', tmp.dir);
    expect(files).toEqual(['10.txt', '2.txt', 'B.txt', 'a.txt', 'b.txt'].map((f) => tmp.path(`data/${f}`)));
    expect(await expandPaths('data/*.txt', tmp.dir)).toEqual(files);
  });

  it('keeps the order of the inputs and drops duplicates', async () => {
    const files = await expandPaths(['other/z.txt', 'data/a.txt', 'data/*.txt'], tmp.dir);
    expect(files.map((f) => f.slice(tmp.dir.length + 1))).toEqual(['other/z.txt', 'data/a.txt', 'data/10.txt', 'data/2.txt', 'data/B.txt', 'data/b.txt']);
  });

  it('a directory contributes its files recursively, without hidden or _-prefixed ones', async () => {
    const files = await expandPaths(tmp.path('data'));
    expect(files.map((f) => f.slice(tmp.dir.length + 1))).toEqual(['data/10.txt', 'data/2.txt', 'data/B.txt', 'data/a.txt', 'data/b.txt', 'data/sub/c.txt']);
  });

  it('a missing file is a SourceError naming the path, its directory and what exists there', async () => {
    const error = await planSplits('text', tmp.path('data/nope.txt'), {}, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).path).toBe(tmp.path('data/nope.txt'));
    expect((error as Error).message).toContain(`${tmp.path('data')} contains: .hidden, 10.txt, 2.txt, B.txt, _SUCCESS, a.txt, b.txt, sub`);
  });

  it('a pattern matching nothing is a SourceError naming the pattern, the resolved directory and its contents', async () => {
    const error = await expandPaths('other/*.csv', tmp.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toContain('"other/*.csv"');
    expect((error as Error).message).toContain(`${tmp.path('other')} contains: z.txt`);
  });

  it('a pattern under a missing directory names the nearest existing directory', async () => {
    await expect(expandPaths('missing/deeper/*.csv', tmp.dir)).rejects.toThrow(`${tmp.path('missing/deeper')} does not exist; the nearest existing directory ${tmp.dir} contains`);
  });

  it('bad options fail before reading anything', async () => {
    await expect(planSplits('text', tmp.path('data/a.txt'), { splitSize: 0 }, 1)).rejects.toThrow('Expected `splitSize` to be an integer from 1 and up, got 0');
    await expect(planSplits('text', tmp.path('data/a.txt'), {}, 0)).rejects.toThrow('`minSplits`');
    await expect(planSplits('text', [], {}, 1)).rejects.toThrow(/at least one path/);
  });
});
