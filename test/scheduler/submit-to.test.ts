import { describe, expect, it } from 'vitest';
import { CancelledError, UsageError } from '../../src/errors.js';
import { AsyncBackend } from '../../src/runtime/async-backend.js';
import type { TaskOutcome, TaskRequest } from '../../src/runtime/backend.js';
import { TaskScheduler } from '../../src/scheduler/index.js';
import type { TaskResult, TaskSink } from '../../src/scheduler/index.js';
import { InstantBackend } from './fakes.js';

/** A sink that records what it was told, in order. */
function recordingSink(): TaskSink & { calls: string[]; done: Promise<TaskResult> } {
  const calls: string[] = [];
  let resolve!: (result: TaskResult) => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<TaskResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    calls,
    done,
    started: (slot) => calls.push(`started ${slot}`),
    resolve: (result) => {
      calls.push('resolve');
      resolve(result);
    },
    reject: (error) => {
      calls.push('reject');
      reject(error);
    },
  };
}

const local = (fn: (input: unknown) => unknown, label = 'task'): TaskRequest => ({ fn: { kind: 'local', fn, id: label }, mode: 'call', input: 1, label });

describe('TaskScheduler.submitTo', () => {
  it('tells the sink where the task started, then its result (backend without start())', async () => {
    const scheduler = new TaskScheduler({ backend: new InstantBackend(2) });
    const set = scheduler.createTaskSet({ name: 'stage' });
    const sink = recordingSink();
    scheduler.submitTo(sink, set, { fn: { kind: 'local', fn: () => 0, id: 'x' }, mode: 'call', input: 42, label: 'x' });
    const result = await sink.done;
    expect(sink.calls).toEqual(['started 0', 'resolve']);
    expect(result).toMatchObject({ value: 42, slot: 0, attempts: 1, backend: 'async' });
    set.close();
    await scheduler.close();
  });

  it('rejects a task refused at once before returning', async () => {
    const scheduler = new TaskScheduler({ backend: new InstantBackend(1) });
    const set = scheduler.createTaskSet({ name: 'stage' });
    set.close();
    const sink = recordingSink();
    scheduler.submitTo(sink, set, local(() => 0));
    expect(sink.calls).toEqual(['reject']);
    await expect(sink.done).rejects.toThrow(UsageError);
    await scheduler.close();
  });

  it('runs in-process tasks through the backend start(): in the task context, with nested submissions seen as nested', async () => {
    const scheduler = new TaskScheduler({ backend: new AsyncBackend({ slots: 1 }) });
    const set = scheduler.createTaskSet({ name: 'outer' });
    const inner = scheduler.createTaskSet({ name: 'inner' });
    // With one slot, the nested task can only run if its parent gave its slot back.
    const sink = recordingSink();
    scheduler.submitTo(sink, set, local(async () => (await scheduler.submit(inner, local(() => 'child', 'child'))).value, 'parent'));
    expect((await sink.done).value).toBe('child');
    set.close();
    inner.close();
    await scheduler.close();
  });

  it('an aborted in-process task rejects with the reason, and its slot goes to the next task', async () => {
    const scheduler = new TaskScheduler({ backend: new AsyncBackend({ slots: 1 }) });
    const set = scheduler.createTaskSet({ name: 'stage' });
    const controller = new AbortController();
    const stuck = recordingSink();
    scheduler.submitTo(stuck, set, local(() => new Promise(() => {}), 'stuck'), { signal: controller.signal });
    const next = scheduler.submit(set, local(() => 'next', 'next'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new CancelledError('stop');
    controller.abort(reason);
    await expect(stuck.done).rejects.toBe(reason);
    expect((await next).value).toBe('next');
    set.close();
    await scheduler.close();
  });
});

describe('AsyncBackend.start', () => {
  it('reports a refused run after a microtask, never inside start()', async () => {
    const backend = new AsyncBackend({ slots: 1 });
    await backend.close();
    const failures: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      backend.start(local(() => 0), { slot: 0, taskId: 0, signal: new AbortController().signal }, {
        succeeded: (_: TaskOutcome) => resolve(),
        failed: (error) => {
          failures.push(error);
          resolve();
        },
      });
    });
    expect(failures).toEqual([]);
    await done;
    expect(failures[0]).toBeInstanceOf(CancelledError);
  });
});

describe('a task set drained and given more tasks', () => {
  it('runs the later tasks in submission order', async () => {
    const backend = new InstantBackend(1);
    const scheduler = new TaskScheduler({ backend });
    const set = scheduler.createTaskSet({ name: 'stage' });
    await scheduler.submit(set, local(() => 0, 'a'));
    await Promise.all(['b', 'c', 'd'].map((label) => scheduler.submit(set, local(() => 0, label))));
    expect(backend.order).toEqual(['a', 'b', 'c', 'd']);
    set.close();
    await scheduler.close();
  });
});
