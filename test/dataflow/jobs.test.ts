import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError, EventStream, resolveConfig, UnsendableValueError, type TaskEvent } from '../../src/index.js';
import { ExecutionEnvironment, JobFailedError, sum } from '../../src/dataflow/index.js';
import { cancelJobGroup, withJobGroup, withPool } from '../../src/scheduler/index.js';

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));
function track(env: ExecutionEnvironment): ExecutionEnvironment {
  envs.push(env);
  return env;
}

describe('task failures', () => {
  it('retries a task whose worker was killed, on a fresh worker, and the job succeeds', async () => {
    const env = track(ExecutionEnvironment.create({ parallelism: 2, backend: 'thread', slots: 2 }));
    const out = await env
      .fromCollection(Array.from({ length: 20 }, (_, i) => i))
      .map((x: number, ctx) => {
        if (x === 7 && ctx.attempt === 1) process.exit(3);
        return x * 2;
      })
      .collect();
    expect(out.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('reports the stage, the partition and the user function’s own error when a job fails', async () => {
    const env = track(ExecutionEnvironment.create({ parallelism: 2, backend: 'thread', slots: 2 }));
    const error = await env
      .fromCollection([1, 2, 3, 4])
      .map((x: number) => {
        if (x === 3) throw new RangeError(`value ${x} is out of range`);
        return x;
      })
      .count()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as Error).message).toMatch(/stage 0 \(fromCollection\(4 items\) → map\(λ\)\), partition 1 after 4 attempts: value 3 is out of range/);
    expect(((error as Error).cause as Error).name).toBe('RangeError');
    expect(((error as Error).cause as Error).stack).toMatch(/out of range/);
  });

  it('refuses a value that cannot be sent before any task runs', async () => {
    const env = track(ExecutionEnvironment.create({ parallelism: 1, backend: 'thread', slots: 1 }));
    await expect(env.fromCollection([1]).map((x: number, ctx) => x + ctx.with.n, { with: { n: 1, fn: () => 1 } }).count()).rejects.toBeInstanceOf(
      UnsendableValueError,
    );
  });
});

describe('malformed CSV rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-df-bad-'));
  writeFileSync(join(dir, 'in.csv'), 'id,value\n1,10\n2,x\n3,30\n4\n5,50\n');

  it('fails with file:line by default', async () => {
    const env = track(ExecutionEnvironment.create({ parallelism: 1, backend: 'async', slots: 1 }));
    await expect(env.readCsv(join(dir, 'in.csv'), { schema: { id: 'float64', value: 'float64' } }).count()).rejects.toThrow(/in\.csv:3/);
  });

  it('skips and counts, or quarantines with the raw lines', async () => {
    const env = track(ExecutionEnvironment.create({ parallelism: 1, backend: 'async', slots: 1 }));
    const schema = { id: 'float64', value: 'float64' };
    expect(await env.readCsv(join(dir, 'in.csv'), { schema, onError: 'skip' }).count()).toBe(3);
    expect(env.jobs.at(-1)).toMatchObject({ malformedSkipped: 2 });
    const quarantine = join(dir, 'bad');
    const total = await env.readCsv<{ value: number }>(join(dir, 'in.csv'), { schema, onError: 'quarantine', quarantinePath: quarantine }).groupBy(() => 'all').agg({ total: sum('value') }).collect();
    expect(total).toEqual([{ key: 'all', total: 90 }]);
    expect(env.jobs.at(-1)).toMatchObject({ malformedQuarantined: 2 });
    const text = readdirSync(quarantine).map((f) => readFileSync(join(quarantine, f), 'utf8')).join('');
    expect(text).toMatch(/in\.csv:3/);
    expect(text).toMatch(/in\.csv:5/);
  });
});

