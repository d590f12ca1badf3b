import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStream, MalformedRowError, resolveConfig, type TaskEvent } from '../../src/index.js';
import { ExecutionEnvironment, JobFailedError } from '../../src/dataflow/index.js';

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));

function make(backend: 'async' | 'thread' | 'process', maxFailures = 4): { env: ExecutionEnvironment; started: TaskEvent[] } {
  const events = new EventStream();
  const started: TaskEvent[] = [];
  events.on('task.started', (e) => started.push(e));
  const config = resolveConfig({ env: {}, code: { 'weft.task.maxFailures': maxFailures } });
  const env = ExecutionEnvironment.create({ parallelism: 2, backend, slots: 2, events, config });
  envs.push(env);
  return { env, started };
}

describe.each(['async', 'thread', 'process'] as const)('task retries on the %s backend (weft.task.maxFailures)', (backend) => {
  it('retries a task whose user function threw, and the job succeeds on attempt 2', async () => {
    const { env } = make(backend);
    const out = await env
      .fromCollection([1, 2, 3, 4, 5, 6])
      .map((x: number, ctx) => {
        if (x === 5 && ctx.attempt === 1) throw new Error(`flaky on attempt ${ctx.attempt}`);
        return [x, ctx.attempt];
      })
      .collect();
    expect(out.map(([x]) => x)).toEqual([1, 2, 3, 4, 5, 6]);
    // Only the failed partition ran twice.
    expect(out.find(([x]) => x === 5)![1]).toBe(2);
    expect(out.find(([x]) => x === 1)![1]).toBe(1);
  });

  it('gives up after maxFailures attempts, naming the stage, partition and attempts, with the user’s stack', async () => {
    const { env, started } = make(backend, 3);
    const error = (await env
      .fromCollection([1, 2, 3, 4])
      .map((x: number) => {
        if (x === 3) throw new RangeError(`value ${x} is out of range`);
        return x;
      })
      .count()
      .catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.message).toMatch(/stage 0 \(fromCollection\(4 items\) → map\(λ\)\), partition 1 after 3 attempts: value 3 is out of range/);
    expect((error.cause as Error).name).toBe('RangeError');
    expect((error.cause as Error).stack).toMatch(/out of range\n\s+at /);
    expect(started.filter((e) => e.label.endsWith('partition 1'))).toHaveLength(3);
  });
});

describe('failures that are never retried', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-df-retry-'));
  writeFileSync(join(dir, 'bad.csv'), 'id,value\n1,10\n2,x\n');

  it('fails at once on a malformed row under onError: fail (the same bytes fail again)', async () => {
    const { env, started } = make('thread');
    const error = (await env
      .readCsv(join(dir, 'bad.csv'), { schema: { id: 'float64', value: 'float64' } })
      .setParallelism(1)
      .count()
      .catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.cause).toBeInstanceOf(MalformedRowError);
    expect(error.message).not.toMatch(/attempts/);
    expect(started).toHaveLength(1);
  });

  it('fails at once on a key no worker can hash (a usage error)', async () => {
    const { env, started } = make('async');
    class Point {
      constructor(readonly x: number) {}
    }
    await expect(env.fromCollection([1, 2]).setParallelism(1).groupBy((x: number) => new Point(x)).count().count()).rejects.toThrow(/instance of Point/);
    expect(started).toHaveLength(1);
  });
});
