// The README's main example, as a user types it: `weft job build -f examples/weather main
// year:start=2011 year:end=2015 -j 2` (data, outputs and the state store in a temporary folder).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWeather } from '../../examples/weather/generate.js';

const root = join(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'weft-weather-cli-'));
beforeAll(() => generateWeather(join(tmp, 'data'), { scale: 1, years: [2011, 2015] }));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function weft(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const where = ['-D', `datadir=${join(tmp, 'data')}`, '-D', `outdir=${join(tmp, 'out')}`, '--conf', `weft.store.url=sqlite:${join(tmp, 'state.db')}`];
  const r = spawnSync(process.execPath, [join(root, 'bin/weft.js'), ...args, ...where], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the README quick start', { timeout: 240_000 }, () => {
  it('builds 2011 … 2014 (end exclusive) two instances at once, then finds every build clean', () => {
    const first = weft('job', 'build', '-f', 'examples/weather', 'main', 'year:start=2011', 'year:end=2015', '-j', '2');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/build of job main \(project weather\): 4 instances, 2 at once, parallel executor/);
    for (const year of [2011, 2012, 2013, 2014]) {
      expect(first.stdout).toMatch(new RegExp(`year=${year}\\s+succeeded`));
      expect(existsSync(join(tmp, 'out', 'aggregates', `year=${year}`, '_SUCCESS'))).toBe(true);
    }
    expect(existsSync(join(tmp, 'out', 'aggregates', 'year=2015'))).toBe(false);
    const again = weft('job', 'build', '-f', 'examples/weather', 'main', 'year:start=2011', 'year:end=2015', '-j', '2', '--no-progress');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/year=2014\s+succeeded\s+1 ok\s+3 clean\s+3 clean\s+3 ok/);
  });
});
