import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EventStream, ParallelExecutor, Pipeline, defaultEngine, parallelMap, resolveConfig, withPool } from '../../src/index.js';
import { busy, gate, gates, mapInRun, threadOf } from '../fixtures/pipeline/steps.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'weft-engine-'));

beforeEach(() => gates.reset());
afterAll(() => defaultEngine().close());

function pipelineOf(name: string, count: number, add: (p: Pipeline, i: number) => void): Pipeline {
  const p = new Pipeline(name);
  for (let i = 0; i < count; i++) add(p, i);
  return p;
}

/** Waits until `done()` holds, one macrotask at a time (so every queued microtask has run). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}

describe('one executor, one engine, one set of slots', () => {
  it('three concurrent runs on one executor with 2 slots never run more than 2 steps at once', async () => {
    const executor = new ParallelExecutor({ maxWorkers: 2, backend: 'async' });
    const runs = ['a', 'b', 'c'].map((name) => pipelineOf(name, 3, (p, i) => p.addStep(busy, { name: `s${i}`, params: { ms: 5 } })));
    const results = await Promise.all(runs.map((p) => p.run({ executor, cacheDir })));
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(gates.peak).toBe(2);
    const engine = executor.engine;
    await runs[0]!.run({ executor, cacheDir });
    expect(executor.engine).toBe(engine);
    await executor.close();
    expect(executor.engine).toBeUndefined();
  });

  it('FAIR pools of weights 2:1 share the slots 2:1 under contention between runs', async () => {
    const executor = new ParallelExecutor({ maxWorkers: 3, backend: 'async', mode: 'FAIR', pools: { etl: { weight: 2 }, adhoc: { weight: 1 } } });
    const blocker = pipelineOf('blocker', 3, (p, i) => p.addStep(gate, { name: `b${i}`, params: { tag: 'block' } }));
    const blocked = blocker.run({ executor, cacheDir });
    await gates.whenStarted(3);
    let queued = 0;
    const contender = (pool: string): Promise<unknown> =>
      withPool(pool, () =>
        pipelineOf(pool, 6, (p, i) => p.addStep(gate, { name: `${pool}${i}`, params: { tag: pool }, when: () => ++queued > 0 })).run({ executor, cacheDir }),
      );
    const contenders = [contender('etl'), contender('adhoc')];
    // Each run keeps at most `slots` (3) steps in flight, so 6 steps wait for a slot.
    await until(() => queued === 6);
    gates.release('block');
    await gates.whenStarted(6);
    const firstThree = gates.started.slice(3, 6);
    expect(firstThree.filter((t) => t === 'etl')).toHaveLength(2);
    expect(firstThree.filter((t) => t === 'adhoc')).toHaveLength(1);
    gates.openAll();
    await Promise.all([blocked, ...contenders]);
    await executor.close();
  });

  it('task events of concurrent runs reach only their own run', async () => {
    const executor = new ParallelExecutor({ maxWorkers: 2, backend: 'async' });
    const streams = [new EventStream(), new EventStream()];
    const seen = streams.map((events) => {
      const labels: string[] = [];
      events.on('task.started', (e) => labels.push(e.label));
      return labels;
    });
    const runs = ['x', 'y'].map((name) => pipelineOf(name, 2, (p, i) => p.addStep(busy, { name: `${name}${i}`, params: { ms: 2 } })));
    await Promise.all(runs.map((p, i) => p.run({ executor, cacheDir, events: streams[i]! })));
    expect(seen[0]!.sort()).toEqual(['step "x0"', 'step "x1"']);
    expect(seen[1]!.sort()).toEqual(['step "y0"', 'step "y1"']);
    await executor.close();
  });

  it("task events of a parallelMap inside a step reach that step's run, even when another run's completion started it", async () => {
    const executor = new ParallelExecutor({ maxWorkers: 1, backend: 'async' });
    const streams = [new EventStream(), new EventStream(), new EventStream()];
    const counts = streams.map((events) => {
      const seen = { steps: 0, maps: 0 };
      events.on('task.started', (e) => (e.label.startsWith('parallelMap') ? seen.maps++ : seen.steps++));
      return seen;
    });
    const runs = streams.map((events, i) => {
      const p = new Pipeline(`map_${i}`);
      p.addStep(mapInRun, { name: 'm', params: { n: 4 } });
      return p.run({ executor, cacheDir, events });
    });
    const results = await Promise.all(runs);
    expect(results.map((r) => r.output('m'))).toEqual([4, 4, 4]);
    expect(counts).toEqual([
      { steps: 1, maps: 4 },
      { steps: 1, maps: 4 },
      { steps: 1, maps: 4 },
    ]);
    await executor.close();
  });

  it('a ParallelExecutor without maxWorkers takes the configured parallelism; chunkSize comes from the engine config', async () => {
    const config = resolveConfig({ code: { 'weft.execution.executor.parallelism': 3, 'weft.parallelMap.chunkSize': 5 } });
    const executor = new ParallelExecutor({ config, backend: 'async' });
    expect(executor.maxWorkers).toBe(3);
    const events = new EventStream();
    const mapTasks: string[] = [];
    events.on('task.started', (e) => {
      if (e.label.startsWith('parallelMap')) mapTasks.push(e.label);
    });
    const p = new Pipeline('chunks');
    p.addStep(mapInRun, { name: 'm', params: { n: 20 } });
    const result = await p.run({ executor, cacheDir, events });
    expect(result.output('m')).toBe(20);
    expect(mapTasks).toHaveLength(4);
    expect(executor.engine?.config).toBe(config);
    expect(executor.engine?.slots).toBe(3);
    await executor.close();
  });
});

describe('the process-wide default engine', () => {
  it('four parallelMap calls outside a run reuse one pool of workers', async () => {
    const threads = new Set<number>();
    for (let call = 0; call < 4; call++) {
      const ids = await parallelMap(threadOf, [1, 2, 3, 4, 5, 6], { backend: 'thread', chunkSize: 1 });
      for (const id of ids) threads.add(id);
    }
    expect(threads.size).toBeGreaterThan(0);
    expect(threads.size).toBeLessThanOrEqual(defaultEngine().slots);
  });

  it('runs without an executor share the default engine', async () => {
    const p = new Pipeline('no_executor');
    p.addStep(busy, { name: 'b', params: { ms: 1 }, backend: 'async' });
    const engine = defaultEngine();
    const result = await p.run({ cacheDir });
    expect(result.ok).toBe(true);
    expect(defaultEngine()).toBe(engine);
  });
});
