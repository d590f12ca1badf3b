import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStream, ParallelExecutor, Pipeline, TimeoutError, parallelMap, type BackendKind } from '../../src/index.js';
import { mapSquares, nest, plusOneMany, square } from '../fixtures/pipeline/steps.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'weft-pmap-'));
const backends: BackendKind[] = ['async', 'thread', 'process'];

describe.each(backends)('parallelMap on the %s backend', (backend) => {
  it('returns results in input order for a self-contained lambda', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const out = await parallelMap((x: number) => x * 3, items, { backend, maxWorkers: 2 });
    expect(out).toEqual(items.map((x) => x * 3));
  });

  it('passes explicit values through ctx.with and the index through ctx.index', async () => {
    const out = await parallelMap((x: number, ctx) => x > ctx.with.threshold ? ctx.index : -1, [1, 20, 3, 40], {
      backend,
      maxWorkers: 2,
      with: { threshold: 10 },
    });
    expect(out).toEqual([-1, 1, -1, 3]);
  });

  it('names the failing item index, and settles per item when asked', async () => {
    const fn = (x: number): number => {
      if (x === 17) throw new Error(`bad item ${x}`);
      return x;
    };
    const items = Array.from({ length: 40 }, (_, i) => i);
    await expect(parallelMap(fn, items, { backend, maxWorkers: 2, chunkSize: 5 })).rejects.toThrow(/item 17 failed: bad item 17/);
    const settled = await parallelMap(fn, items, { backend, maxWorkers: 2, chunkSize: 5, settle: true });
    expect(settled[16]).toEqual({ ok: true, value: 16 });
    expect(settled[17]).toMatchObject({ ok: false });
    expect((settled[17] as { error: Error }).error.message).toBe('bad item 17');
  });

  it('finds step() functions by import', async () => {
    expect(await parallelMap(square, [1, 2, 3], { backend, maxWorkers: 2 })).toEqual([1, 4, 9]);
  });
});

describe('parallelMap', () => {
  it('rejects a lambda that captures an outer variable before any work starts, naming it', async () => {
    const threshold = 10;
    await expect(parallelMap((x: number) => x > threshold, [1, 2], { backend: 'thread' })).rejects.toThrow(/threshold.*with/s);
  });

  it('sends 100k items in a few chunks, not 100k messages', async () => {
    const events = new EventStream();
    const labels: string[] = [];
    events.on('task.started', (e) => labels.push(e.label));
    const p = new Pipeline('chunks');
    p.addStep(plusOneMany, { name: 'many', params: { n: 100_000 }, backend: 'async' });
    const result = await p.run({ executor: new ParallelExecutor({ maxWorkers: 2, backend: 'thread' }), cacheDir, events });
    expect(result.output('many')).toEqual({ length: 100_000, last: 100_000 });
    const chunks = labels.filter((l) => l.startsWith('parallelMap')).length;
    expect(chunks).toBeGreaterThanOrEqual(2);
    expect(chunks).toBeLessThanOrEqual(64);
  });

  it('consumes an async iterable with backpressure', async () => {
    let pulled = 0;
    let processed = 0;
    let maxAhead = 0;
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 200; i++) {
        await Promise.resolve();
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - processed);
        yield i;
      }
    }
    const out = await parallelMap(
      async (x: number) => {
        await new Promise((r) => setTimeout(r, 1));
        processed++;
        return x * 2;
      },
      source(),
      { backend: 'async', maxWorkers: 4, chunkSize: 1 },
    );
    expect(out).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    // Never more than the in-flight window (2 × maxWorkers) plus the item being pulled.
    expect(maxAhead).toBeLessThanOrEqual(9);
  });

  it('stops at its timeout', async () => {
    await expect(
      parallelMap(() => {
        for (;;) {
          /* spin */
        }
      }, [1, 2], { backend: 'thread', maxWorkers: 2, timeoutMs: 200 }),
    ).rejects.toBeInstanceOf(TimeoutError);
  });

  it('inside a thread step, maps on the run’s own slots', async () => {
    const p = new Pipeline('inner');
    p.addStep(mapSquares, { name: 'm', params: { n: 50 } });
    const result = await p.run({ executor: new ParallelExecutor({ maxWorkers: 2, backend: 'thread' }), cacheDir });
    expect(result.output('m')).toEqual(Array.from({ length: 50 }, (_, i) => i * i));
  });

  it.each(['async', 'thread'] as const)('nests deeper than the slots without deadlock (%s)', async (backend) => {
    const p = new Pipeline('nested');
    p.addStep(nest, { name: 'tree', params: { depth: 4, fanout: 2 } });
    const result = await p.run({ executor: new ParallelExecutor({ maxWorkers: 2, backend }), cacheDir });
    expect(result.status).toBe('succeeded');
    expect(result.output('tree')).toBe(16);
    // A deadlock would hang: the generous limit only covers thread start-up on a loaded machine.
  }, 120_000);
});
