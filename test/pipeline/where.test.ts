import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStream, ParallelExecutor, Pipeline, TimeoutError, type NodeEvent } from '../../src/index.js';
import { fail, spin } from '../fixtures/pipeline/steps.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'weft-where-'));

describe('failed and timed-out steps report where they ran', () => {
  it('a failed step has its backend and slot, in the result and in node.failed', async () => {
    const events = new EventStream();
    const failed: NodeEvent[] = [];
    events.on('node.failed', (e) => failed.push(e));
    const p = new Pipeline('where_failed');
    p.addStep(fail, { name: 'bad', params: { message: 'nope' } });
    const executor = new ParallelExecutor({ maxWorkers: 1, backend: 'async' });
    const result = await p.run({ executor, cacheDir, events });
    await executor.close();
    expect(result.step('bad')).toMatchObject({ status: 'failed', backend: 'async', slot: 0 });
    expect(failed[0]).toMatchObject({ backend: 'async', slot: 0 });
  });

  it('a timed-out thread step has its backend and slot', async () => {
    const p = new Pipeline('where_timeout');
    p.addStep(spin, { name: 'spin', timeoutMs: 200 });
    const executor = new ParallelExecutor({ maxWorkers: 1, backend: 'thread' });
    const result = await p.run({ executor, cacheDir });
    await executor.close();
    expect(result.step('spin').error).toBeInstanceOf(TimeoutError);
    expect(result.step('spin')).toMatchObject({ status: 'failed', backend: 'thread', slot: 0 });
  });
});
