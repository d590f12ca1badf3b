import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, moduleFingerprint, resolveImport } from '../../src/pipeline/module-fingerprint.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/weft.js');

describe('step cache: every import of the step module counts', () => {
  it('reruns when a helper imported through a package.json "imports" alias changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-cache-alias-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', imports: { '#helper': './helper.js' } }));
    writeFileSync(
      join(dir, 'mod.ts'),
      `import { Pipeline, step } from '${pathToFileURL(join(root, 'dist/index.js')).href}';\nimport { helper } from '#helper';\n` +
        `export const s = step('s', () => helper());\nexport const pipeline = new Pipeline('alias');\npipeline.addStep(s, { cache: true });\n`,
    );
    const writeHelper = (value: number): void => writeFileSync(join(dir, 'helper.ts'), `export function helper(): number { return ${value}; }\n`);
    const run = (): { output: number; cached: boolean } => {
      const r = spawnSync(process.execPath, [bin, 'run', join(dir, 'mod.ts'), '--json', '--no-progress', '--backend', 'async'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, WEFT_CONF_WEFT_CACHE_DIR: join(dir, 'cache') },
      });
      expect(r.stderr).toBe('');
      const step = (JSON.parse(r.stdout) as { steps: Array<{ output: number; cached?: boolean }> }).steps[0]!;
      return { output: step.output, cached: step.cached === true };
    };
    writeHelper(1);
    expect(run()).toEqual({ output: 1, cached: false });
    expect(run()).toEqual({ output: 1, cached: true });
    writeHelper(2);
    expect(run()).toEqual({ output: 2, cached: false });
  });

  it('follows require() and dynamic import() with a string, and maps .js to .ts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-cache-fp-'));
    const file = join(dir, 'mod.ts');
    writeFileSync(file, `const a = require('./a.cjs');\nexport const load = () => import('./b.js');\nimport 'node:fs';\nimport yaml from 'yaml';\n`);
    writeFileSync(join(dir, 'a.cjs'), 'module.exports = 1;\n');
    writeFileSync(join(dir, 'b.ts'), 'export const b = 1;\n');
    expect(importSpecifiers(`import x, { y } from './x.js';\nexport * from "./z.js";\nconst m = await import('./m.js');\nrequire('r');`)).toEqual([
      './x.js',
      './z.js',
      './m.js',
      'r',
    ]);
    expect(resolveImport('./b.js', file)).toBe(join(dir, 'b.ts'));
    const before = moduleFingerprint(file);
    expect(moduleFingerprint(file)).toBe(before);
    writeFileSync(join(dir, 'a.cjs'), 'module.exports = 2;\n');
    const afterRequire = moduleFingerprint(file);
    expect(afterRequire).not.toBe(before);
    writeFileSync(join(dir, 'b.ts'), 'export const b = 2;\n');
    expect(moduleFingerprint(file)).not.toBe(afterRequire);
  });

  it('hashes a node_modules package by name@version, not by reading it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-cache-pkg-'));
    const pkg = join(dir, 'node_modules', 'fake-lib');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'fake-lib', version: '1.0.0', main: 'index.js' }));
    writeFileSync(join(pkg, 'index.js'), 'module.exports = 1;\n');
    const file = join(dir, 'mod.ts');
    writeFileSync(file, `import lib from 'fake-lib';\nexport default lib;\n`);
    const v1 = moduleFingerprint(file);
    writeFileSync(join(pkg, 'index.js'), 'module.exports = 1; // same version, other bytes\n');
    expect(moduleFingerprint(file)).toBe(v1);
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'fake-lib', version: '1.0.1', main: 'index.js' }));
    expect(moduleFingerprint(file)).not.toBe(v1);
  });
});
