import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { valueBatch } from '../../../src/dataflow/batch/batch.js';
import { batchFromRows } from '../../../src/dataflow/batch/builder.js';
import { writePart } from '../../../src/dataflow/sinks/index.js';
import { tempDir } from './helpers.js';

async function lines(file: string): Promise<unknown[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

describe('writePart as NDJSON', () => {
  it('writes one object per line with nulls and ISO timestamps', async () => {
    const dir = await tempDir();
    const schema = {
      fields: [
        { name: 'name', type: 'string', nullable: true },
        { name: 'n', type: 'float64', nullable: true },
        { name: 'at', type: 'timestamp', nullable: true },
      ],
    } as const;
    const batch = batchFromRows(
      [
        { name: 'line\nbreak "q"', n: 1, at: new Date(Date.UTC(2020, 5, 1)) },
        { name: null, n: null, at: null },
      ],
      schema,
    );
    const { rows, file } = await writePart(dir, 12, 'json', [batch], {});
    expect(rows).toBe(2);
    expect(basename(file)).toBe('part-00012.json');
    expect(await lines(file)).toEqual([
      { name: 'line\nbreak "q"', n: 1, at: '2020-06-01T00:00:00.000Z' },
      { name: null, n: null, at: null },
    ]);
  });

  it('writes value batches: objects as they are, arrays positionally, primitives as `value`', async () => {
    const dir = await tempDir();
    const { file } = await writePart(
      dir,
      0,
      'json',
      [valueBatch([{ a: 1, nested: { at: new Date(0) } }, { b: 'other keys are fine' }, ['x', 2], 'word', 3, null, 2n ** 70n])],
      {},
    );
    expect(await lines(file)).toEqual([
      { a: 1, nested: { at: '1970-01-01T00:00:00.000Z' } },
      { b: 'other keys are fine' },
      { _1: 'x', _2: 2 },
      { value: 'word' },
      { value: 3 },
      { value: null },
      { value: (2n ** 70n).toString() },
    ]);
  });

  it('streams many batches into one file', async () => {
    const dir = await tempDir();
    const batches = Array.from({ length: 50 }, (_, b) => valueBatch(Array.from({ length: 1000 }, (_, i) => ({ i: b * 1000 + i }))));
    const { file, rows } = await writePart(dir, 0, 'json', batches, {});
    expect(rows).toBe(50_000);
    const read = await lines(file);
    expect(read).toHaveLength(50_000);
    expect(read[49_999]).toEqual({ i: 49_999 });
  });
});
