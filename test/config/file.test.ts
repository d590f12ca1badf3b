import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { configErrorOf, projectWith } from './helpers.js';

/** Resolves a project whose config file holds `text`, with an empty environment. */
function load(text: string) {
  const { dir, file } = projectWith(text);
  return { file, config: () => resolveConfig({ cwd: dir, env: {} }) };
}

describe('config file forms', () => {
  it('reads nested maps, dotted keys and mixes of both', () => {
    const { file, config } = load(
      [
        'weft:',
        '  execution:',
        '    backend: process',
        '    executor.parallelism: 3',
        '  scheduler.mode: FAIR',
        'weft.task.maxFailures: 7',
        'weft.worker:',
        '  maxOldGenerationSizeMb: 512',
        '',
      ].join('\n'),
    );
    const resolved = config();
    expect(resolved.get('weft.execution.backend')).toBe('process');
    expect(resolved.get('weft.execution.executor.parallelism')).toBe(3);
    expect(resolved.get('weft.scheduler.mode')).toBe('FAIR');
    expect(resolved.get('weft.task.maxFailures')).toBe(7);
    expect(resolved.get('weft.worker.maxOldGenerationSizeMb')).toBe(512);
    expect(resolved.source('weft.execution.executor.parallelism')).toEqual({ kind: 'file', where: `${file}:4:5` });
    expect(resolved.source('weft.task.maxFailures')).toEqual({ kind: 'file', where: `${file}:6:1` });
  });

  it('takes weft.scheduler.pools as a leaf map of pools', () => {
    const { config } = load('weft:\n  scheduler:\n    pools:\n      etl: { mode: FAIR, weight: 2, minShare: 1 }\n      adhoc: {}\n');
    expect(config().get('weft.scheduler.pools')).toEqual({ etl: { mode: 'FAIR', weight: 2, minShare: 1 }, adhoc: {} });
  });

  it('accepts a percentage parallelism and explicit nulls', () => {
    const { config } = load('weft.execution.executor.parallelism: 100%\nweft.parallelMap.chunkSize: null\n');
    expect(config().get('weft.execution.executor.parallelism')).toBeGreaterThanOrEqual(1);
    expect(config().get('weft.parallelMap.chunkSize')).toBeNull();
  });

  it('accepts an empty file', () => {
    expect(load('').config().source('weft.scheduler.mode').kind).toBe('default');
  });

  it('reads scheduling modes in any case, as Spark does, and keeps them in upper case', () => {
    const { config } = load('weft:\n  scheduler:\n    mode: fair\n    pools:\n      etl: { mode: Fair, weight: 2 }\n      adhoc: { mode: fifo }\n');
    expect(config().get('weft.scheduler.mode')).toBe('FAIR');
    expect(config().get('weft.scheduler.pools')).toEqual({ etl: { mode: 'FAIR', weight: 2 }, adhoc: { mode: 'FIFO' } });
    const fromCli = resolveConfig({ env: { WEFT_CONF_WEFT_SCHEDULER_MODE: 'fAiR' }, cli: ['weft.scheduler.pools={"p":{"mode":"fair"}}'] });
    expect(fromCli.get('weft.scheduler.mode')).toBe('FAIR');
    expect(fromCli.get('weft.scheduler.pools')).toEqual({ p: { mode: 'FAIR' } });
  });
});

