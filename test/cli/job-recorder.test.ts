// The recorder behind `weft run <job module>`: one record per action, with the counters of its own
// job even when jobs of one environment run at once; after `stop`, every new action is refused.
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/index.js';
import { ExecutionEnvironment } from '../../src/dataflow/index.js';
import { JobRecorder } from '../../src/cli/job-recorder.js';

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));

function make(parallelism: number): ExecutionEnvironment {
  const env = ExecutionEnvironment.create({ parallelism, backend: 'async', slots: 2 });
  envs.push(env);
  return env;
}

describe('JobRecorder', () => {
  it('records each action with the counters of its own job, concurrent jobs of one environment included', async () => {
    const env = make(2);
    const recorder = new JobRecorder();
    recorder.install();
    try {
      const big = env.fromCollection(Array.from({ length: 40 }, (_, i) => i)).map((x: number) => x + 1);
      await Promise.all([big.count(), env.fromCollection([1, 2, 3]).first(2), big.filter((x: number) => x > 30).collect()]);
      await expect(env.fromCollection([1, 2]).map(() => { throw new TypeError('bad row'); }).count()).rejects.toThrow(/bad row/);
    } finally {
      recorder.uninstall();
    }
    await env.fromCollection([1]).count();
    expect(recorder.jobs).toHaveLength(4);
    const [count, first, collect, failed] = recorder.jobs;
    // Job ids are taken in call order; env.jobs keeps the counters in the order the jobs finished.
    const statsOf = (job: number | null): object => {
      const stats = env.jobs.find((s) => s.jobId === job)!;
      return { stages: stats.stages, tasks: stats.tasks, rowsRead: stats.rowsRead };
    };
    const id = count!.job!;
    expect([first!.job, collect!.job, failed!.job]).toEqual([id + 1, id + 2, id + 3]);
    expect(count).toMatchObject({ action: 'count()', status: 'succeeded', stages: 1, tasks: 2, rows: 40, rowsRead: 40 });
    expect(first).toMatchObject({ action: 'first(2)', status: 'succeeded', rows: 2, ...statsOf(first!.job) });
    expect(collect).toMatchObject({ action: 'collect()', status: 'succeeded', rows: 10, rowsRead: 40, ...statsOf(collect!.job) });
    expect(count).toMatchObject(statsOf(count!.job));
    expect(failed).toMatchObject({ action: 'count()', status: 'failed', rows: null, stages: null, error: expect.stringMatching(/bad row/) as string });
    for (const record of recorder.jobs) {
      expect(record.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(record.endedAt!)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
    }
    await expect(recorder.idle()).resolves.toBeUndefined();
  });

  it('after stop(reason), refuses every new action with a CancelledError naming it, and records none; idle() waits for the running ones', async () => {
    const env = make(1);
    const recorder = new JobRecorder();
    recorder.install();
    try {
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const running = env
        .fromIterable(async function* () {
          await gate;
          yield* [1, 2, 3];
        })
        .count();
      let idle = false;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const idling = recorder.idle().then(() => (idle = true));
      recorder.stop(new CancelledError('interrupted by Ctrl-C'));
      const refused = await env.fromCollection([1]).writeCsv('never-written').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(CancelledError);
      expect((refused as Error).message).toBe('writeCsv(never-written) was not started: interrupted by Ctrl-C');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(idle).toBe(false);
      release();
      expect(await running).toBe(3);
      await idling;
      expect(idle).toBe(true);
    } finally {
      recorder.uninstall();
    }
    expect(recorder.jobs.map((j) => [j.action, j.status, j.rows])).toEqual([['count()', 'succeeded', 3]]);
  });

  it('leaves ExecutionEnvironment as it is: it observes jobs, it does not patch them', () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, never called
    const execute = ExecutionEnvironment.prototype.execute;
    const recorder = new JobRecorder();
    recorder.install();
    recorder.install();
    try {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, never called
      expect(ExecutionEnvironment.prototype.execute).toBe(execute);
    } finally {
      recorder.uninstall();
    }
  });
});
