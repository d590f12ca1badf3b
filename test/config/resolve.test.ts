import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError, deserializeError, serializeError } from '../../src/errors.js';
import { ConfigError, SETTING_KEYS, envVarName, resolveConfig } from '../../src/config/index.js';
import { configErrorOf, projectWith } from './helpers.js';

const empty = projectWith('# nothing set\n').dir;

describe('resolveConfig precedence', () => {
  it('uses built-in defaults when nothing is set', () => {
    const config = resolveConfig({ cwd: empty, env: {} });
    expect(config.get('weft.execution.backend')).toBe('thread');
    expect(config.get('weft.execution.executor.parallelism')).toBe(os.availableParallelism());
    expect(config.get('weft.scheduler.mode')).toBe('FIFO');
    expect(config.get('weft.scheduler.pools')).toEqual({});
    expect(config.get('weft.task.maxFailures')).toBe(4);
    expect(config.get('weft.worker.maxOldGenerationSizeMb')).toBeNull();
    expect(config.get('weft.worker.abortGraceMs')).toBe(100);
    expect(config.get('weft.retry.maxDelayMs')).toBe(30000);
    expect(config.get('weft.cache.dir')).toBe('.weft/cache');
    expect(config.get('weft.parallelMap.chunkSize')).toBeNull();
    expect(config.source('weft.scheduler.mode')).toEqual({ kind: 'default', where: 'built-in' });
    expect(config.layers()).toEqual(['default', 'file', 'env', 'cli', 'code']);
  });

  it('lets each layer override the one below and reports its source', () => {
    const { dir, file } = projectWith('weft:\n  task:\n    maxFailures: 2\n  scheduler.mode: FAIR\n  retry.maxDelayMs: 10\n');
    const env = { WEFT_CONF_WEFT_SCHEDULER_MODE: 'FIFO', WEFT_CONF_WEFT_RETRY_MAXDELAYMS: '20', WEFT_CONF_WEFT_CACHE_DIR: '/env' };
    const cli = ['weft.retry.maxDelayMs=30', 'weft.cache.dir=/cli'];
    const code = { 'weft.cache.dir': '/code' };
    const config = resolveConfig({ cwd: dir, env, cli, code });

    expect(config.get('weft.task.maxFailures')).toBe(2);
    expect(config.source('weft.task.maxFailures')).toEqual({ kind: 'file', where: `${file}:3:5` });
    expect(config.get('weft.scheduler.mode')).toBe('FIFO');
    expect(config.source('weft.scheduler.mode')).toEqual({ kind: 'env', where: 'WEFT_CONF_WEFT_SCHEDULER_MODE' });
    expect(config.get('weft.retry.maxDelayMs')).toBe(30);
    expect(config.source('weft.retry.maxDelayMs')).toEqual({ kind: 'cli', where: '--conf' });
    expect(config.get('weft.cache.dir')).toBe('/code');
    expect(config.source('weft.cache.dir')).toEqual({ kind: 'code', where: 'code' });
    expect(config.source('weft.execution.backend').kind).toBe('default');
  });

  it('lets the last --conf for a key win', () => {
    const config = resolveConfig({ cwd: empty, env: {}, cli: ['weft.task.maxFailures=2', 'weft.task.maxFailures=3'] });
    expect(config.get('weft.task.maxFailures')).toBe(3);
  });

  it('with() stacks a code layer above everything and leaves the original unchanged', () => {
    const base = resolveConfig({ cwd: empty, env: {}, code: { 'weft.task.maxFailures': 2 } });
    const derived = base.with({ 'weft.task.maxFailures': 1, 'weft.scheduler.mode': 'FAIR' });
    expect(derived.get('weft.task.maxFailures')).toBe(1);
    expect(derived.get('weft.scheduler.mode')).toBe('FAIR');
    expect(derived.source('weft.scheduler.mode')).toEqual({ kind: 'code', where: 'code' });
    expect(base.get('weft.task.maxFailures')).toBe(2);
    expect(base.get('weft.scheduler.mode')).toBe('FIFO');
    expect(derived.layers()).toEqual(['default', 'file', 'env', 'cli', 'code', 'code']);
  });

  it('skips undefined code values and freezes map values', () => {
    const config = resolveConfig({
      cwd: empty,
      env: {},
      code: { 'weft.scheduler.mode': undefined, 'weft.scheduler.pools': { etl: { weight: 2 } } },
    });
    expect(config.source('weft.scheduler.mode').kind).toBe('default');
    const pools = config.get('weft.scheduler.pools');
    expect(Object.isFrozen(pools) && Object.isFrozen(pools.etl)).toBe(true);
  });

  it('reads WEFT_CONFIG, and the configFile option over it; a named file must exist', () => {
    const a = projectWith('weft.task.maxFailures: 5\n', 'a.yaml');
    const b = projectWith('weft.task.maxFailures: 6\n', 'b.yaml');
    expect(resolveConfig({ cwd: empty, env: { WEFT_CONFIG: a.file } }).get('weft.task.maxFailures')).toBe(5);
    expect(resolveConfig({ cwd: a.dir, env: { WEFT_CONFIG: 'a.yaml' } }).get('weft.task.maxFailures')).toBe(5);
    expect(resolveConfig({ cwd: empty, env: { WEFT_CONFIG: a.file }, configFile: b.file }).get('weft.task.maxFailures')).toBe(6);
    const error = configErrorOf(() => resolveConfig({ cwd: empty, env: { WEFT_CONFIG: `${a.dir}/missing.yaml` } }));
    expect(error.message).toContain(`${a.dir}/missing.yaml: cannot read the config file`);
  });

  it('works without any config file', () => {
    const config = resolveConfig({ cwd: `${empty}/no-such-dir`, env: {} });
    expect(config.layers()).toEqual(['default', 'env', 'cli', 'code']);
  });
});

