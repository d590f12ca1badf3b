import { describe, expect, it } from 'vitest';
import { SETTING_KEYS, formatExplain, resolveConfig } from '../../src/config/index.js';
import { projectWith } from './helpers.js';

describe('explain', () => {
  const { dir, file } = projectWith('weft:\n  scheduler:\n    pools:\n      etl: { weight: 2 }\n');
  const config = resolveConfig({
    cwd: dir,
    env: { WEFT_CONF_WEFT_SCHEDULER_MODE: 'FAIR' },
    cli: ['weft.task.maxFailures=1'],
    code: { 'weft.cache.dir': '/tmp/cache' },
  });

  it('lists every key in table order with value, source and description', () => {
    const rows = config.explain();
    expect(rows.map((row) => row.key)).toEqual(SETTING_KEYS);
    expect(rows.find((row) => row.key === 'weft.scheduler.pools')).toEqual({
      key: 'weft.scheduler.pools',
      value: { etl: { weight: 2 } },
      source: { kind: 'file', where: `${file}:3:5` },
      description: expect.stringContaining('scheduling pools') as unknown,
    });
    for (const row of rows) expect(row.description.length).toBeGreaterThan(20);
  });

  it('formats an aligned table with one line per key', () => {
    const lines = formatExplain(config).trimEnd().split('\n');
    expect(lines).toHaveLength(SETTING_KEYS.length + 1);
    expect(lines[0]).toMatch(/^KEY +VALUE +SOURCE +DESCRIPTION$/);
    const valueColumn = lines[0]?.indexOf('VALUE');
    const line = (key: string): string => lines.find((l) => l.startsWith(`${key} `)) ?? '';
    for (const l of lines) expect(l.endsWith(' ')).toBe(false);
    expect(line('weft.scheduler.mode').indexOf('FAIR')).toBe(valueColumn);
    expect(line('weft.scheduler.mode')).toContain('env WEFT_CONF_WEFT_SCHEDULER_MODE');
    expect(line('weft.scheduler.pools')).toContain(`{"etl":{"weight":2}}`);
    expect(line('weft.scheduler.pools')).toContain(`file ${file}:3:5`);
    expect(line('weft.task.maxFailures')).toContain('cli --conf');
    expect(line('weft.cache.dir')).toMatch(/\/tmp\/cache +code +Directory of the step cache/);
    expect(line('weft.execution.backend')).toMatch(/ thread +default \(built-in\) +Where tasks run/);
    expect(line('weft.parallelMap.chunkSize')).toMatch(/ null +default \(built-in\)/);
  });
});
