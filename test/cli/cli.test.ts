import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/weft.js');
const fixture = (name: string): string => join(root, 'test/fixtures/cli', name);
const cwd = mkdtempSync(join(tmpdir(), 'weft-cli-'));

function weft(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('weft run', { timeout: 180_000 }, () => {
  it('runs a pipeline module and prints a summary table (exit 0)', () => {
    const r = weft('run', fixture('ok.ts'), '-j', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/step\s+status\s+time\s+attempts/);
    expect(r.stdout).toMatch(/sum\s+succeeded/);
    expect(r.stdout).toMatch(/cli_ok succeeded/);
    expect(r.stderr).toMatch(/Z step left started on thread slot \d/);
  });

  it('prints the result as JSON with --json', () => {
    const r = weft('run', fixture('ok.ts'), '--json', '--backend', 'async', '--no-progress');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { status: string; outputs: Record<string, number>; steps: Array<{ backend: string }> };
    expect(json.status).toBe('succeeded');
    expect(json.outputs.sum).toBe(6);
    expect(json.steps[0]?.backend).toBe('async');
  });

  it('exits 1 when a step fails, naming the step and the error', () => {
    const r = weft('run', fixture('failing.ts'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/boom\s+failed.*the input was malformed/);
    // The failure in full, with the line of the user's file that threw (and no frame of weft or Node).
    const line = readFileSync(fixture('failing.ts'), 'utf8').split('\n').findIndex((l) => l.includes('throw new Error')) + 1;
    expect(r.stdout).toMatch(new RegExp(`failures:\\n  boom: Error: the input was malformed\\n      at .*failing\\.ts:${line}:\\d+\\)?\\n\\n`));
  });

  it('exits 2 on bad input: a missing file, a module without a pipeline, a bad -j', () => {
    const missing = weft('run', 'nowhere.ts');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const notPipeline = weft('run', fixture('not-a-pipeline.ts'));
    expect(notPipeline.code).toBe(2);
    expect(notPipeline.stderr).toMatch(/does not export a pipeline.*`answer`/);
    const badJobs = weft('run', fixture('ok.ts'), '-j', '0');
    expect(badJobs.code).toBe(2);
    expect(badJobs.stderr).toMatch(/-j/);
    const unknown = weft('frobnicate');
    expect(unknown.code).toBe(2);
  });

  it('plans without running on --dry-run', () => {
    const r = weft('run', fixture('ok.ts'), '--dry-run', '-j', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/level 1: left, right/);
    expect(r.stdout).toMatch(/level 2: sum/);
  });

  it('stops on Ctrl-C and exits 130', async () => {
    const child = spawn(process.execPath, [bin, 'run', fixture('slow.ts'), '--backend', 'async'], { cwd, env: { ...process.env } });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const started = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('step nap started')) resolve();
      });
    });
    await started;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(stdout).toMatch(/after_nap\s+not-run/);
  });
});

describe('weft plan and weft config', { timeout: 180_000 }, () => {
  it('prints levels, width and critical path, then predictions after a run', () => {
    const before = weft('plan', fixture('ok.ts'));
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/3 steps, 2 levels, width 2/);
    expect(before.stdout).toMatch(/critical path .*: (left|right) → sum/);
    expect(weft('run', fixture('ok.ts'), '--no-progress').code).toBe(0);
    const after = weft('plan', fixture('ok.ts'));
    expect(after.stdout).toMatch(/predicted wall time/);
    expect(after.stdout).toMatch(/^1\s+\d/m);
    expect(after.stdout).toMatch(/^2\s+\d/m);
  });

  it('explains each setting and its source', () => {
    const r = weft('config', '--explain', '--conf', 'weft.scheduler.mode=FAIR');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/weft\.scheduler\.mode\s+FAIR\s+.*--conf/);
    expect(r.stdout).toMatch(/weft\.execution\.backend\s+thread\s+.*built-in/);
    const bad = weft('config', '--explain', '--conf', 'weft.scheduler.mode=SOMETIMES');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/FIFO/);
  });

  it('shows help with examples for every command', () => {
    for (const command of ['run', 'plan', 'config']) {
      const r = weft(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:/);
    }
  });
});
