import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ResolveOptions } from '../../src/config/index.js';
import { ExecutionEnvironment, ParallelismError } from '../../src/dataflow/index.js';

function planWith(options: ResolveOptions): string {
  const env = ExecutionEnvironment.create({ config: resolveConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'weft-explain-')), ...options }) });
  return env.fromCollection([1, 2, 3]).map((x: number) => x + 1).explain();
}

describe('explain: where each parallelism came from', () => {
  it('names --conf for a --conf flag (it used to say "CLI -p")', () => {
    expect(planWith({ cli: ['weft.parallelism.default=3'] })).toMatch(/map\(λ\)\s+parallelism 3 \(CLI --conf\)/);
  });

  it('names -p for the -p shorthand', () => {
    expect(planWith({ cli: [{ entry: 'weft.parallelism.default=2', flag: '-p' }] })).toMatch(/map\(λ\)\s+parallelism 2 \(CLI -p\)/);
  });

  it('names the environment variable (it used to say "config")', () => {
    expect(planWith({ env: { WEFT_CONF_WEFT_PARALLELISM_DEFAULT: '4' } })).toMatch(/map\(λ\)\s+parallelism 4 \(env WEFT_CONF_WEFT_PARALLELISM_DEFAULT\)/);
  });

  it('names the config file with the line of the setting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-explain-file-'));
    writeFileSync(join(dir, 'weft.config.yaml'), '# settings\nweft.parallelism.default: 5\n');
    const text = planWith({ cwd: dir });
    expect(text).toContain(`parallelism 5 (config file ${join(dir, 'weft.config.yaml')}:2:`);
  });

  it('says where a parallelism above the max parallelism came from', () => {
    const env = ExecutionEnvironment.create({ config: resolveConfig({ env: { WEFT_CONF_WEFT_PARALLELISM_DEFAULT: '200' }, cli: [] }), maxParallelism: 128 });
    expect(() => env.fromCollection([1]).explain()).toThrow(ParallelismError);
    expect(() => env.fromCollection([1]).explain()).toThrow(/parallelism 200 \(from the env WEFT_CONF_WEFT_PARALLELISM_DEFAULT\)/);
  });
});

describe('explain: which action', () => {
  const env = ExecutionEnvironment.create({ parallelism: 2, backend: 'async' });
  const ds = env.fromCollection([1, 2, 3]).map((x: number) => x * 2);

  it('titles the job after the action asked for, count() by default', () => {
    expect(ds.explain()).toMatch(/^job: count\(\) — 1 stage, 2 tasks/);
    expect(ds.explain('collect')).toMatch(/^job: collect\(\) — /);
    expect(ds.explain('collect')).toMatch(/⇒ collect\(\)/);
    expect(ds.explain('writeCsv')).toMatch(/^job: writeCsv\(path\)/);
    expect(ds.explain('first')).toMatch(/^job: first\(n\)/);
  });

  it('rejects an unknown action, listing the known ones', () => {
    expect(() => ds.explain('save' as never)).toThrow(/explain: expected an action, one of 'count', 'collect'.*got string "save"/);
  });
});

describe('operator uids', () => {
  const env = ExecutionEnvironment.create({ parallelism: 2, backend: 'async' });
  afterAll(() => env.close());

  it('are shown by explain next to the operator', () => {
    const plan = env.fromCollection([1, 2]).uid('numbers').map((x: number) => x * 2).name('double').uid('doubler').explain();
    expect(plan).toMatch(/fromCollection\(2 items\).*uid "numbers"/);
    expect(plan).toMatch(/double .*uid "doubler"/);
  });

  it('must be unique within a job: the job fails before it starts, naming both operators', async () => {
    const a = env.fromCollection([1]).map((x: number) => x).name('left').uid('same');
    const b = env.fromCollection([2]).map((x: number) => x).name('right').uid('same');
    await expect(a.union(b).count()).rejects.toThrow(/operators left and right both have uid "same"; the uids of one job's operators must be unique/);
    // Separate jobs may reuse a uid.
    expect(await a.count()).toBe(1);
    expect(await b.count()).toBe(1);
  });

  it('must be non-empty strings', () => {
    expect(() => env.fromCollection([1]).uid('  ')).toThrow(/uid: expected a non-empty string, got/);
    expect(() => env.fromCollection([1]).uid(3 as never)).toThrow(/uid: expected a non-empty string, got/);
  });
});
