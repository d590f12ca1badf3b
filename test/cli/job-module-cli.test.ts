// `weft run` of a dataflow job module: --json, flags that do not apply, -j, Ctrl-C; `weft plan` on
// one; a reader that closes stdout early.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/weft.js');
const cwd = mkdtempSync(join(tmpdir(), 'weft-job-cli-'));
const fixture = (name: string): string => join(root, 'test/fixtures/cli', name);

function weft(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Summary {
  module: string;
  status: string;
  durationMs: number;
  jobs: Array<{ job: number; action: string; status: string; stages: number; tasks: number; rows: number; durationMs: number }>;
}

describe('weft run <job module>', () => {
  it('--json prints a summary of the jobs on stdout, and what the module prints on stderr', () => {
    const r = weft('run', fixture('jobs.ts'), '--json', '-j', '2');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary).toMatchObject({ module: fixture('jobs.ts'), status: 'succeeded' });
    expect(summary.jobs).toHaveLength(2);
    expect(summary.jobs[0]).toMatchObject({ action: 'count()', status: 'succeeded', stages: 1, tasks: 3, rows: 15 });
    expect(summary.jobs[1]).toMatchObject({ action: 'collect()', status: 'succeeded', stages: 1, tasks: 3, rows: 30 });
    expect(summary.jobs[1]!.job).toBeGreaterThan(summary.jobs[0]!.job);
    for (const job of summary.jobs) expect(job.durationMs).toBeGreaterThanOrEqual(0);
    // -j is the number of slots of its environment: three tasks share two.
    expect(r.stderr).toMatch(/evens 15, distinct slots 2/);
  });

  it.each([
    ['--keep-going', /--keep-going does not apply to .*jobs\.ts: it is a dataflow job module/],
    ['--no-progress', /--no-progress does not apply to .*jobs\.ts: a dataflow job module shows no progress view/],
  ])('refuses %s with exit 2, saying why', (flag, message) => {
    const r = weft('run', fixture('jobs.ts'), flag);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('first Ctrl-C: cancels the running job, starts no new one, reports what ran and exits 130', async () => {
    const child = spawn(process.execPath, [bin, 'run', fixture('slow-job.ts'), '--backend', 'thread'], { cwd, env: { ...process.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const slow = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('slow job starting')) resolve();
      });
    });
    await slow;
    // Let its tasks start spinning: cancelling them has to stop their workers.
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted — starting no new job, cancelling the running ones/);
    expect(stderr).toMatch(/slow job ended: .*interrupted by Ctrl-C/);
    expect(stderr).not.toMatch(/a job started after Ctrl-C/);
    expect(stdout).toMatch(/quick job counted 3/);
    expect(stdout).toMatch(/count\(\)\s+succeeded\s+1\s+2\s+3/);
    expect(stdout).toMatch(/count\(\)\s+cancelled/);
    expect(stdout).toMatch(/slow-job\.ts interrupted after/);
  });
});

describe('weft plan and explain of a job module', () => {
  it('weft plan says it works on pipelines and points to weft explain', () => {
    const r = weft('plan', join(root, 'examples/wordcount.ts'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wordcount\.ts is a dataflow job module .*not a pipeline: `weft plan` works on pipelines.*`weft explain .*wordcount\.ts`/);
    expect(r.stderr).not.toMatch(/does not export/);
  });

  it('weft explain says what runs', () => {
    const r = weft('explain', fixture('jobs.ts'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/explain calls the main\(\) of .*jobs\.ts: its own code runs, its dataset actions print their plans instead of running/);
    expect(r.stdout).toMatch(/job: count\(\)/);
  });
});

describe('a reader that closes stdout early (`weft run … | head`)', () => {
  it('ends the command quietly instead of crashing with EPIPE', async () => {
    const child = spawn(process.execPath, [bin, 'run', fixture('ok.ts'), '--dry-run'], { cwd, env: { ...process.env } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
