// `weft run`, `weft explain` and `weft job build` of TypeScript modules (and a plain .js module)
// with import/export in a CommonJS package (no "type": "module"): the command loads them as ESM, and
// so do the thread and process workers that import them to find their functions (the built
// workers, which register the loader lazily).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCommonJsPackage } from '../helpers/commonjs-package.js';

const bin = join(import.meta.dirname, '../../bin/weft.js');
const cwd = writeCommonJsPackage();

function weft(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a CommonJS package with TypeScript modules written in ESM syntax', () => {
  it.each(['async', 'thread', 'process'])('weft run <job module> --backend %s runs its exported function', (backend) => {
    const r = weft('run', 'job.ts', '--backend', backend);
    expect(r.stderr).not.toMatch(/Cannot|require\(\)/);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/tripled 3,6,9,12/);
  });

  it.each(['async', 'thread', 'process'])('weft run <plain .js job module in ESM syntax> --backend %s runs it, its workers importing it too', (backend) => {
    const r = weft('run', 'plain-job.js', '--backend', backend);
    expect(r.stderr).not.toMatch(/Cannot use import|require\(\)/);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/doubled 2,4,6,8/);
  });

  it('weft explain <job module> loads it and prints its plan', () => {
    const r = weft('explain', 'job.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/map\(tripleRecord\)/);
  });

  it.each(['thread', 'process'])('weft run <pipeline module> --backend %s runs a step its workers import', (backend) => {
    const r = weft('run', 'pipeline.ts', '--backend', backend, '--json');
    expect(r.stderr).not.toMatch(/Cannot|require\(\)/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { outputs: Record<string, unknown>; steps: Array<{ backend: string }> };
    expect(summary.outputs).toEqual({ tripled: 21 });
    expect(summary.steps[0]?.backend).toBe(backend);
  });

  it('weft job build of a project loads its function mapping module', () => {
    const r = weft('job', 'build', '-f', '.', 'main', '--no-progress');
    expect(r.stderr).not.toMatch(/cannot load module/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/s1\s+DE\s+s1x3/);
    expect(r.stdout).toMatch(/s2\s+FR\s+s2x3/);
  });
});
