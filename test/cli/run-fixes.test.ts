import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/weft.js');
const fixture = (name: string): string => join(root, 'test/fixtures/cli', name);
const cwd = mkdtempSync(join(tmpdir(), 'weft-cli-fixes-'));

function weft(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("weft run and the module's own executor", { timeout: 180_000 }, () => {
  it('keeps it for --conf keys that are not about the executor', () => {
    const r = weft('run', fixture('module-executor.ts'), '--no-progress', '--conf', 'weft.task.maxFailures=2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/one\s+succeeded.*async#0/);
  });

  it('replaces it for --backend, -j and --conf of the executor keys', () => {
    for (const args of [['--backend', 'thread'], ['-j', '2', '--conf', 'weft.execution.backend=thread'], ['--conf', 'weft.execution.backend=thread']]) {
      const r = weft('run', fixture('module-executor.ts'), '--no-progress', ...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/one\s+succeeded.*thread#0/);
    }
  });

  it('documents the rule in --help', () => {
    expect(weft('run', '--help').stdout).toMatch(/Other --conf keys/);
  });
});

describe('weft run --dry-run', { timeout: 180_000 }, () => {
  it('prints -j and where it came from', () => {
    const fromFlag = weft('run', fixture('ok.ts'), '--dry-run', '-j', '3');
    expect(fromFlag.code).toBe(0);
    expect(fromFlag.stdout).toMatch(/-j 3 from -j 3/);
    const fromDefault = weft('run', fixture('ok.ts'), '--dry-run');
    expect(fromDefault.stdout).toMatch(/-j \d+ from default \(built-in\)/);
    const fromModule = weft('run', fixture('module-executor.ts'), '--dry-run');
    expect(fromModule.stdout).toMatch(/-j 1 from the module's `executor` export/);
  });

  it('runs the lambda check and exits 2 naming the captured variable', () => {
    const r = weft('run', fixture('captures.ts'), '--dry-run');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/factor/);
  });

  it('a real run of the same module also exits 2 (bad input before work starts)', () => {
    const r = weft('run', fixture('captures.ts'), '--no-progress');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/factor/);
  });
});

describe('weft run --json', { timeout: 180_000 }, () => {
  it('keeps bigint, Map, Set, typed arrays and Dates, and prints ISO step times', () => {
    const r = weft('run', fixture('rich-output.ts'), '--json', '--no-progress', '--backend', 'async');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { outputs: { rich: Record<string, unknown> }; steps: Array<{ startedAt: string; endedAt: string }> };
    expect(json.outputs.rich).toEqual({
      big: '12345678901234567890n',
      byName: { a: 1 },
      byNumber: [[1, 'one']],
      tags: ['x', 'y'],
      bytes: [1, 2, 3],
      when: '2024-01-02T00:00:00.000Z',
    });
    expect(json.steps[0]?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(json.steps[0]?.endedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });
});

describe('modules that fail to load', { timeout: 180_000 }, () => {
  it("shows the user's file:line when the module throws while loading (exit 2)", () => {
    const r = weft('run', fixture('throws-on-load.ts'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/throws-on-load\.ts:5:\d+/);
    expect(r.stderr).toMatch(/region is not configured/);
  });

  it('weft plan of a missing file says it cannot plan it, not run it', () => {
    const r = weft('plan', 'missing.ts');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot plan missing\.ts: no such file/);
    expect(r.stderr).not.toMatch(/Cannot run/);
  });

  it('an unknown addStep option is a usage error listing the valid ones', () => {
    const r = weft('run', fixture('bad-option.ts'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown addStep option `retry`.*`retries`/);
  });
});

describe('Ctrl-C while workers start', { timeout: 180_000 }, () => {
  it('exits 130 with the interrupted message, not "This operation was aborted"', async () => {
    const child = spawn(process.execPath, [bin, 'run', fixture('slow-start.ts'), '--backend', 'thread', '-j', '1'], { cwd, env: { ...process.env } });
    let stderr = '';
    const loading = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('a worker is loading the module')) resolve();
      });
    });
    await loading;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(stderr).not.toMatch(/This operation was aborted/);
  });
});
