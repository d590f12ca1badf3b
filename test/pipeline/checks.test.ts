import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParallelExecutor, Pipeline, UsageError, DuplicateStepError, defaultEngine, withPool, preflight, UnknownPoolError } from '../../src/index.js';
import { double, makeArray, sumFailFirst, sumOf, typed } from '../fixtures/pipeline/steps.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'weft-checks-'));

describe('addStep and Pipeline argument checks', () => {
  it('an empty pipeline name is a UsageError, not a DuplicateStepError', () => {
    const error = (() => {
      try {
        return new Pipeline('  ');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error).not.toBeInstanceOf(DuplicateStepError);
    expect((error as Error).message).toMatch(/non-empty string/);
  });

  it('a step that is not a function is a UsageError naming what arrived', () => {
    const p = new Pipeline('p');
    const call = (): unknown => p.addStep(42 as never);
    expect(call).toThrow(UsageError);
    expect(call).not.toThrow(DuplicateStepError);
    expect(call).toThrow(/number 42/);
  });

  it('an unknown option (retry: 3) is a UsageError listing the valid options', () => {
    const p = new Pipeline('p');
    expect(() => p.addStep(double, { name: 'd', params: { x: 1 }, retry: 3 } as never)).toThrow(/unknown addStep option `retry`; valid options are .*`retries`/);
  });
});

describe('preflight', () => {
  it('refuses an unknown pool from the async context', () => {
    const p = new Pipeline('p');
    p.addStep(double, { name: 'd', params: { x: 1 } });
    expect(() => withPool('nope', () => preflight(p, { backend: 'async', pools: ['default'] }))).toThrow(UnknownPoolError);
    expect(preflight(p, { backend: 'async', pools: ['default'] }).steps.get('d')?.backend).toBe('async');
  });
});

describe('parallelMap at the top level of a module a worker imports', () => {
  it('is refused inside the worker with a UsageError saying how to fix it', async () => {
    const { one, warmed } = await import('../fixtures/pipeline/top-level-map.js');
    expect(warmed).toEqual([2, 3, 4]);
    const p = new Pipeline('top_level');
    p.addStep(one, { name: 'one' });
    const executor = new ParallelExecutor({ maxWorkers: 1, backend: 'thread' });
    const error = await p.run({ executor, cacheDir }).then(
      (r) => r.step('one').error,
      (e: unknown) => e,
    );
    await executor.close();
    const text = `${String((error as Error | undefined)?.message)} ${String(((error as Error | undefined)?.cause as Error | undefined)?.message)}`;
    expect(text).toMatch(/top level of a module/);
    expect(text).toMatch(/isWeftWorker/);
  });
});

describe('transfer: true never breaks a re-run or a retry', () => {
  it("does not move the pipeline's own params: a second run sees them intact", async () => {
    const data = new Float64Array([1, 2, 3.5]);
    const p = new Pipeline('transfer_params');
    p.addStep(typed, { name: 't', params: { data }, transfer: true });
    const executor = new ParallelExecutor({ maxWorkers: 1, backend: 'thread' });
    const first = await p.run({ executor, cacheDir });
    const second = await p.run({ executor, cacheDir });
    await executor.close();
    expect(first.output<{ sum: number }>('t').sum).toBe(6.5);
    expect(second.output<{ sum: number }>('t').sum).toBe(6.5);
    expect(data.byteLength).toBe(24);
  });

  it('copies an output read by two steps, and an output read by a step that may retry', async () => {
    const p = new Pipeline('transfer_outputs');
    p.addStep(makeArray, { name: 'make', params: { n: 4 } });
    p.addStep(sumOf, { name: 'first', inputs: { data: 'make' }, transfer: true });
    p.addStep(sumOf, { name: 'second', inputs: { data: 'make' }, transfer: true });
    p.addStep(makeArray, { name: 'make2', params: { n: 3 } });
    p.addStep(sumFailFirst, { name: 'retrying', inputs: { data: 'make2' }, transfer: true, retries: 1 });
    const executor = new ParallelExecutor({ maxWorkers: 2, backend: 'thread' });
    const result = await p.run({ executor, cacheDir });
    await executor.close();
    expect(result.output('first')).toBe(10);
    expect(result.output('second')).toBe(10);
    expect(result.step('retrying')).toMatchObject({ status: 'succeeded', attempts: 2, output: 6 });
  });
});

describe('the default engine', () => {
  it('keeps the config it was built from', () => {
    expect(defaultEngine().config.get('weft.execution.executor.parallelism')).toBe(defaultEngine().slots);
  });
});
