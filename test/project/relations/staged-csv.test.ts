import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stageCsv } from '../../../src/project/relations/staged-csv.js';
import { closeEnvs, makeEnv } from './helpers.js';

afterAll(closeEnvs);

describe('staged CSV', () => {
  it('writes one part per task with a header each, and leaves nothing behind once disposed', async () => {
    const base = mkdtempSync(join(tmpdir(), 'weft-staged-test-'));
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: i % 2 === 0 ? `n${i}` : null }));
    const staged = await stageCsv(makeEnv().fromCollection(rows).setParallelism(3), new AbortController().signal, base);
    expect(staged.rows).toBe(1000);
    expect(staged.files).toHaveLength(3);
    const lines = staged.files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l !== ''));
    expect(lines.filter((l) => l === 'id,name')).toHaveLength(3);
    expect(lines).toContain('0,n0');
    expect(lines).toContain('1,');
    await staged.dispose();
    expect(readdirSync(base)).toEqual([]);
  });

  it('removes its folder when the dataset fails, and rejects with the failure', async () => {
    const base = mkdtempSync(join(tmpdir(), 'weft-staged-test-'));
    const failing = makeEnv()
      .fromCollection([1, 2, 3])
      .map((n: number) => {
        if (n === 2) throw new Error('bad row 2');
        return { n };
      });
    await expect(stageCsv(failing, new AbortController().signal, base)).rejects.toThrow(/bad row 2/);
    expect(readdirSync(base)).toEqual([]);
  });
});
