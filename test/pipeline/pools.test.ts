import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStream, ParallelExecutor, Pipeline, UnknownPoolError, cancelJobGroup, resolveConfig, withJobGroup, withPool } from '../../src/index.js';
import { double, wait } from '../fixtures/pipeline/steps.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'weft-pools-'));

describe('pools and job groups reach pipeline steps', () => {
  it('runs a pipeline in the pool chosen by withPool', async () => {
    const events = new EventStream();
    const pools = new Set<string>();
    events.on('task.started', (e) => pools.add(e.pool));
    const config = resolveConfig({ code: { 'weft.scheduler.mode': 'FAIR', 'weft.scheduler.pools': { etl: { mode: 'FAIR', weight: 2 } } } });
    const p = new Pipeline('pooled');
    p.addStep(double, { name: 'd', params: { x: 2 } });
    const result = await withPool('etl', () => p.run({ executor: new ParallelExecutor({ maxWorkers: 2, backend: 'async' }), config, cacheDir, events }));
    expect(result.output('d')).toBe(4);
    expect([...pools]).toEqual(['etl']);
  });

  it('refuses an unknown pool when the run starts, before any step, listing the defined ones', async () => {
    const p = new Pipeline('unknown_pool');
    p.addStep(double, { name: 'd', params: { x: 2 } });
    const events = new EventStream();
    const started: string[] = [];
    events.on('node.started', (e) => started.push(e.node));
    const error = await withPool('etl2', () => p.run({ executor: new ParallelExecutor({ maxWorkers: 1, backend: 'async' }), cacheDir, events })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownPoolError);
    expect((error as Error).message).toMatch(/"default".*"etl2".*weft\.scheduler\.pools/s);
    expect(started).toEqual([]);
  });

  it('cancelJobGroup stops exactly that group’s run; another run finishes', async () => {
    const make = (name: string, ms: number): Pipeline => {
      const p = new Pipeline(name);
      p.addStep(wait, { name: 'w', params: { ms, value: name } });
      return p;
    };
    const executor = (): ParallelExecutor => new ParallelExecutor({ maxWorkers: 2, backend: 'async' });
    const doomed = withJobGroup('nightly', () => make('doomed', 60_000).run({ executor: executor(), cacheDir }));
    const other = make('other', 50).run({ executor: executor(), cacheDir });
    setTimeout(() => cancelJobGroup('nightly', 'operator asked'), 20);
    const [d, o] = await Promise.all([doomed, other]);
    expect(o.output('w')).toBe('other');
    expect(d.ok).toBe(false);
    expect(d.step('w').error?.message).toMatch(/job group 'nightly' was cancelled: operator asked/);
  });
});
