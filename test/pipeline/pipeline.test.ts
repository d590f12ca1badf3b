import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  DuplicateStepError,
  EventStream,
  MissingInputError,
  ParallelExecutor,
  Pipeline,
  SequentialExecutor,
  TimeoutError,
  type BackendKind,
  type NodeEvent,
  type PipelineExecutor,
} from '../../src/index.js';
import { CycleError } from '../../src/graph/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { add, barrier, double, exitWorker, fail, flaky, spin, typed, wait, where } from '../fixtures/pipeline/steps.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'weft-pipeline-'));
const executors: Array<[string, () => PipelineExecutor, BackendKind]> = [
  ['sequential', () => new SequentialExecutor(), 'async'],
  ['parallel async', () => new ParallelExecutor({ maxWorkers: 3, backend: 'async' }), 'async'],
  ['parallel thread', () => new ParallelExecutor({ maxWorkers: 2, backend: 'thread' }), 'thread'],
  ['parallel process', () => new ParallelExecutor({ maxWorkers: 2, backend: 'process' }), 'process'],
];

function diamond(): Pipeline {
  const p = new Pipeline('diamond');
  p.addStep(double, { name: 'left', params: { x: 2 }, outputs: 'l' });
  p.addStep(double, { name: 'right', params: { x: 5 }, outputs: 'r' });
  p.addStep(add, { name: 'sum', inputs: { a: 'l', b: 'r' } });
  return p;
}

