// Crash retries, cancellation by signal and by job group, and closing.
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import { TaskScheduler, cancelJobGroup, withJobGroup } from '../../src/scheduler/index.js';
import type { TaskResult } from '../../src/scheduler/index.js';
import { ManualBackend, crash, flush, req } from './fakes.js';

const open: TaskScheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function make(slots: number, maxFailures?: number): { backend: ManualBackend; scheduler: TaskScheduler } {
  const backend = new ManualBackend(slots);
  const scheduler = new TaskScheduler({ backend, ...(maxFailures === undefined ? {} : { maxFailures }) });
  open.push(scheduler);
  return { backend, scheduler };
}

/** Captures how a promise settles without leaving a rejection unhandled. */
function settle(promise: Promise<TaskResult>): { result?: TaskResult; error?: unknown; done: Promise<void> } {
  const out: { result?: TaskResult; error?: unknown; done: Promise<void> } = { done: Promise.resolve() };
  out.done = promise.then(
    (result) => void (out.result = result),
    (error: unknown) => void (out.error = error),
  );
  return out;
}

describe('crash retries', () => {
  it('retries a crashed task up to maxFailures attempts, incrementing attempt', async () => {
    const { backend, scheduler } = make(1, 3);
    const t = settle(scheduler.submit(scheduler.createTaskSet({ name: 's' }), req('t')));
    for (let i = 0; i < 3; i++) {
      backend.fail(backend.idOf('t'), crash());
      await flush();
    }
    await t.done;
    expect((t.error as Error).name).toBe('WorkerCrashedError');
    expect(backend.runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it('reports the attempts of a task that succeeds after crashes', async () => {
    const { backend, scheduler } = make(1);
    const t = settle(scheduler.submit(scheduler.createTaskSet({ name: 's' }), req('t')));
    backend.fail(backend.idOf('t'), crash());
    await flush();
    backend.fail(backend.idOf('t'), crash());
    await flush();
    backend.finish(backend.idOf('t'), 'ok');
    await t.done;
    expect(t.result).toMatchObject({ value: 'ok', attempts: 3 });
  });

  it('the submit option overrides maxFailures, and other errors are never retried', async () => {
    const { backend, scheduler } = make(2);
    const set = scheduler.createTaskSet({ name: 's' });
    const once = settle(scheduler.submit(set, req('once'), { maxFailures: 1 }));
    const user = settle(scheduler.submit(set, req('user')));
    backend.fail(backend.idOf('once'), crash());
    backend.fail(backend.idOf('user'), new TypeError('bad input'));
    await Promise.all([once.done, user.done]);
    expect((once.error as Error).name).toBe('WorkerCrashedError');
    expect(user.error).toBeInstanceOf(TypeError);
    expect(backend.runs).toHaveLength(2);
  });

  it('a retried task keeps its place ahead of tasks submitted after it', async () => {
    const { backend, scheduler } = make(1);
    const set = scheduler.createTaskSet({ name: 's' });
    const all = ['a', 'b', 'c'].map((label) => settle(scheduler.submit(set, req(label))));
    backend.fail(backend.idOf('a'), crash());
    for (let i = 0; i < 3; i++) {
      await flush();
      backend.finish(backend.pendingIds[0] as number);
    }
    await Promise.all(all.map((t) => t.done));
    expect(backend.order).toEqual(['a', 'a', 'b', 'c']);
  });
});

describe('cancellation', () => {
  it('aborting the signal of a queued task removes it; it never runs', async () => {
    const { backend, scheduler } = make(1);
    const set = scheduler.createTaskSet({ name: 's' });
    const first = settle(scheduler.submit(set, req('first')));
    const controller = new AbortController();
    const queued = settle(scheduler.submit(set, req('queued'), { signal: controller.signal }));
    const reason = new Error('user gave up');
    controller.abort(reason);
    await queued.done;
    expect(queued.error).toBe(reason);
    backend.finish(backend.idOf('first'));
    await first.done;
    await flush();
    expect(backend.order).toEqual(['first']);
  });

  it('aborting the signal of a running task aborts its backend signal and rejects with the reason', async () => {
    const { backend, scheduler } = make(1);
    const controller = new AbortController();
    const t = settle(scheduler.submit(scheduler.createTaskSet({ name: 's' }), req('t'), { signal: controller.signal }));
    const reason = new CancelledError('stop');
    controller.abort(reason);
    await t.done;
    expect(t.error).toBe(reason);
    expect(backend.runs[0]?.signal.aborted).toBe(true);
    expect(backend.runs[0]?.signal.reason).toBe(reason);
    await flush();
    expect(scheduler.running).toBe(0);
  });

  it('an already aborted signal rejects without queueing', async () => {
    const { backend, scheduler } = make(1);
    const reason = new Error('too late');
    await expect(scheduler.submit(scheduler.createTaskSet({ name: 's' }), req('t'), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(backend.runs).toHaveLength(0);
  });

  it("cancelJobGroup aborts exactly that group's queued and running tasks", async () => {
    const { backend, scheduler } = make(2);
    const a = withJobGroup('a', () => scheduler.createTaskSet({ name: 'a' }));
    const b = withJobGroup('b', () => scheduler.createTaskSet({ name: 'b' }));
    const aTasks = ['a0', 'a1', 'a2'].map((label) => settle(scheduler.submit(a, req(label))));
    const bTasks = ['b0', 'b1'].map((label) => settle(scheduler.submit(b, req(label))));
    expect(backend.order).toEqual(['a0', 'a1']);
    expect(scheduler.cancelJobGroup('a', 'user pressed stop')).toBe(3);
    await Promise.all(aTasks.map((t) => t.done));
    for (const t of aTasks) {
      expect(t.error).toBeInstanceOf(CancelledError);
      expect((t.error as Error).message).toBe("job group 'a' was cancelled: user pressed stop");
    }
    expect(backend.runs.slice(0, 2).every((r) => r.signal.aborted)).toBe(true);
    await flush();
    expect(backend.order).toEqual(['a0', 'a1', 'b0', 'b1']);
    backend.finish(backend.idOf('b0'), 0);
    backend.finish(backend.idOf('b1'), 1);
    await Promise.all(bTasks.map((t) => t.done));
    expect(bTasks.map((t) => t.result?.value)).toEqual([0, 1]);
    await expect(scheduler.submit(a, req('a3'))).rejects.toThrow("job group 'a' was cancelled");
     // A job group can be used again: only task sets created before the cancellation are dead.
    const again = withJobGroup('a', () => scheduler.createTaskSet({ name: 'a again' }));
    const fresh = settle(scheduler.submit(again, req('a4')));
    await flush();
    backend.finish(backend.idOf('a4'), 4);
    await fresh.done;
    expect(fresh.result?.value).toBe(4);
  });

  it('the module-level cancelJobGroup reaches every live scheduler', async () => {
    const one = make(1);
    const two = make(1);
    const t1 = settle(one.scheduler.submit(one.scheduler.createTaskSet({ name: 'x', jobGroup: 'shared' }), req('x')));
    const t2 = settle(two.scheduler.submit(two.scheduler.createTaskSet({ name: 'y', jobGroup: 'shared' }), req('y')));
    const other = settle(two.scheduler.submit(two.scheduler.createTaskSet({ name: 'z', jobGroup: 'other' }), req('z')));
    expect(cancelJobGroup('shared')).toBe(2);
    await Promise.all([t1.done, t2.done]);
    expect((t1.error as Error).message).toBe("job group 'shared' was cancelled");
    expect(t2.error).toBeInstanceOf(CancelledError);
    await flush();
    two.backend.finish(two.backend.idOf('z'), 'fine');
    await other.done;
    expect(other.result?.value).toBe('fine');
  });

  it('close rejects queued tasks with CancelledError and closes the backend', async () => {
    const { backend, scheduler } = make(1);
    const set = scheduler.createTaskSet({ name: 's' });
    const running = settle(scheduler.submit(set, req('running')));
    const queued = settle(scheduler.submit(set, req('queued')));
    await scheduler.close();
    await Promise.all([running.done, queued.done]);
    expect(queued.error).toBeInstanceOf(CancelledError);
    expect(running.error).toBeInstanceOf(CancelledError);
    expect(backend.closed).toBe(true);
    expect(backend.order).toEqual(['running']);
    await expect(scheduler.submit(set, req('after'))).rejects.toBeInstanceOf(CancelledError);
  });

  it('a closed task set accepts no more tasks', async () => {
    const { scheduler } = make(1);
    const set = scheduler.createTaskSet({ name: 'done' });
    set.close();
    await expect(scheduler.submit(set, req('late'))).rejects.toThrow('Expected an open task set, got task set "done"');
  });
});
