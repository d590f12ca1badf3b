// Job observers (dataflow/job-observers.ts): told of every job of every environment before it is
// planned, able to refuse it, told how it ended with its counters.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, EventStream, type WeftEvent } from '../../src/index.js';
import { ExecutionEnvironment, JobFailedError, observeJobs, type EndedJob, type JobObserver } from '../../src/dataflow/index.js';
import { jobStarting } from '../../src/dataflow/job-observers.js';

const envs: ExecutionEnvironment[] = [];
const subscriptions: Array<() => void> = [];
afterEach(() => {
  for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
  vi.restoreAllMocks();
});
afterAll(async () => Promise.all(envs.map((e) => e.close())));

function make(parallelism = 2): { env: ExecutionEnvironment; events: WeftEvent[] } {
  const stream = new EventStream();
  const events: WeftEvent[] = [];
  stream.on('*', (e) => events.push(e));
  const env = ExecutionEnvironment.create({ parallelism, backend: 'async', slots: 2, events: stream });
  envs.push(env);
  return { env, events };
}

function observe(observer: JobObserver): () => void {
  const unsubscribe = observeJobs(observer);
  subscriptions.push(unsubscribe);
  return unsubscribe;
}

/** An observer that logs what it hears, and keeps how each job ended. */
function recording(log: string[], ended: EndedJob[], name = ''): JobObserver {
  return (job) => {
    log.push(`${name}start ${job.action}`);
    return (end) => {
      log.push(`${name}end ${job.action} ${end.status}`);
      ended.push(end);
    };
  };
}

