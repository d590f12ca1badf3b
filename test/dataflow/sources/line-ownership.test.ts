import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, tempDir } from './helpers.js';

/** Lines whose lengths vary (empty lines included) so split boundaries land everywhere. */
function lines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i % 7 === 3 && i < count - 1 ? '' : `line ${i} ${'x'.repeat(i % 13)}`));
}

describe('text and CSV splits: every line read exactly once', () => {
  const body = lines(60);
  const files = {
    'lf.txt': `${body.join('\n')}\n`,
    'crlf.txt': `${body.join('\r\n')}\r\n`,
    'no-trailing.txt': body.join('\n'),
    'empty.txt': '',
    'one.txt': 'only line',
    'rows.csv': `a,b\n${Array.from({ length: 50 }, (_, i) => `${i},v${i % 5}`).join('\n')}\n`,
    'rows-crlf.csv': `a,b\r\n${Array.from({ length: 50 }, (_, i) => `${i},v${i % 5}`).join('\r\n')}`,
  };
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir(files);
  });
  afterAll(() => tmp.cleanup());

  const splitSizes = [1, 2, 3, 7, 16, 45, 257, 1 << 20];

  for (const name of ['lf.txt', 'crlf.txt', 'no-trailing.txt']) {
    it(`text ${name}: same lines for every split size`, async () => {
      for (const splitSize of splitSizes) {
        const { rows, splits } = await readAll('text', tmp.path(name), { splitSize });
        expect(rows, `splitSize ${splitSize}`).toEqual(body);
        if (splitSize < 100) expect(splits.length).toBeGreaterThan(1);
      }
    });
  }

  it('an empty file has one empty split and no lines', async () => {
    const { rows, splits } = await readAll('text', tmp.path('empty.txt'), { splitSize: 4 });
    expect(rows).toEqual([]);
    expect(splits).toHaveLength(1);
  });

  it('a file without any newline is one line whatever the split size', async () => {
    for (const splitSize of [1, 2, 4, 100]) expect((await readAll('text', tmp.path('one.txt'), { splitSize })).rows).toEqual(['only line']);
  });

  it('several files keep their order and every line', async () => {
    const { rows } = await readAll('text', [tmp.path('no-trailing.txt'), tmp.path('one.txt'), tmp.path('empty.txt')], { splitSize: 9 });
    expect(rows).toEqual([...body, 'only line']);
  });

  it('text rows are plain strings (value batches)', async () => {
    const { rows } = await readAll('text', tmp.path('one.txt'));
    expect(typeof rows[0]).toBe('string');
  });

  for (const name of ['rows.csv', 'rows-crlf.csv']) {
    it(`CSV ${name}: same records for every split size, header read once`, async () => {
      const expected = Array.from({ length: 50 }, (_, i) => ({ a: i, b: `v${i % 5}` }));
      for (const splitSize of splitSizes) {
        const { rows } = await readAll('csv', tmp.path(name), { splitSize, batchRows: 7 });
        expect(rows, `splitSize ${splitSize}`).toEqual(expected);
      }
    });
  }

  it('minSplits cuts large data into at least that many splits, not tiny data', async () => {
    const big = await tempDir({ 'big.txt': `${'y'.repeat(99)}\n`.repeat(4000) });
    try {
      const { splits, rows } = await readAll('text', big.path('big.txt'), {}, 4);
      expect(splits.length).toBeGreaterThanOrEqual(4);
      expect(rows).toHaveLength(4000);
      expect((await readAll('text', tmp.path('lf.txt'), {}, 4)).splits).toHaveLength(1);
    } finally {
      await big.cleanup();
    }
  });
});