describe('concurrent jobs (Spark’s job scheduling)', () => {
  function slowDataset(env: ExecutionEnvironment, tag: string) {
    return env.fromCollection(Array.from({ length: 6 }, (_, i) => i)).map(
      async (x: number, ctx) => {
        await new Promise((r) => setTimeout(r, 30));
        return `${ctx.with.tag}${x}`;
      },
      { with: { tag } },
    );
  }

  it('runs actions called concurrently as concurrent jobs, FIFO by default', async () => {
    const events = new EventStream();
    const started: TaskEvent[] = [];
    events.on('task.started', (e) => started.push(e));
    const env = track(ExecutionEnvironment.create({ parallelism: 6, backend: 'async', slots: 2, events }));
    const [a, b] = await Promise.all([slowDataset(env, 'a').collect(), slowDataset(env, 'b').collect()]);
    expect(a).toHaveLength(6);
    expect(b).toHaveLength(6);
    const jobs = started.map((e) => e.jobId);
    // FIFO: every task of the first job's map stage starts before any of the second's.
    expect(jobs).toEqual([...jobs].sort((x, y) => x - y));
  });

  it('shares the slots between pools under FAIR', async () => {
    const events = new EventStream();
    const started: TaskEvent[] = [];
    events.on('task.started', (e) => started.push(e));
    const config = resolveConfig({ code: { 'weft.scheduler.mode': 'FAIR', 'weft.scheduler.pools': { etl: { mode: 'FAIR' }, adhoc: { mode: 'FAIR' } } } });
    const env = track(ExecutionEnvironment.create({ parallelism: 6, backend: 'async', slots: 2, events, config }));
    await Promise.all([withPool('etl', () => slowDataset(env, 'a').collect()), withPool('adhoc', () => slowDataset(env, 'b').collect())]);
    const firstSix = started.slice(0, 6).map((e) => e.pool);
    // FAIR: neither pool monopolises the slots (FIFO would start all six of the first job first).
    expect(firstSix.filter((p) => p === 'etl').length).toBeGreaterThanOrEqual(2);
    expect(firstSix.filter((p) => p === 'adhoc').length).toBeGreaterThanOrEqual(2);
  });

  it('cancels a job group mid-stage; the other job finishes', async () => {
    const env = track(ExecutionEnvironment.create({ parallelism: 6, backend: 'async', slots: 2 }));
    const doomed = withJobGroup('nightly', () => slowDataset(env, 'a').collect());
    const other = slowDataset(env, 'b').collect();
    setTimeout(() => cancelJobGroup('nightly', 'operator asked'), 40);
    const [d, o] = await Promise.allSettled([doomed, other]);
    expect(o.status).toBe('fulfilled');
    expect(d.status).toBe('rejected');
    const reason = (d as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(JobFailedError);
    expect(reason.cause).toBeInstanceOf(CancelledError);
  });
});

describe.each(['thread', 'process'] as const)('cancelling a job group on the %s backend', (backend) => {
  it('ends the group’s tasks with CancelledError, and the next job runs normally on the same slots', async () => {
    const events = new EventStream();
    let started = 0;
    let onStarted = (): void => undefined;
    events.on('task.started', () => {
      started++;
      onStarted();
    });
    const env = track(ExecutionEnvironment.create({ parallelism: 2, backend, slots: 2, events }));
    const doomed = withJobGroup('spinning', () =>
      env
        .fromCollection([1, 2])
        .map((x: number): number => {
          // Busy forever: only terminating its worker stops it.
          for (;;) if (x < 0) return x;
        })
        .count(),
    );
    await new Promise<void>((resolve) => (onStarted = () => started >= 2 && resolve()));
    // Let both workers take their task, so that they have to be terminated.
    await new Promise((resolve) => setTimeout(resolve, 300));
    cancelJobGroup('spinning');
    const error = await doomed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as Error).cause).toBeInstanceOf(CancelledError);
    expect(await env.fromCollection([1, 2, 3, 4, 5]).count()).toBe(5);
  });
});
