import { readFile, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserializeError, serializeError, UsageError } from '../../../src/errors.js';
import { ExecutionEnvironment } from '../../../src/dataflow/index.js';
import { MalformedRowError, newSplitStats, planSplits } from '../../../src/dataflow/sources/index.js';
import { readAll, readBatches, tempDir } from './helpers.js';

/** The sample sees the bad value too (inference would make the column a string): name its type. */
const VALUE_TYPE = { value: 'float64' } as const;

/** 200 data lines after the header (file lines 2..201); three bad rows at known file lines. */
function csvWithBadRows(): { text: string; bad: Map<number, string> } {
  const bad = new Map<number, string>([
    [150, '148,k8'],
    [170, '168,k8,notanumber'],
    [185, '183,"k8,1.5'],
  ]);
  const lines = ['id,key,value'];
  for (let line = 2; line <= 201; line++) lines.push(bad.get(line) ?? `${line - 2},k${line % 9},${line / 4}`);
  return { text: `${lines.join('\n')}\n`, bad };
}

describe('malformed CSV rows by policy', () => {
  const { text, bad } = csvWithBadRows();
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let file: string;
  beforeAll(async () => {
    tmp = await tempDir({ 'bad.csv': text, 'bad.ndjson': '{"a":1}\n{"a":2}\n{"a":\n{"a":"x"}\n{"a":5}\n' });
    file = tmp.path('bad.csv');
  });
  afterAll(() => tmp.cleanup());

  it("fail: throws MalformedRowError with the exact file:line of a row in a later split", async () => {
    const { splits } = await planSplits('csv', file, { splitSize: 512 }, 1);
    expect(splits.length).toBeGreaterThan(4);
    const owner = splits.findIndex((s) => s.start <= text.indexOf('\n148,k8\n') + 1 && text.indexOf('\n148,k8\n') + 1 < s.end);
    expect(owner).toBeGreaterThan(0);
    const error = await readBatches(splits[owner]!).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MalformedRowError);
    expect(error).toBeInstanceOf(UsageError);
    const malformed = error as MalformedRowError;
    expect(malformed.file).toBe(file);
    expect(malformed.line).toBe(150);
    expect(malformed.message).toContain(`${file}:150: malformed row: expected 3 fields (id, key, value), found 2`);
    expect(malformed.message).toMatch(/onError: 'skip'.*onError: 'quarantine'/);
  });

  it('fail: reports a value of the wrong type and an unclosed quote with their lines', async () => {
    await expect(readAll('csv', file, { splitSize: 300, schema: VALUE_TYPE })).rejects.toThrow(`${file}:150:`);
    const second = await readAll('csv', file, { splitSize: 300, onError: 'skip', schema: VALUE_TYPE });
    expect(second.stats.errors.map((e) => [e.line, e.message])).toEqual([
      [150, 'expected 3 fields (id, key, value), found 2'],
      [170, 'column "value" (field 3) expects a number (float64), found "notanumber"'],
      [185, expect.stringMatching(/quoted field is not closed at the end of the line/) as unknown],
    ]);
  });

  it('skip: counts the rows, keeps the others, and gives the same result for any split size', async () => {
    for (const splitSize of [64, 300, 1 << 20]) {
      const { rows, stats } = await readAll('csv', file, { splitSize, onError: 'skip', schema: VALUE_TYPE });
      expect(rows).toHaveLength(197);
      expect(stats).toMatchObject({ rows: 197, skipped: 3, quarantined: 0 });
      expect(stats.errors.map((e) => e.text)).toEqual([...bad.values()]);
      expect(stats.errors.every((e) => e.file === file)).toBe(true);
    }
  });

  it('quarantine: counts the rows and writes each with file:line and reason to part-<index>.txt, only where needed', async () => {
    const quarantinePath = tmp.path('quarantine');
    const { stats, splits } = await readAll('csv', file, { splitSize: 512, onError: 'quarantine', quarantinePath, schema: VALUE_TYPE });
    expect(stats).toMatchObject({ rows: 197, skipped: 0, quarantined: 3 });
    const parts = (await readdir(quarantinePath)).sort();
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(parts.length).toBeLessThan(splits.length);
    const written = (await Promise.all(parts.map((p) => readFile(`${quarantinePath}/${p}`, 'utf8')))).join('');
    for (const line of bad.keys()) expect(written).toContain(`${file}:${line}\t`);
    for (const raw of bad.values()) expect(written).toContain(`\t${raw}\n`);
    // Reading again (a retried task) rewrites the parts instead of duplicating rows.
    await readAll('csv', file, { splitSize: 512, onError: 'quarantine', quarantinePath, schema: VALUE_TYPE });
    const again = (await Promise.all(parts.map((p) => readFile(`${quarantinePath}/${p}`, 'utf8')))).join('');
    expect(again).toBe(written);
  });

  it('a job counts each malformed row once, also when sortBy reads its input twice (sampling, then sorting)', async () => {
    const env = ExecutionEnvironment.create({ parallelism: 2, backend: 'async' });
    try {
      const ds = env.readCsv(file, { splitSize: 512, onError: 'skip', schema: VALUE_TYPE });
      for (const job of [() => ds.collect(), () => ds.sortBy('id').collect(), () => ds.groupBy('key').count().collect()]) {
        await job();
        expect(env.jobs.at(-1)).toMatchObject({ rowsRead: 197, malformedSkipped: 3 });
        expect(env.jobs.at(-1)!.malformed.map((e) => e.line)).toEqual([...bad.keys()]);
      }
    } finally {
      await env.close();
    }
  });

  it('keeps only the first 20 errors in stats but counts all', async () => {
    const many = await tempDir({ 'many.csv': `a,b\n${Array.from({ length: 30 }, () => 'x').join('\n')}\n1,2\n` });
    try {
      const { stats, rows } = await readAll('csv', many.path('many.csv'), { onError: 'skip', schema: { a: 'string', b: 'float64' } });
      expect(rows).toEqual([{ a: '1', b: 2 }]);
      expect(stats.skipped).toBe(30);
      expect(stats.errors).toHaveLength(20);
      expect(stats.errors[19]!.line).toBe(21);
    } finally {
      await many.cleanup();
    }
  });

  it('NDJSON: bad JSON and wrong types are malformed rows with their lines', async () => {
    const path = tmp.path('bad.ndjson');
    await expect(readAll('ndjson', path, { schema: { a: 'float64' } })).rejects.toThrow(`${path}:3: malformed row: expected valid JSON`);
    const { rows, stats } = await readAll('ndjson', path, { onError: 'skip', schema: { a: 'float64' } });
    expect(rows).toEqual([{ a: 1 }, { a: 2 }, { a: 5 }]);
    expect(stats.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(stats.errors[1]!.message).toBe('field "a" expects float64, found string "x"');
  });

  it('survives a worker boundary with its class and fields', () => {
    const error = new MalformedRowError('/data/x.csv', 42, 'expected 3 fields, found 2');
    const back = deserializeError(structuredClone(serializeError(error)));
    expect(back).toBeInstanceOf(MalformedRowError);
    expect(back).toMatchObject({ file: '/data/x.csv', line: 42, code: 'WEFT_MALFORMED_ROW' });
    expect(newSplitStats()).toEqual({ rows: 0, skipped: 0, quarantined: 0, errors: [] });
  });
});
