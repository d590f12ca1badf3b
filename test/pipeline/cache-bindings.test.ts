// The step cache keys the values of the module-level bindings a step reads, not only its code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Pipeline, SequentialExecutor, type Step } from '../../src/index.js';
import { UncacheableStepError } from '../../src/pipeline/errors.js';
import { connects, labelled, scaled, setFactor, setOffset, shifted } from '../fixtures/pipeline/module-values.js';

type AnyStep = Step<unknown, unknown>;

function runOnce(fn: AnyStep, cacheDir: string, cache = true) {
  const p = new Pipeline('bindings');
  p.addStep(fn, { name: 's', cache });
  return p.run({ executor: new SequentialExecutor(), cacheDir });
}

async function outcome(fn: AnyStep, cacheDir: string): Promise<{ output: unknown; cached: boolean }> {
  const step = (await runOnce(fn, cacheDir)).step('s');
  if (step.error) throw step.error;
  return { output: step.output, cached: step.cached === true };
}

describe('step cache: module-level values', () => {
  afterEach(() => {
    setFactor(2);
    setOffset(0);
  });

  it('reruns a step when a module-level value it reads changed', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'weft-cache-values-'));
    expect(await outcome(scaled, cacheDir)).toEqual({ output: 20, cached: false });
    expect(await outcome(scaled, cacheDir)).toEqual({ output: 20, cached: true });
    setFactor(3);
    expect(await outcome(scaled, cacheDir)).toEqual({ output: 30, cached: false });
    setFactor(2);
    expect(await outcome(scaled, cacheDir)).toEqual({ output: 20, cached: true });
  });

  it('follows the functions of the same module that the step calls', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'weft-cache-helper-'));
    expect(await outcome(shifted, cacheDir)).toEqual({ output: 101, cached: false });
    expect(await outcome(shifted, cacheDir)).toEqual({ output: 101, cached: true });
    setOffset(5);
    expect(await outcome(shifted, cacheDir)).toEqual({ output: 106, cached: false });
  });

  it('keys plain data holding functions and sets', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'weft-cache-data-'));
    expect(await outcome(labelled, cacheDir)).toEqual({ output: '#2', cached: false });
    expect(await outcome(labelled, cacheDir)).toEqual({ output: '#2', cached: true });
  });

  it('refuses cache: true for a step that reads a class instance, naming the step, the binding and the fix', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'weft-cache-refused-'));
    const error = await runOnce(connects, cacheDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncacheableStepError);
    expect((error as Error).message).toMatch(/step "s" has cache: true, but it reads the module-level binding `client`, which holds a Client instance/);
    expect((error as Error).message).toMatch(/params or inputs.*cache: false/);
    // Without the cache there is nothing to key.
    expect((await runOnce(connects, cacheDir, false)).step('s').output).toBe('db://example');
  });
});

describe('step cache: module-level values under `weft run`', () => {
  const root = join(import.meta.dirname, '../..');
  const bin = join(root, 'bin/weft.js');
  const weft = pathToFileURL(join(root, 'dist/index.js')).href;

  function project(body: string): { dir: string; file: string } {
    const dir = mkdtempSync(join(tmpdir(), 'weft-cache-env-'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    const file = join(dir, 'mod.ts');
    writeFileSync(file, `import { Pipeline, step } from '${weft}';\n${body}\nexport const pipeline = new Pipeline('env');\npipeline.addStep(mul, { cache: true });\n`);
    return { dir, file };
  }

  function weftRun(dir: string, file: string, env: Record<string, string>, ...args: string[]) {
    return spawnSync(process.execPath, [bin, 'run', file, '--no-progress', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, WEFT_CONF_WEFT_CACHE_DIR: join(dir, 'cache'), ...env },
    });
  }

  it('reruns a step whose module read an environment variable at import time when that variable changes', () => {
    const { dir, file } = project(
      [
        "import { join } from 'node:path';",
        "import * as path from 'node:path';",
        "import fs from 'node:fs';",
        "import crypto from 'node:crypto';",
        'const factor = Number(process.env.FACTOR);',
        "const sizes = (): number => join('a', 'b').length + path.sep.length + (fs.existsSync('/') ? 1 : 0) + crypto.createHash('sha1').digest().length;",
        "export const mul = step('mul', () => factor * 10 + sizes() - 25);",
      ].join('\n'),
    );
    const run = (factor: string): { output: number; cached: boolean } => {
      const r = weftRun(dir, file, { FACTOR: factor }, '--json', '--backend', 'async');
      expect(r.stderr).toBe('');
      const step = (JSON.parse(r.stdout) as { steps: Array<{ output: number; cached?: boolean }> }).steps[0]!;
      return { output: step.output, cached: step.cached === true };
    };
    expect(run('2')).toEqual({ output: 20, cached: false });
    expect(run('2')).toEqual({ output: 20, cached: true });
    expect(run('3')).toEqual({ output: 30, cached: false });
  });

  it('refuses the run before anything starts when a cached step reads a value that cannot be keyed', () => {
    const { dir, file } = project("const endpoint = new URL('https://example.com');\nexport const mul = step('mul', () => endpoint.host);");
    const r = weftRun(dir, file, {}, '--dry-run');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/step "mul" has cache: true, but it reads the module-level binding `endpoint`, which holds a URL instance/);
  });
});
