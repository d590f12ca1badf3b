import { describe, expect, it } from 'vitest';
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
