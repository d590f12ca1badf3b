import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ExecutionEnvironment, sum } from '../../src/dataflow/index.js';
import type { TaskRequest } from '../../src/runtime/index.js';
import { TaskScheduler } from '../../src/scheduler/index.js';

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));
afterEach(() => vi.restoreAllMocks());

const ROWS = Array.from({ length: 5000 }, (_, i) => ({ id: i, key: `k${i % 13}`, value: i % 100 }));

describe('columnar batches between threads', () => {
  it('dataflow tasks ask for their output buffers to be transferred, not copied', async () => {
    const requests: TaskRequest[] = [];
    const submit = Object.getOwnPropertyDescriptor(TaskScheduler.prototype, 'submit')!.value as TaskScheduler['submit'];
    vi.spyOn(TaskScheduler.prototype, 'submit').mockImplementation(function (this: TaskScheduler, set, request, options) {
      requests.push(request);
      return submit.call(this, set, request, options);
    });
    const env = ExecutionEnvironment.create({ parallelism: 2, backend: 'thread', slots: 2 });
    envs.push(env);
    const rows = await env.fromCollection(ROWS).groupBy('key').agg({ total: sum('value') }).count();
    expect(rows).toBe(13);
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      expect(request.transferOutput).toBe(true);
      expect(request.transfer).toBeUndefined();
    }
  });

  it('a retried task still sees its typed input batches (inputs are copied, not moved)', async () => {
    const env = ExecutionEnvironment.create({ parallelism: 2, backend: 'thread', slots: 2 });
    envs.push(env);
    const out = await env
      .fromCollection(ROWS)
      .repartition(3)
      .map((row: { id: number; value: number }, ctx) => {
        if (row.id === 4321 && ctx.attempt === 1) throw new Error('first attempt fails');
        return row.value;
      })
      .collect();
    expect(out).toHaveLength(ROWS.length);
    expect(out.reduce((a, b) => a + b, 0)).toBe(ROWS.reduce((a, r) => a + r.value, 0));
  });
});
