import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment, JobFailedError } from '../../src/dataflow/index.js';
import { CapturedVariableError } from '../../src/runtime/index.js';
import { isBig, scaled } from '../fixtures/dataflow/fns.js';

const root = join(import.meta.dirname, '../..');
const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));
const make = (backend: 'thread' | 'process' = 'thread'): ExecutionEnvironment => {
  const env = ExecutionEnvironment.create({ parallelism: 2, backend, slots: 2 });
  envs.push(env);
  return env;
};

/** The 1-based line of this file holding `marker`, and the column of the lambda after `prefix` on it. */
function siteOf(marker: string, prefix: string): { line: number; column: number } {
  const lines = readFileSync(import.meta.filename, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(marker) && l.includes(prefix));
  return { line: index + 1, column: lines[index]!.indexOf(prefix) + prefix.length + 1 };
}

const WS = ' ';

describe('a lambda that captures a variable', () => {
  it('fails with the dataflow fix, the operator and the lambda’s file:line:column', async () => {
    const words = make().fromCollection(['a b', 'c']).flatMap((line: string) => line.split(WS)); // site-A
    const error = (await words.count().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CapturedVariableError);
    const { line, column } = siteOf('site-A', 'flatMap(');
    expect(error.message).toContain(`flatMap(λ) at ${import.meta.filename}:${line}:${column} cannot run in a worker`);
    expect(error.message).toContain('reads `WS`');
    expect(error.message).toContain('.flatMap((value, ctx) => … ctx.with.WS …, { with: { WS } })');
    expect(error.message).toContain('ctx.with.WS');
    expect(error.message).not.toContain('parallelMap');
  });

  it('fails at plan time: Dataset.explain() throws too', () => {
    const ds = make().fromCollection([1, 2]).filter((x: number) => x > WS.length);
    expect(() => ds.explain()).toThrow(CapturedVariableError);
    expect(() => ds.explain()).toThrow(/filter\(λ\) at .*functions\.test\.ts:\d+:\d+ cannot run in a worker/);
  });

  it('weft explain fails on it before running anything, exit 2', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin/weft.js'), 'explain', join(root, 'test/fixtures/dataflow/capturing-job.ts')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/flatMap\(λ\) at .*capturing-job\.ts:7:\d+ cannot run in a worker: its function reads `WS`/);
    expect(r.stderr).toContain('{ with: { WS } }');
  });

  it('works once the value is passed with { with }', async () => {
    const words = make().fromCollection(['a b', 'c']).flatMap((line: string, ctx) => line.split(ctx.with.WS), { with: { WS } });
    expect(await words.count()).toBe(3);
  });
});

describe('an exported plain module function', () => {
  it.each(['thread', 'process'] as const)('is found by its export name on the %s backend', async (backend) => {
    const env = make(backend);
    expect(await env.fromCollection([1, 2, 3]).map(scaled).filter(isBig).collect()).toEqual([30]);
  });
});

describe('the stack of a failing inline lambda', () => {
  it('points at the user’s file and line, not at eval <anonymous>', async () => {
    const error = (await make()
      .fromCollection([1, 2, 3, 4])
      .map((x: number) => {
        if (x === 3) throw new RangeError('three'); // site-B
        return x;
      })
      .count()
      .catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    const stack = (error.cause as Error).stack ?? '';
    // The transpiler keeps the lambda's statements on their own lines, so the throw reports this line.
    const { line } = siteOf('site-B', 'throw');
    expect(stack).toContain(`${import.meta.filename}:${line}:`);
    expect(stack).not.toMatch(/<anonymous>:\d+:\d+/);
  });
});
