import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/weft.js');
const cwd = mkdtempSync(join(tmpdir(), 'weft-df-cli-'));

function weft(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dataflow job modules on the command line', { timeout: 180_000 }, () => {
  it('weft run runs the word count example, and -p sets the CLI-level parallelism', () => {
    const r = weft('run', join(root, 'examples/wordcount.ts'), '-p', '3');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stage 0: 3 tasks ← source splits/);
    expect(r.stdout).toMatch(/flatMap\(λ\)\s+parallelism 3 \(CLI -p\)/);
    expect(r.stdout).toMatch(/keyBy\(#0\)\.sum\(1\)\s+parallelism 5 \(operator\)/);
    expect(r.stdout).toMatch(/14 distinct words/);
  });

  it('the environment level wins over -p, and the operator level over both', () => {
    const r = spawnSync(process.execPath, [bin, 'explain', join(root, 'examples/wordcount.ts'), '-p', '4'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, WORDCOUNT_ENV_PARALLELISM: '2' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/flatMap\(λ\)\s+parallelism 2 \(environment\)/);
    expect(r.stdout).toMatch(/parallelism 5 \(operator\)/);
  });

  it('explain names the real source of the parallelism: --conf, -p or the environment variable', () => {
    const conf = weft('explain', join(root, 'examples/wordcount.ts'), '--conf', 'weft.parallelism.default=3');
    expect(conf.code).toBe(0);
    expect(conf.stdout).toMatch(/flatMap\(λ\)\s+parallelism 3 \(CLI --conf\)/);
    const p = weft('explain', join(root, 'examples/wordcount.ts'), '-p', '2');
    expect(p.stdout).toMatch(/flatMap\(λ\)\s+parallelism 2 \(CLI -p\)/);
    const env = spawnSync(process.execPath, [bin, 'explain', join(root, 'examples/wordcount.ts')], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, WEFT_CONF_WEFT_PARALLELISM_DEFAULT: '3' },
    });
    expect(env.stdout).toMatch(/flatMap\(λ\)\s+parallelism 3 \(env WEFT_CONF_WEFT_PARALLELISM_DEFAULT\)/);
  });

  it('weft explain prints every action’s plan without running it', () => {
    const r = weft('explain', join(root, 'examples/wordcount.ts'), '-p', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/job: collect\(\) — 2 stages, 7 tasks/);
    expect(r.stdout).toMatch(/0 distinct words/);
  });

  it('runs the concurrent-jobs example (sequential vs FAIR, both warm)', () => {
    const r = weft('run', join(root, 'examples/concurrent-jobs.ts'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sequential: counts 60000 and 60000 in \d+ ms/);
    expect(r.stdout).toMatch(/concurrent \(FAIR\): counts 60000 and 60000 in \d+ ms/);
    // Both modes are timed warm: the workers start in an untimed round before either.
    expect(r.stdout).toMatch(/warm-up \(starts the workers, loads the code\): \d+ ms, not counted below\nsequential:/);
    expect(r.stdout).toMatch(/concurrent \/ sequential: \d+\.\d\d× the wall time/);
  });

  it('rejects a bad -p with exit 2', () => {
    const r = weft('run', join(root, 'examples/wordcount.ts'), '-p', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-p/);
  });
});