describe('pipeline wiring errors, before any step runs', () => {
  it('rejects two steps with one name, naming it', () => {
    const p = new Pipeline('p');
    p.addStep(double, { name: 'a', params: { x: 1 } });
    expect(() => p.addStep(double, { name: 'a', params: { x: 2 } })).toThrow(DuplicateStepError);
    expect(() => p.addStep(double, { name: 'a', params: { x: 2 } })).toThrow(/step named "a" was already added/);
  });

  it('rejects two producers of one output, naming both steps', () => {
    const p = new Pipeline('p');
    p.addStep(double, { name: 'a', params: { x: 1 }, outputs: 'data' });
    expect(() => p.addStep(double, { name: 'b', params: { x: 1 }, outputs: ['data'] })).toThrow(
      /output "data" of step "b" is already produced by step "a"/,
    );
  });

  it('rejects a missing producer at run time, listing the known outputs', async () => {
    const p = new Pipeline('p');
    p.addStep(add, { name: 'sum', inputs: { a: 'nope', b: 'nope' }, params: {} });
    await expect(p.run({ executor: new SequentialExecutor(), cacheDir })).rejects.toThrow(MissingInputError);
    await expect(p.run({ executor: new SequentialExecutor(), cacheDir })).rejects.toThrow(/takes input "nope" .* no step produces it/);
  });

  it('rejects a cycle, naming every step on it', async () => {
    const p = new Pipeline('p');
    p.addStep(double, { name: 'a', params: { x: 1 }, after: ['c'] });
    p.addStep(double, { name: 'b', params: { x: 1 }, after: ['a'] });
    p.addStep(double, { name: 'c', params: { x: 1 }, after: ['b'] });
    const error = await p.run({ executor: new SequentialExecutor(), cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CycleError);
    expect((error as Error).message).toMatch(/a/);
    expect((error as CycleError).cycle).toEqual(expect.arrayContaining(['a', 'b', 'c']));
  });

  it('rejects a lambda that captures an outer variable on the thread backend, naming it', async () => {
    const factor = 3;
    const p = new Pipeline('p');
    p.addStep(({ x }: { x: number }) => x * factor, { name: 'times', params: { x: 1 } });
    await expect(p.run({ executor: new ParallelExecutor({ maxWorkers: 1, backend: 'thread' }), cacheDir })).rejects.toThrow(/factor/);
  });

  it('rejects a parameter that cannot be sent, naming the step and the parameter', async () => {
    class Client {
      query(): number {
        return 1;
      }
    }
    const p = new Pipeline('p');
    p.addStep(where, { name: 'w', params: { client: new Client() } });
    await expect(p.run({ executor: new ParallelExecutor({ maxWorkers: 1, backend: 'thread' }), cacheDir })).rejects.toThrow(
      /step "w".*params\.client/s,
    );
  });
});

describe.each(executors)('pipeline on the %s executor', (_name, make, backend) => {
  it('runs a diamond and reports outputs, attempts, backend and slot per step', async () => {
    const result = await diamond().run({ executor: make(), cacheDir });
    expect(result.status).toBe('succeeded');
    expect(result.output<number>('sum')).toBe(14);
    expect(result.outputs).toMatchObject({ left: 4, l: 4, right: 10, r: 10, sum: 14 });
    for (const s of result.steps) {
      expect(s).toMatchObject({ status: 'succeeded', attempts: 1, backend });
      expect(s.slot).toBeGreaterThanOrEqual(0);
      expect(s.endedAt! >= s.startedAt!).toBe(true);
    }
  });

  it('retries a flaky step and reports the attempts', async () => {
    const p = new Pipeline('retry');
    p.addStep(flaky, { name: 'f', params: { succeedOn: 3 }, retries: 3, retryDelayMs: 1 });
    const result = await p.run({ executor: make(), cacheDir });
    expect(result.step('f')).toMatchObject({ status: 'succeeded', attempts: 3, output: 3 });
  });

  it('fails fast with the user error, and keeps going when asked', async () => {
    const p = new Pipeline('fails');
    p.addStep(fail, { name: 'bad', params: { message: 'broken input' } });
    p.addStep(double, { name: 'after_bad', params: { x: 1 }, after: ['bad'] });
    p.addStep(double, { name: 'unrelated', params: { x: 1 } });
    const kept = await p.run({ executor: make(), cacheDir, failurePolicy: 'keep-going' });
    expect(kept.status).toBe('failed');
    expect(kept.step('bad').error?.message).toBe('broken input');
    expect(kept.step('bad').error?.name).toBe('RangeError');
    expect(kept.step('after_bad')).toMatchObject({ status: 'skipped' });
    expect(kept.step('unrelated')).toMatchObject({ status: 'succeeded', output: 2 });
    expect(() => kept.assertSucceeded()).toThrow(/bad: broken input/);
  });

  it('skips a step whose `when` is false, and its dependents', async () => {
    const p = new Pipeline('when');
    p.addStep(double, { name: 'maybe', params: { x: 1 }, when: ({ x }) => x > 5 });
    p.addStep(double, { name: 'then', params: { x: 1 }, after: ['maybe'] });
    p.addStep(double, { name: 'other', params: { x: 4 } });
    const result = await p.run({ executor: make(), cacheDir });
    expect(result.status).toBe('succeeded');
    expect(result.step('maybe')).toMatchObject({ status: 'skipped' });
    expect(result.step('then')).toMatchObject({ status: 'skipped' });
    expect(result.step('other').output).toBe(8);
  });
});

describe('parallel steps really run at the same time', () => {
  it('four thread steps meet at a barrier that only opens when all four run at once', async () => {
    const cell = new SharedArrayBuffer(4);
    const p = new Pipeline('barrier');
    for (let i = 0; i < 4; i++) p.addStep(barrier, { name: `b${i}`, params: { cell, parties: 4 } });
    const result = await p.run({ executor: new ParallelExecutor({ maxWorkers: 4, backend: 'thread' }), cacheDir });
    expect(result.steps.map((s) => s.output)).toEqual([true, true, true, true]);
    expect(new Set(result.steps.map((s) => s.slot)).size).toBe(4);
  });

  it('independent async steps overlap: all four are running before any finishes', async () => {
    const events = new EventStream();
    const order: string[] = [];
    events.on('node.started', (e: NodeEvent) => order.push(`start ${e.node}`));
    events.on('node.succeeded', (e: NodeEvent) => order.push(`end ${e.node}`));
    const p = new Pipeline('overlap');
    for (let i = 0; i < 4; i++) p.addStep(wait, { name: `w${i}`, params: { ms: 30 } });
    await p.run({ executor: new ParallelExecutor({ maxWorkers: 4, backend: 'async' }), cacheDir, events });
    expect(order.slice(0, 4).every((e) => e.startsWith('start'))).toBe(true);
  });
});

describe('timeouts, crashes and cancellation', () => {
  it.each(['thread', 'process'] as const)('a step that never returns is stopped by its timeout on %s', async (backend) => {
    const p = new Pipeline('spin');
    p.addStep(spin, { name: 'spin', timeoutMs: 200 });
    p.addStep(double, { name: 'next', params: { x: 1 } });
    const result = await p.run({ executor: new ParallelExecutor({ maxWorkers: 1, backend }), cacheDir, failurePolicy: 'keep-going' });
    expect(result.step('spin').error).toBeInstanceOf(TimeoutError);
    expect(result.step('next')).toMatchObject({ status: 'succeeded', output: 2 });
  });

  it.each(['thread', 'process'] as const)('a worker that exits mid-step fails that step and the retry runs on a fresh one (%s)', async (backend) => {
    const p = new Pipeline('crash');
    p.addStep(exitWorker, { name: 'crashy', params: { code: 7 }, retries: 1 });
    const events = new EventStream();
    const retried: NodeEvent[] = [];
    events.on('node.retried', (e: NodeEvent) => retried.push(e));
    const result = await p.run({ executor: new ParallelExecutor({ maxWorkers: 1, backend }), cacheDir, events });
    expect(result.step('crashy')).toMatchObject({ status: 'succeeded', attempts: 2, output: 'survived on attempt 2' });
    expect(retried[0]?.error?.name).toBe('WorkerCrashedError');
    expect(retried[0]?.error?.message).toMatch(/crashy/);
  });

  it('cancelling the run stops running steps and starts nothing new', async () => {
    const controller = new AbortController();
    const p = new Pipeline('cancel');
    p.addStep(wait, { name: 'long', params: { ms: 60_000 } });
    p.addStep(double, { name: 'later', params: { x: 1 }, after: ['long'] });
    setTimeout(() => controller.abort(new CancelledError('user pressed stop')), 50);
    const result = await p.run({ executor: new ParallelExecutor({ maxWorkers: 1, backend: 'async' }), cacheDir, signal: controller.signal });
    expect(result.status).toBe('cancelled');
    expect(result.step('later').status).toBe('not-run');
  });
});

describe('data between steps', () => {
  it('moves typed arrays to thread steps and back', async () => {
    const p = new Pipeline('typed');
    p.addStep(typed, { name: 't', params: { data: new Float64Array([1, 2, 3.5]) }, transfer: true });
    const result = await p.run({ executor: new ParallelExecutor({ maxWorkers: 1, backend: 'thread' }), cacheDir });
    const out = result.output<{ sum: number; copy: Float64Array }>('t');
    expect(out.sum).toBe(6.5);
    expect(out.copy).toBeInstanceOf(Float64Array);
  });

  it('a step declaring several outputs publishes each property', async () => {
    const p = new Pipeline('multi');
    p.addStep(where, { name: 'w', outputs: ['pid', 'main'] });
    p.addStep(double, { name: 'd', params: {}, inputs: { x: 'pid' } });
    const result = await p.run({ executor: new SequentialExecutor(), cacheDir });
    expect(result.output('pid')).toBe(process.pid);
    expect(result.output('d')).toBe(process.pid * 2);
  });
});

describe('retry back-off', () => {
  it('is capped by weft.retry.maxDelayMs when a step sets none', async () => {
    const p = new Pipeline('capped');
    p.addStep(flaky, { name: 'f', params: { succeedOn: 3 }, retries: 3, retryDelayMs: 60_000 });
    const events = new EventStream();
    const delays: Array<number | undefined> = [];
    events.on('node.retried', (e: NodeEvent) => delays.push(e.delayMs));
    const result = await p.run({ executor: new SequentialExecutor(), cacheDir, events, config: resolveConfig({ env: {}, code: { 'weft.retry.maxDelayMs': 5 } }) });
    expect(result.step('f')).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(delays).toEqual([5, 5]);
  });
});
