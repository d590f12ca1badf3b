import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Pipeline, SequentialExecutor } from '../../src/index.js';
import { double } from '../fixtures/pipeline/steps.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/weft.js');

function run(p: Pipeline, cacheDir: string) {
  return p.run({ executor: new SequentialExecutor(), cacheDir });
}

describe('step cache', () => {
  it('reuses an output for the same code and params, and reruns when params change', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'weft-cache-'));
    const make = (x: number): Pipeline => {
      const p = new Pipeline('cached');
      p.addStep(double, { name: 'd', params: { x }, cache: true });
      return p;
    };
    const first = await run(make(2), cacheDir);
    expect(first.step('d')).toMatchObject({ output: 4 });
    expect(first.step('d').cached).toBeUndefined();
    const second = await run(make(2), cacheDir);
    expect(second.step('d')).toMatchObject({ output: 4, cached: true });
    const third = await run(make(3), cacheDir);
    expect(third.step('d')).toMatchObject({ output: 6 });
    expect(third.step('d').cached).toBeUndefined();
  });

  it('reruns when code the step calls in its module changes between runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-cache-code-'));
    const file = join(dir, 'mod.ts');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    const write = (body: string): void =>
      writeFileSync(
        file,
        `import { Pipeline, step } from '${pathToFileURL(join(root, 'dist/index.js')).href}';\nfunction helper(): number { return ${body}; }\n` +
          `export const s = step('s', () => helper());\nexport const pipeline = new Pipeline('code');\npipeline.addStep(s, { cache: true });\n`,
      );
    const run = (): { output: number; cached: boolean } => {
      const r = spawnSync(process.execPath, [bin, 'run', file, '--json', '--no-progress', '--backend', 'async'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, WEFT_CONF_WEFT_CACHE_DIR: join(dir, 'cache') },
      });
      const step = (JSON.parse(r.stdout) as { steps: Array<{ output: number; cached?: boolean }> }).steps[0]!;
      return { output: step.output, cached: step.cached === true };
    };
    write('1');
    expect(run()).toEqual({ output: 1, cached: false });
    expect(run()).toEqual({ output: 1, cached: true });
    write('2');
    expect(run()).toEqual({ output: 2, cached: false });
  });
});
