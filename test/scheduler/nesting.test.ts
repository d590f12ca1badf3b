// Orchestration never holds a slot while it waits: tasks that submit tasks give their slot back.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunOptions, TaskOutcome, TaskRequest } from '../../src/runtime/backend.js';
import { TaskScheduler, withJobGroup, withPool } from '../../src/scheduler/index.js';
import type { TaskSet } from '../../src/scheduler/index.js';
import { InlineBackend, ManualBackend, flush, local, req } from './fakes.js';

const open: TaskScheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function make(slots: number): { backend: InlineBackend; scheduler: TaskScheduler } {
  const backend = new InlineBackend(slots);
  const scheduler = new TaskScheduler({ backend });
  open.push(scheduler);
  return { backend, scheduler };
}

/** A tree task: below `depth` 0 it submits `fanout` children into a new task set and sums their leaves. */
function tree(scheduler: TaskScheduler, depth: number, fanout: number, label: string): TaskRequest {
  return local(label, async () => {
    if (depth === 0) return 1;
    const set = scheduler.createTaskSet({ name: `${label}/children` });
    const children = Array.from({ length: fanout }, (_, i) => scheduler.submit(set, tree(scheduler, depth - 1, fanout, `${label}.${i}`)));
    set.close();
    const results = await Promise.all(children);
    return results.reduce((sum, r) => sum + (r.value as number), 0);
  });
}

describe('nested submission', () => {
  it('a parent releases its slot while its child runs and holds it again afterwards', async () => {
    const { scheduler } = make(1);
    const set = scheduler.createTaskSet({ name: 'outer' });
    const seen: Record<string, number> = {};
    const result = await scheduler.submit(
      set,
      local('parent', async () => {
        seen.parentBefore = scheduler.running;
        const inner = scheduler.createTaskSet({ name: 'inner' });
        const child = await scheduler.submit(inner, local('child', () => (seen.inChild = scheduler.running)));
        seen.parentAfter = scheduler.running;
        return child.slot;
      }),
    );
    // One slot: the child could only start because the parent gave the slot back.
    expect(seen).toEqual({ parentBefore: 1, inChild: 1, parentAfter: 1 });
    expect(result.value).toBe(0);
    expect(scheduler.running).toBe(0);
  });

  it('a task that switches pool or job group for its children still gives its slot back', async () => {
    const backend = new InlineBackend(1);
    const scheduler = new TaskScheduler({ backend, pools: { side: {} } });
    open.push(scheduler);
    const outer = scheduler.createTaskSet({ name: 'outer', jobGroup: 'g' });
    const result = await scheduler.submit(
      outer,
      local('parent', () =>
        withPool('side', async () => {
          const inner = scheduler.createTaskSet({ name: 'inner' });
          const viaPool = await scheduler.submit(inner, local('child', () => 'a'));
          const viaGroup = await withJobGroup('h', () => scheduler.submit(scheduler.createTaskSet({ name: 'h' }), local('child2', () => 'b')));
          return [inner.pool, inner.jobGroup, viaPool.value, viaGroup.value];
        }),
      ),
    );
    expect(result.value).toEqual(['side', 'g', 'a', 'b']);
  });

  it('several trees 5 levels deep complete on 2 slots without deadlock', async () => {
    const { backend, scheduler } = make(2);
    const roots = scheduler.createTaskSet({ name: 'roots' });
    const results = await Promise.all([0, 1, 2, 3].map((i) => scheduler.submit(roots, tree(scheduler, 5, 2, `t${i}`))));
    expect(results.map((r) => r.value)).toEqual([32, 32, 32, 32]);
    expect(backend.runs).toHaveLength(4 * 63);
    expect(scheduler.running).toBe(0);
  });

  it('a 5-level chain completes on a single slot', async () => {
    const { scheduler } = make(1);
    const set = scheduler.createTaskSet({ name: 'chain' });
    const results = await Promise.all([0, 1, 2].map((i) => scheduler.submit(set, tree(scheduler, 5, 1, `c${i}`))));
    expect(results.map((r) => r.value)).toEqual([1, 1, 1]);
  });

  it('work submitted from inside a worker through the nested-submit handler releases the parent slot too', async () => {
    /** Simulates a thread backend: a task labelled `fan N` asks the scheduler for N children by parent id. */
    class WorkerLikeBackend extends ManualBackend {
      protected override execute(request: TaskRequest, options: RunOptions): Promise<TaskOutcome> {
        const match = /^fan (\d+) depth (\d+)$/.exec(request.label);
        if (match === null) return super.execute(request, options);
        const [fan, depth] = [Number(match[1]), Number(match[2])];
        const label = depth === 0 ? 'leaf' : `fan ${fan} depth ${depth - 1}`;
        const children = Array.from({ length: fan }, () => this.nested?.(options.taskId, req(label), options.signal) as Promise<TaskOutcome>);
        return Promise.all(children).then(() => ({ value: fan, startedAt: 0, endedAt: 5 }));
      }
    }
    const backend = new WorkerLikeBackend(2);
    const scheduler = new TaskScheduler({ backend });
    open.push(scheduler);
    const set = scheduler.createTaskSet({ name: 'top', jobGroup: 'g' });
    const done = Promise.all([scheduler.submit(set, req('fan 2 depth 3')), scheduler.submit(set, req('fan 2 depth 3'))]);
    for (let guard = 0; guard < 100 && backend.pendingIds.length > 0; guard++) {
      // Only leaves ever wait in the backend; their parents have given their slots back.
      expect(scheduler.running).toBe(backend.pendingIds.length);
      backend.finish(backend.pendingIds[0] as number);
      await flush();
    }
    await expect(done).resolves.toHaveLength(2);
    expect(backend.order.filter((label) => label === 'leaf')).toHaveLength(2 * 2 ** 4);
    expect(scheduler.running).toBe(0);
  });

  it('nested task sets keep the parent job id so they run before later jobs under FIFO', async () => {
    const backend = new ManualBackend(1);
    const scheduler = new TaskScheduler({ backend });
    open.push(scheduler);
    const parentSet: TaskSet = scheduler.createTaskSet({ name: 'job0' });
    void scheduler.submit(parentSet, req('parent')).catch(() => undefined);
    const later = scheduler.createTaskSet({ name: 'job1' });
    void scheduler.submit(later, req('later')).catch(() => undefined);
    const parentId = backend.idOf('parent');
    void backend.nested?.(parentId, req('child'), new AbortController().signal).catch(() => undefined);
    await flush();
    expect(backend.order).toEqual(['parent', 'child']);
  });

  it('nested work whose parent already finished still runs, as a top-level task', async () => {
    const backend = new ManualBackend(1);
    const scheduler = new TaskScheduler({ backend });
    open.push(scheduler);
    const parent = scheduler.submit(scheduler.createTaskSet({ name: 'p' }), req('parent'));
    const parentId = backend.idOf('parent');
    backend.finish(parentId);
    await parent;
    const late = backend.nested?.(parentId, req('late child'), new AbortController().signal);
    await flush();
    backend.finish(backend.idOf('late child'), 'ran');
    await expect(late).resolves.toMatchObject({ value: 'ran' });
  });
});
