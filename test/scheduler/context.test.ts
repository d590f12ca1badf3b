// Pools and job groups from the async context, and the errors for pools that are wrong.
import { afterEach, describe, expect, it } from 'vitest';
import { deserializeError, serializeError } from '../../src/errors.js';
import {
  InvalidPoolConfigError,
  TaskScheduler,
  UnknownPoolError,
  currentJobGroup,
  currentPool,
  withJobGroup,
  withPool,
} from '../../src/scheduler/index.js';
import type { TaskSet } from '../../src/scheduler/index.js';
import { currentTaskRecord } from '../../src/scheduler/context.js';
import { Task } from '../../src/scheduler/task.js';
import { InlineBackend, InstantBackend, local } from './fakes.js';

const open: TaskScheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function make(pools: Record<string, object> = { etl: {}, adhoc: {} }): TaskScheduler {
  const scheduler = new TaskScheduler({ backend: new InlineBackend(2), mode: 'FAIR', pools });
  open.push(scheduler);
  return scheduler;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

describe('async context', () => {
  it('withPool and withJobGroup reach task sets created after awaits', async () => {
    const scheduler = make();
    const set = await withPool('etl', () =>
      withJobGroup('nightly', async () => {
        await tick();
        await Promise.resolve();
        expect([currentPool(), currentJobGroup()]).toEqual(['etl', 'nightly']);
        return scheduler.createTaskSet({ name: 'load' });
      }),
    );
    expect([set.pool, set.jobGroup]).toEqual(['etl', 'nightly']);
    expect([currentPool(), currentJobGroup()]).toEqual([undefined, undefined]);
  });

  it('explicit options win over the context; the default pool and no group apply outside any', () => {
    const scheduler = make();
    const set = withPool('etl', () => scheduler.createTaskSet({ name: 'x', pool: 'adhoc', jobGroup: 'g' }));
    expect([set.pool, set.jobGroup]).toEqual(['adhoc', 'g']);
    const plain = scheduler.createTaskSet({ name: 'y' });
    expect([plain.pool, plain.jobGroup]).toEqual(['default', undefined]);
  });

  it('inner withPool overrides outer, and concurrent contexts do not leak into each other', async () => {
    const scheduler = make();
    const [a, b] = await Promise.all([
      withPool('etl', async () => {
        await tick();
        return withPool('adhoc', () => scheduler.createTaskSet({ name: 'a' }));
      }),
      withPool('etl', async () => {
        await tick();
        return scheduler.createTaskSet({ name: 'b' });
      }),
    ]);
    expect([a.pool, b.pool]).toEqual(['adhoc', 'etl']);
  });

  it('code running inside a task inherits its task set pool and job group for nested task sets', async () => {
    const scheduler = make();
    const outer = withJobGroup('g1', () => scheduler.createTaskSet({ name: 'outer', pool: 'etl' }));
    const result = await scheduler.submit(
      outer,
      local('parent', async () => {
        await tick();
        const inner = scheduler.createTaskSet({ name: 'inner' });
        const child = await scheduler.submit(inner, local('child', () => [currentPool(), currentJobGroup()]));
        return { inner: [inner.pool, inner.jobGroup], child: child.value };
      }),
    );
    expect(result.value).toEqual({ inner: ['etl', 'g1'], child: ['etl', 'g1'] });
  });
});

describe('pool errors', () => {
  it('an unknown pool lists the defined pools and the fix', () => {
    const scheduler = make({ etl: {} });
    let error: unknown;
    try {
      withPool('etx', () => scheduler.createTaskSet({ name: 'x' }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownPoolError);
    const message = (error as Error).message;
    expect(message).toContain('"etx"');
    expect(message).toContain('"default", "etl"');
    expect(message).toContain('Define it under `weft.scheduler.pools`');
    expect(deserializeError(serializeError(error))).toBeInstanceOf(UnknownPoolError);
  });

  it.each([
    [{ p: { weight: 0 } }, '`weight` of scheduling pool "p" to be a number greater than 0, got number 0'],
    [{ p: { minShare: -1 } }, '`minShare` of scheduling pool "p" to be a number from 0 and up, got number -1'],
    [{ p: { mode: 'fair' } }, `\`mode\` of scheduling pool "p" to be 'FIFO' or 'FAIR' (upper case), got string "fair"`],
  ])('rejects invalid pool config %j', (pools, expected) => {
    const build = (): TaskScheduler => new TaskScheduler({ backend: new InstantBackend(1), pools: pools as never });
    expect(build).toThrow(InvalidPoolConfigError);
    expect(build).toThrow(expected);
  });

  it('names the root pool and the option to fix for a bad root mode', () => {
    expect(() => new TaskScheduler({ backend: new InstantBackend(1), mode: 'RANDOM' as never })).toThrow(
      "Expected `mode` of scheduling pool \"(root)\" to be 'FIFO' or 'FAIR' (upper case), got string \"RANDOM\". Fix the scheduler's `mode` option.",
    );
  });

  it('rejects slots beyond the backend and a maxFailures below 1', () => {
    expect(() => new TaskScheduler({ backend: new InstantBackend(2), slots: 3 })).toThrow('`slots` to be an integer from 1 to 2');
    expect(() => new TaskScheduler({ backend: new InstantBackend(2), maxFailures: 0 })).toThrow('`maxFailures` to be an integer from 1 and up, got number 0');
  });

  it('the default pool can be overridden', async () => {
    const scheduler = new TaskScheduler({ backend: new InstantBackend(1), pools: { default: { mode: 'FAIR', weight: 3 } } });
    open.push(scheduler);
    const set: TaskSet = scheduler.createTaskSet({ name: 's' });
    await expect(scheduler.submit(set, local('t', () => 1))).resolves.toMatchObject({ attempts: 1, slot: 0, backend: 'async' });
  });
});

describe('the context a task keeps', () => {
  it('is never another task: a task submitted from a task’s code keeps the context that task was submitted in', async () => {
    const scheduler = make();
    const set = scheduler.createTaskSet({ name: 'chain' });
    const result = await scheduler.submit(
      set,
      local('parent', async () => {
        const child = await scheduler.submit(set, local('child', () => currentTaskRecord()));
        return { parent: currentTaskRecord(), child: child.value };
      }),
    );
    const { parent, child } = result.value as { parent: Task; child: Task };
    expect(parent).toBeInstanceOf(Task);
    expect(child).toBeInstanceOf(Task);
    expect(child).not.toBe(parent);
    // Keeping the parent would keep every task of a chain reachable until the chain ends.
    expect(child.outer).not.toBeInstanceOf(Task);
    expect(child.outer).toBe(parent.outer);
  });
});
