import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecutionEnvironment } from '../../../src/dataflow/index.js';
import { CancelledError, deserializeError, serializeError } from '../../../src/errors.js';
import { valueBatch } from '../../../src/dataflow/batch/batch.js';
import type { Batch } from '../../../src/dataflow/batch/batch.js';
import { SinkError, writePart } from '../../../src/dataflow/sinks/index.js';
import { names, tempDir } from './helpers.js';

describe('sink errors', () => {
  it('keep their class, code and path across a worker boundary', async () => {
    const dir = await tempDir();
    const error = await writePart(dir, 0, 'csv', [valueBatch([1]), valueBatch([{ a: 1 }])], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    const back = deserializeError(structuredClone(serializeError(error)));
    expect(back).toBeInstanceOf(SinkError);
    expect(back).toMatchObject({ code: 'WEFT_SINK_SHAPE', path: (error as SinkError).path, message: (error as SinkError).message });
  });

  it('a cancelled write stops between batches with CancelledError and leaves no part file', async () => {
    const dir = await tempDir();
    const controller = new AbortController();
    let produced = 0;
    function* batches(): Generator<Batch> {
      for (;;) {
        produced++;
        if (produced === 3) controller.abort();
        yield valueBatch([{ n: produced }]);
      }
    }
    await expect(writePart(dir, 0, 'parquet', batches(), {}, controller.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(produced).toBe(3);
    expect(await names(dir)).toEqual([]);
  });
});

describe('parts of one output with different columns', () => {
  it('are not committed: the job fails naming both parts, and the previous output stays', async () => {
    const env = ExecutionEnvironment.create({ parallelism: 2, backend: 'async' });
    try {
      const out = join(await tempDir(), 'out');
      await env.fromCollection([{ k: 'p', a: 1 }]).writeCsv(out);
      const before = readFileSync(join(out, 'part-00000.csv'), 'utf8');
      // Keyed by k, the two shapes land on different partitions: each part alone is consistent.
      const mixed = env.fromCollection<Record<string, unknown>>([{ k: 'p', a: 1, b: 2 }, { k: 'q', c: 'x', a: 5 }]).keyBy('k').reduce((x) => x);
      for (const write of [() => mixed.writeCsv(out), () => mixed.writeParquet(out)]) {
        const error = await write().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SinkError);
        expect(error).toMatchObject({ code: 'WEFT_SINK_SHAPE', path: out });
        expect((error as Error).message).toMatch(/part-0000[01]\.\w+ has \[k, (c, a|a, b)\] and part-0000[01]\.\w+ has \[k, (a, b|c, a)\]; nothing was committed/);
      }
      expect(readdirSync(out).sort()).toEqual(['_SUCCESS', 'part-00000.csv', 'part-00001.csv']);
      expect(readFileSync(join(out, 'part-00000.csv'), 'utf8')).toBe(before);
      // NDJSON takes any objects.
      expect(await mixed.writeJson(out)).toBe(2);
    } finally {
      await env.close();
    }
  });
});