describe('observeJobs', () => {
  it('tells an observer a job is starting (action, environment) and that it succeeded, with the stats env.jobs keeps', async () => {
    const { env } = make();
    const seen: unknown[] = [];
    const ended: EndedJob[] = [];
    const log: string[] = [];
    observe((job) => {
      seen.push(job.environment);
      return recording(log, ended)(job);
    });
    const evens = await env.fromCollection([1, 2, 3, 4, 5, 6]).filter((x: number) => x % 2 === 0).count();
    const firstTwo = await env.fromCollection(['a', 'b', 'c']).first(2);
    expect(evens).toBe(3);
    expect(firstTwo).toEqual(['a', 'b']);
    expect(log).toEqual(['start count()', 'end count() succeeded', 'start first(2)', 'end first(2) succeeded']);
    expect(seen).toEqual([env, env]);
    expect(env.jobs).toHaveLength(2);
    expect(ended[0]).toEqual({ status: 'succeeded', jobId: env.jobs[0]!.jobId, stats: env.jobs[0], rows: 3 });
    expect(ended[0]!.status === 'succeeded' && ended[0]!.stats).toBe(env.jobs[0]);
    expect(ended[0]).toMatchObject({ stats: { stages: 1, tasks: 2, rowsRead: 6 } });
    expect(ended[1]).toMatchObject({ status: 'succeeded', jobId: env.jobs[1]!.jobId, rows: 2 });
  });

  it('a refusal rejects the action with the observer’s error before anything runs, and takes no job id', async () => {
    const { env, events } = make();
    await env.fromCollection([1]).count();
    const before = events.length;
    const ended: EndedJob[] = [];
    const log: string[] = [];
    observe(recording(log, ended, 'first: '));
    const refusal = new CancelledError('not now');
    observe((job) => {
      if (job.action === 'collect()') throw refusal;
    });
    const later: string[] = [];
    observe((job) => void later.push(job.action));
    let reads = 0;
    const source = env.fromIterable(() => {
      reads++;
      return [1, 2, 3];
    });
    await expect(source.collect()).rejects.toBe(refusal);
    expect(reads).toBe(0);
    expect(events.slice(before)).toEqual([]);
    expect(env.jobs).toHaveLength(1);
    // The observer asked before the refusing one hears the job ended with the refusal; the one after never hears of it.
    expect(log).toEqual(['first: start collect()', 'first: end collect() cancelled']);
    expect(ended).toEqual([{ status: 'cancelled', jobId: null, error: refusal }]);
    expect(later).toEqual([]);
    // An action the observers let through runs, with the next job id.
    expect(await source.count()).toBe(3);
    expect(reads).toBe(1);
    expect(env.jobs.map((s) => s.jobId)).toEqual([env.jobs[0]!.jobId, env.jobs[0]!.jobId + 1]);
  });

  it('reports a failed job with its id and the error the action rejects with, and a cancelled one as cancelled', async () => {
    const { env } = make();
    const ended: EndedJob[] = [];
    observe(recording([], ended));
    const failure = await env
      .fromCollection([1, 2])
      .map((x: number) => {
        if (x === 2) throw new RangeError('two is too many');
        return x;
      })
      .count()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(JobFailedError);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const cancelled = await env.fromCollection([1]).count({ signal: controller.signal }).catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(CancelledError);
    expect(ended).toHaveLength(2);
    expect(ended[0]).toMatchObject({ status: 'failed', error: failure });
    expect(ended[1]).toMatchObject({ status: 'cancelled', error: cancelled });
    // Both took an id (named in their messages); neither reached env.jobs.
    expect((failure as Error).message).toMatch(new RegExp(`^job ${ended[0]!.jobId} failed`));
    expect((cancelled as Error).message).toMatch(new RegExp(`^job ${ended[1]!.jobId} \\(count\\(\\)\\) was cancelled`));
    expect(env.jobs).toEqual([]);
  });

  it('unsubscribing stops an observer hearing of new jobs; a job it heard start still tells it how it ended', async () => {
    const { env } = make();
    const log: string[] = [];
    const ended: EndedJob[] = [];
    const unsubscribe = observe(recording(log, ended));
    const running = env.fromCollection([1, 2, 3]).count();
    unsubscribe();
    expect(await running).toBe(3);
    expect(await env.fromCollection([1]).collect()).toEqual([1]);
    expect(log).toEqual(['start count()', 'end count() succeeded']);
    unsubscribe();
    expect(log).toHaveLength(2);
  });

  it('observes concurrent jobs of two environments, each with its own environment and counters', async () => {
    const a = make(2).env;
    const b = make(3).env;
    const log: string[] = [];
    const byEnv = new Map<ExecutionEnvironment, EndedJob[]>([
      [a, []],
      [b, []],
    ]);
    observe((job) => {
      const name = job.environment === a ? 'a' : job.environment === b ? 'b' : '?';
      log.push(`start ${name}`);
      return (end) => {
        log.push(`end ${name}`);
        byEnv.get(job.environment)!.push(end);
      };
    });
    const [countA, rowsB] = await Promise.all([
      a.fromCollection(Array.from({ length: 10 }, (_, i) => i)).count(),
      b.fromCollection(Array.from({ length: 7 }, (_, i) => i)).collect(),
    ]);
    expect(countA).toBe(10);
    expect(rowsB).toHaveLength(7);
    // Both started before either ended: the jobs were concurrent.
    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
    expect(log.slice(2).sort()).toEqual(['end a', 'end b']);
    expect(byEnv.get(a)).toEqual([{ status: 'succeeded', jobId: a.jobs[0]!.jobId, stats: a.jobs[0], rows: 10 }]);
    expect(byEnv.get(b)).toEqual([{ status: 'succeeded', jobId: b.jobs[0]!.jobId, stats: b.jobs[0], rows: 7 }]);
    expect(a.jobs[0]).toMatchObject({ tasks: 2, rowsRead: 10 });
    expect(b.jobs[0]).toMatchObject({ tasks: 3, rowsRead: 7 });
  });

  it('an end listener that throws is reported and leaves the action’s result alone', async () => {
    const { env } = make();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    observe(() => () => {
      throw new Error('listener broke');
    });
    expect(await env.fromCollection([1, 2]).count()).toBe(2);
    expect(error).toHaveBeenCalledWith('weft: a job observer threw when count() succeeded:', expect.objectContaining({ message: 'listener broke' }));
  });

  it('costs nothing with no observer: no watch is made', () => {
    const { env } = make();
    expect(jobStarting(env, 'count()')).toBeUndefined();
    observe(() => undefined);
    expect(jobStarting(env, 'count()')).toBeDefined();
  });
});