describe('environment variables', () => {
  it('names each key WEFT_CONF_ + upper-cased key with dots as underscores, with no collisions', () => {
    expect(envVarName('weft.scheduler.mode')).toBe('WEFT_CONF_WEFT_SCHEDULER_MODE');
    expect(envVarName('weft.task.maxFailures')).toBe('WEFT_CONF_WEFT_TASK_MAXFAILURES');
    expect(new Set(SETTING_KEYS.map(envVarName)).size).toBe(SETTING_KEYS.length);
  });

  it('coerces text by the key type: numbers, null, JSON maps, percentages', () => {
    const config = resolveConfig({
      cwd: empty,
      env: {
        WEFT_CONF_WEFT_WORKER_ABORTGRACEMS: ' 0 ',
        WEFT_CONF_WEFT_PARALLELMAP_CHUNKSIZE: 'null',
        WEFT_CONF_WEFT_SCHEDULER_POOLS: '{"etl":{"mode":"FAIR","weight":2}}',
        WEFT_CONF_WEFT_EXECUTION_EXECUTOR_PARALLELISM: '100%',
        WEFT_CONF_WEFT_CACHE_DIR: '',
        WEFT_CONFIG: '',
      },
    });
    expect(config.get('weft.worker.abortGraceMs')).toBe(0);
    expect(config.get('weft.parallelMap.chunkSize')).toBeNull();
    expect(config.source('weft.parallelMap.chunkSize').kind).toBe('env');
    expect(config.get('weft.scheduler.pools')).toEqual({ etl: { mode: 'FAIR', weight: 2 } });
    expect(config.get('weft.execution.executor.parallelism')).toBe(os.availableParallelism());
    expect(config.source('weft.cache.dir').kind).toBe('default');
  });

  it('rejects an unknown WEFT_CONF_ name with the closest variables', () => {
    const error = configErrorOf(() => resolveConfig({ cwd: empty, env: { WEFT_CONF_WEFT_SCHEDULER_MOD: 'FAIR' } }));
    expect(error.message).toBe(
      'WEFT_CONF_WEFT_SCHEDULER_MOD: unknown setting `WEFT_CONF_WEFT_SCHEDULER_MOD`. Did you mean `WEFT_CONF_WEFT_SCHEDULER_MODE`? ' +
        'Run `weft config --explain` to list every key.',
    );
    expect(configErrorOf(() => resolveConfig({ cwd: empty, env: { WEFT_CONF_weft_scheduler_mode: 'FAIR' } })).message).toContain(
      'Did you mean `WEFT_CONF_WEFT_SCHEDULER_MODE`?',
    );
  });

  it('rejects a bad value naming the variable, the expectation and what arrived', () => {
    const error = configErrorOf(() => resolveConfig({ cwd: empty, env: { WEFT_CONF_WEFT_TASK_MAXFAILURES: 'many' } }));
    expect(error.message).toBe('WEFT_CONF_WEFT_TASK_MAXFAILURES: invalid value for `weft.task.maxFailures`: expected integer ≥ 1, got string "many".');
    expect(error.key).toBe('weft.task.maxFailures');
  });

  it('rejects malformed JSON for a map', () => {
    const error = configErrorOf(() => resolveConfig({ cwd: empty, env: { WEFT_CONF_WEFT_SCHEDULER_POOLS: '{etl}' } }));
    expect(error.message).toMatch(/^WEFT_CONF_WEFT_SCHEDULER_POOLS: invalid value for `weft.scheduler.pools`: expected JSON for map of name/);
  });
});

