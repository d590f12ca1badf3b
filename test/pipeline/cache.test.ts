import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Pipeline, SequentialExecutor, type Step } from '../../src/index.js';
import { double } from '../fixtures/pipeline/steps.js';

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

  it('reruns when code the step calls in its module changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-cache-code-'));
    const cacheDir = join(dir, 'cache');
    const srcIndex = pathToFileURL(join(import.meta.dirname, '../../src/index.ts')).href;
    const write = (body: string): void =>
      writeFileSync(
        join(dir, 'mod.ts'),
        `import { step } from '${srcIndex}';\nfunction helper(): number { return ${body}; }\nexport const s = step('s', () => helper());\n`,
      );
    const load = async (v: number): Promise<Step> => ((await import(`${pathToFileURL(join(dir, 'mod.ts')).href}?v=${v}`)) as { s: Step }).s;
    write('1');
    const p1 = new Pipeline('code');
    p1.addStep(await load(1), { name: 's', cache: true });
    expect((await run(p1, cacheDir)).step('s')).toMatchObject({ output: 1 });
    write('2');
    const p2 = new Pipeline('code');
    p2.addStep(await load(2), { name: 's', cache: true });
    const r2 = await run(p2, cacheDir);
    expect(r2.step('s')).toMatchObject({ output: 2 });
    expect(r2.step('s').cached).toBeUndefined();
  });
});