describe('config file: every problem at once', () => {
  it('reports all bad keys and values of one file in one error, each at its file:line:column', () => {
    const { file, config } = load(
      [
        'weft:',
        '  scheduler:',
        '    mode: fast',
        '    pools:',
        '      etl: { mode: sometimes, weight: 0 }',
        '  task.maxFailures: 0',
        '  schedular.mode: FAIR',
        'weft.execution.backend: threads',
        '',
      ].join('\n'),
    );
    const error = configErrorOf(config);
    expect(error.problems.map((p) => p.where)).toEqual([`${file}:3:11`, `${file}:5:20`, `${file}:5:39`, `${file}:6:21`, `${file}:7:3`, `${file}:8:25`]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(`${file}: 6 problems:`);
    expect(lines.slice(1)).toEqual(error.problems.map((p) => `  ${p.message}`));
    expect(error.message).toContain(`${file}:3:11: invalid value for \`weft.scheduler.mode\`: expected "FIFO" | "FAIR", got string "fast".`);
    expect(error.message).toMatch(new RegExp(`${escape(file)}:5:20: invalid value for \`weft.scheduler.pools\` at \`etl.mode\`: .*got string "sometimes"`));
    expect(error.message).toMatch(new RegExp(`${escape(file)}:5:39: invalid value for \`weft.scheduler.pools\` at \`etl.weight\`: .*got number 0`));
    expect(error.message).toContain(`${file}:6:21: invalid value for \`weft.task.maxFailures\`: expected integer ≥ 1, got number 0.`);
    expect(error.message).toContain(`${file}:7:3: unknown setting \`weft.schedular.mode\`. Did you mean \`weft.scheduler.mode\`?`);
    expect(error.message).toMatch(new RegExp(`${escape(file)}:8:25: invalid value for \`weft.execution.backend\``));
    expect(error.where).toBe(`${file}:3:11`);
  });

  it('reports every YAML syntax error too', () => {
    const { file, config } = load('weft.task.maxFailures: 1\nweft.task.maxFailures: 2\nweft.worker.abortGraceMs: 1\nweft.worker.abortGraceMs: 2\n');
    const error = configErrorOf(config);
    expect(error.problems.map((p) => p.where)).toEqual([`${file}:2:1`, `${file}:4:1`]);
    expect(error.message).toMatch(/2 problems:\n {2}.*:2:1: invalid YAML: Map keys must be unique.*\n {2}.*:4:1: invalid YAML: Map keys must be unique/);
  });
});

describe('config file errors name file:line:column', () => {
  it('unknown key, with the closest keys and the explain hint', () => {
    const { file, config } = load('weft:\n  scheduler:\n    mod: FAIR\n');
    const error = configErrorOf(config);
    expect(error.message).toBe(
      `${file}:3:5: unknown setting \`weft.scheduler.mod\`. Did you mean \`weft.scheduler.mode\`? Run \`weft config --explain\` to list every key.`,
    );
    expect(error.where).toBe(`${file}:3:5`);
  });

  it('unknown group, suggesting the group', () => {
    const { file, config } = load('weft:\n  schedular:\n    mode: FAIR\n');
    expect(configErrorOf(config).message).toContain(`${file}:2:3: unknown setting \`weft.schedular\`. Did you mean \`weft.scheduler\`?`);
  });

  it('bad enum: the choices and what arrived', () => {
    const { file, config } = load('weft.scheduler.mode: fast\n');
    expect(configErrorOf(config).message).toBe(
      `${file}:1:22: invalid value for \`weft.scheduler.mode\`: expected "FIFO" | "FAIR", got string "fast".`,
    );
  });

  it('bad number: the range and what arrived', () => {
    const { file, config } = load('weft:\n  task:\n    maxFailures: 0\n');
    expect(configErrorOf(config).message).toBe(`${file}:3:18: invalid value for \`weft.task.maxFailures\`: expected integer ≥ 1, got number 0.`);
    const fraction = load('weft.worker.abortGraceMs: 1.5\n');
    expect(configErrorOf(fraction.config).message).toBe(
      `${fraction.file}:1:27: invalid value for \`weft.worker.abortGraceMs\`: expected integer ≥ 0, got number 1.5.`,
    );
  });

  it('bad parallelism text', () => {
    const { file, config } = load('weft.execution.executor.parallelism: lots\n');
    expect(configErrorOf(config).message).toMatch(
      new RegExp(`^${escape(file)}:1:38: \`weft.execution.executor.parallelism\`: expected a parallelism as a whole number from 1 up`),
    );
  });

  it('bad value deep inside the pools map points at that value', () => {
    const { file, config } = load('weft.scheduler.pools:\n  etl:\n    mode: fast\n');
    const error = configErrorOf(config);
    expect(error.message).toMatch(new RegExp(`^${escape(file)}:3:11: invalid value for \`weft.scheduler.pools\` at \`etl.mode\`: .*got string "fast"`));
    const unknownField = load('weft.scheduler.pools:\n  etl:\n    wieght: 2\n');
    expect(configErrorOf(unknownField.config).message).toMatch(
      new RegExp(`^${escape(unknownField.file)}:3:5: invalid value for \`weft.scheduler.pools\` at \`etl\`: .*"wieght"`),
    );
  });

  it('a group given a scalar', () => {
    const { file, config } = load('weft:\n  scheduler: FAIR\n');
    expect(configErrorOf(config).message).toContain(`${file}:2:14: \`weft.scheduler\` is a group of settings, expected a map under it`);
  });

  it('the same key set twice through different forms', () => {
    const { file, config } = load('weft.scheduler.mode: FAIR\nweft:\n  scheduler:\n    mode: FIFO\n');
    expect(configErrorOf(config).message).toBe(
      `${file}:4:5: \`weft.scheduler.mode\` is set twice in ${file}, here and at ${file}:1:1. Keep one of them.`,
    );
  });

  it('invalid YAML', () => {
    const { file, config } = load('weft:\n  scheduler:\n    mode: FAIR: x\n');
    expect(configErrorOf(config).message).toMatch(new RegExp(`^${escape(file)}:3:11: invalid YAML: `));
    const duplicate = load('weft.task.maxFailures: 1\nweft.task.maxFailures: 2\n');
    expect(configErrorOf(duplicate.config).message).toMatch(new RegExp(`^${escape(duplicate.file)}:2:1: invalid YAML: Map keys must be unique`));
  });

  it('a top level that is not a map', () => {
    const { file, config } = load('- weft.scheduler.mode\n');
    expect(configErrorOf(config).message).toMatch(new RegExp(`^${escape(file)}:1:1: expected a map of settings`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