describe('--conf and code values', () => {
  it('rejects a flag without key=value', () => {
    expect(configErrorOf(() => resolveConfig({ cwd: empty, env: {}, cli: ['weft.scheduler.mode'] })).message).toBe(
      '--conf weft.scheduler.mode: expected key=value, e.g. --conf weft.scheduler.mode=FAIR.',
    );
  });

  it('rejects an unknown key with suggestions', () => {
    const error = configErrorOf(() => resolveConfig({ cwd: empty, env: {}, cli: ['scheduler.mode=FAIR'] }));
    expect(error.message).toBe(
      '--conf scheduler.mode=FAIR: unknown setting `scheduler.mode`. Did you mean `weft.scheduler.mode`? Run `weft config --explain` to list every key.',
    );
  });

  it('rejects a bad enum with the choices and the closest one', () => {
    const error = configErrorOf(() => resolveConfig({ cwd: empty, env: {}, cli: ['weft.scheduler.mode=fai'] }));
    expect(error.message).toBe(
      '--conf weft.scheduler.mode=fai: invalid value for `weft.scheduler.mode`: expected "FIFO" | "FAIR", got string "fai". Did you mean "FAIR"?',
    );
  });

  it('checks code values without coercing them, and names unknown code keys', () => {
    expect(configErrorOf(() => resolveConfig({ cwd: empty, env: {}, code: { 'weft.task.maxFailures': '2' } })).message).toBe(
      'code: invalid value for `weft.task.maxFailures`: expected integer ≥ 1, got string "2".',
    );
    expect(configErrorOf(() => resolveConfig({ cwd: empty, env: {}, code: { 'weft.task.maxFailure': 2 } })).message).toContain(
      'code: unknown setting `weft.task.maxFailure`. Did you mean `weft.task.maxFailures`?',
    );
    expect(resolveConfig({ cwd: empty, env: {}, code: { 'weft.execution.executor.parallelism': '1%' } }).get('weft.execution.executor.parallelism')).toBe(1);
  });

  it('is a UsageError that keeps its class across a worker boundary', () => {
    const error = configErrorOf(() => resolveConfig({ cwd: empty, env: {}, cli: ['x=1'] }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe('WEFT_CONFIG');
    const copy = deserializeError(structuredClone(serializeError(error)));
    expect(copy).toBeInstanceOf(ConfigError);
    expect((copy as ConfigError).key).toBe('x');
  });
});
