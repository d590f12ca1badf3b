import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, EventStream, type WeftEvent } from '../../src/index.js';
import { ExecutionEnvironment, sum } from '../../src/dataflow/index.js';
import { BackendSet } from '../../src/runtime/backend-set.js';

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));
afterEach(() => vi.restoreAllMocks());

function make(backend: 'async' | 'thread', parallelism = 2, slots = 2): { env: ExecutionEnvironment; events: WeftEvent[]; stream: EventStream } {
  const stream = new EventStream();
  const events: WeftEvent[] = [];
  stream.on('*', (e) => events.push(e));
  const env = ExecutionEnvironment.create({ parallelism, backend, slots, events: stream });
  envs.push(env);
  return { env, events, stream };
}

describe('job, stage and task events', () => {
  it.each(['async', 'thread'] as const)('reports jobs → stages → tasks with ids, action, rows and durations (%s)', async (backend) => {
    const { env, events } = make(backend);
    const rows = await env
      .fromCollection(Array.from({ length: 10 }, (_, i) => ({ k: `k${i % 2}`, v: i })))
      .groupBy('k')
      .agg({ total: sum('v') })
      .collect();
    expect(rows).toHaveLength(2);
    const types = events.map((e) => e.type).filter((t) => !t.startsWith('task.'));
    expect(types).toEqual(['job.started', 'stage.started', 'stage.succeeded', 'stage.started', 'stage.succeeded', 'job.succeeded']);
    const started = events.find((e) => e.type === 'job.started')!;
    expect(started).toMatchObject({ action: 'collect()', stages: 2, tasks: 4 });
    const jobId = (started as { jobId: number }).jobId;
    const done = events.find((e) => e.type === 'job.succeeded')!;
    expect(done).toMatchObject({ jobId, action: 'collect()', rowsRead: 10, rows: 2 });
    expect((done as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
    const stage0 = events.find((e) => e.type === 'stage.succeeded')!;
    expect(stage0).toMatchObject({ jobId, stageId: 0, tasks: 2, rowsIn: 10 });
    expect((stage0 as { name: string }).name).toMatch(/fromCollection\(10 items\) → groupBy\(k\)/);
    const tasks = events.filter((e) => e.type === 'task.succeeded');
    expect(tasks).toHaveLength(4);
    for (const t of tasks) expect(t).toMatchObject({ jobId, attempt: 1, partition: expect.any(Number) as number, durationMs: expect.any(Number) as number });
    expect(tasks.map((t) => (t as { partition: number }).partition).sort()).toEqual([0, 0, 1, 1]);
  });

  it('reports a failed job and stage with the error', async () => {
    const { env, events } = make('async');
    await expect(env.fromCollection([1, 2]).map(() => { throw new TypeError('nope'); }).count()).rejects.toThrow(/nope/);
    expect(events.find((e) => e.type === 'stage.failed')).toMatchObject({ stageId: 0, error: { message: expect.stringMatching(/nope/) as string } });
    expect(events.find((e) => e.type === 'job.failed')).toMatchObject({ action: 'count()', error: { name: 'JobFailedError' } });
  });

  it('puts malformed-row counts on the event stream, and warns on the console only when nobody listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-df-events-'));
    writeFileSync(join(dir, 'in.csv'), 'id,value\n1,10\n2,x\n3,30\n');
    const schema = { id: 'float64', value: 'float64' };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { env, events } = make('async', 1);
    expect(await env.readCsv(join(dir, 'in.csv'), { schema, onError: 'skip' }).count()).toBe(2);
    expect(events.find((e) => e.type === 'job.succeeded')).toMatchObject({ malformedSkipped: 1, malformed: [{ line: 3 }] });
    expect(warn).not.toHaveBeenCalled();
    const quiet = ExecutionEnvironment.create({ parallelism: 1, backend: 'async', slots: 1 });
    envs.push(quiet);
    expect(await quiet.readCsv(join(dir, 'in.csv'), { schema, onError: 'skip' }).count()).toBe(2);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/skipped 1 malformed row/));
  });
});

describe('cancelling an action with an AbortSignal', () => {
  it('stops the job: queued tasks never run, and the action rejects with CancelledError', async () => {
    const { env } = make('async', 4, 1);
    const controller = new AbortController();
    const seen: number[] = [];
    const job = env
      .fromCollection(Array.from({ length: 20 }, (_, i) => i))
      .map((x: number) => {
        seen.push(x);
        if (x === 0) controller.abort(new Error('user stop'));
        return x;
      })
      .count({ signal: controller.signal });
    const error = (await job.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.message).toMatch(/job \d+ \(count\(\)\) was cancelled/);
    // One slot: partition 0 (values 0–4) was running; partitions 1–3 were dropped from the queue.
    expect(seen.every((x) => x < 5)).toBe(true);
  });

  it('rejects at once for a signal aborted before the action', async () => {
    const { env, events } = make('async');
    await expect(env.fromCollection([1]).collect({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
    expect(events.filter((e) => e.type.startsWith('task.'))).toEqual([]);
  });

  it('a cancelled write leaves the previous output intact and no staging folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-df-cancel-'));
    const out = join(dir, 'out');
    const { env } = make('thread', 3);
    expect(await env.fromCollection([1, 2, 3]).writeCsv(out)).toBe(3);
    const before = readdirSync(out).sort();
    const controller = new AbortController();
    const job = env
      .fromCollection(Array.from({ length: 30 }, (_, i) => i))
      .map(async (x: number) => {
        await new Promise((r) => setTimeout(r, 5));
        return x;
      })
      .writeCsv(out, { signal: controller.signal });
    controller.abort();
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(readdirSync(out).sort()).toEqual(before);
    expect(readFileSync(join(out, '_SUCCESS'), 'utf8')).toMatch(/"rows":3/);
    expect(readdirSync(dir).filter((f) => f.includes('weft-staging'))).toEqual([]);
    expect(existsSync(out)).toBe(true);
  });
});

describe('job ids follow submission order (FIFO)', () => {
  it('assigns the id when the action is called, not after preparing workers', async () => {
    const { env, events } = make('async');
    // Hold the first job's preparation until the second job has been submitted and prepared.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const prepare = Object.getOwnPropertyDescriptor(BackendSet.prototype, 'prepare')!.value as BackendSet['prepare'];
    let calls = 0;
    vi.spyOn(BackendSet.prototype, 'prepare').mockImplementation(async function (this: BackendSet, ...args) {
      if (calls++ === 0) await gate;
      return prepare.apply(this, args);
    });
    const first = env.fromCollection([1, 2, 3]).count();
    const second = env.fromCollection([1, 2]).collect();
    await second;
    release();
    await first;
    const started = events.filter((e) => e.type === 'job.started') as Array<{ jobId: number; action: string }>;
    const ids = Object.fromEntries(started.map((e) => [e.action, e.jobId]));
    expect(ids['count()']).toBeLessThan(ids['collect()']!);
  });
});
