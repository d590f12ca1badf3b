// Which queued task gets the next free slot, through the TaskScheduler: Spark's PoolSuite orders
// end to end, and weight / minShare shares under contention.
import { afterEach, describe, expect, it } from 'vitest';
import { TaskScheduler } from '../../src/scheduler/index.js';
import type { SchedulerOptions, TaskSet } from '../../src/scheduler/index.js';
import { ManualBackend, flush, req } from './fakes.js';

const open: TaskScheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function make(slots: number, options: Omit<SchedulerOptions, 'backend'> = {}): { backend: ManualBackend; scheduler: TaskScheduler } {
  const backend = new ManualBackend(slots);
  const scheduler = new TaskScheduler({ backend, ...options });
  open.push(scheduler);
  return { backend, scheduler };
}

/** Fills every slot with blockers (in their own pool when given), so later submissions queue. */
function block(scheduler: TaskScheduler, pool?: string): void {
  const set = scheduler.createTaskSet({ name: 'blockers', jobId: 1000, ...(pool === undefined ? {} : { pool }) });
  for (let i = 0; i < scheduler.slots; i++) void scheduler.submit(set, req(`blocker ${i}`)).catch(() => undefined);
}

/** Finishes the blockers one by one and returns the labels started in their place. */
async function releaseBlockers(backend: ManualBackend, count: number): Promise<string[]> {
  const before = backend.runs.length;
  for (let i = 0; i < count; i++) {
    backend.finish(backend.idOf(`blocker ${i}`));
    await flush();
  }
  return backend.order.slice(before);
}

function submitAll(scheduler: TaskScheduler, set: TaskSet, tasks: number): void {
  for (let i = 0; i < tasks; i++) void scheduler.submit(set, req(`${set.name}#${i}`)).catch(() => undefined);
}

describe('TaskScheduler ordering', () => {
  it('FIFO: lower job id first, then lower stage id, then tasks in submission order', async () => {
    const { backend, scheduler } = make(1);
    block(scheduler);
    const late = scheduler.createTaskSet({ name: 'late', jobId: 7 });
    const stage1 = scheduler.createTaskSet({ name: 'stage1', jobId: 3, stageId: 1 });
    const stage0 = scheduler.createTaskSet({ name: 'stage0', jobId: 3, stageId: 0 });
    submitAll(scheduler, late, 1);
    submitAll(scheduler, stage1, 2);
    submitAll(scheduler, stage0, 2);
    backend.finish(backend.idOf('blocker 0'));
    const started: string[] = [];
    for (let i = 0; i < 5; i++) {
      await flush();
      const id = backend.pendingIds[0] as number;
      started.push(backend.runs.find((r) => r.taskId === id)?.label ?? '?');
      backend.finish(id);
    }
    expect(started).toEqual(['stage0#0', 'stage0#1', 'stage1#0', 'stage1#1', 'late#0']);
  });

  it('FIFO: task sets created without a job id take increasing ones', () => {
    const { scheduler } = make(1);
    const a = scheduler.createTaskSet({ name: 'a' });
    const b = scheduler.createTaskSet({ name: 'b' });
    expect([a.jobId, b.jobId, a.stageId, a.pool, a.jobGroup]).toEqual([0, 1, 0, 'default', undefined]);
    expect(scheduler.newJobId()).toBe(2);
  });

  it("FAIR: reproduces PoolSuite's 'Fair Scheduler Test' order", async () => {
    const { backend, scheduler } = make(8, {
      mode: 'FAIR',
      pools: { '1': { minShare: 2 }, '2': { minShare: 3 }, '3': {}, blockers: {} },
    });
    block(scheduler, 'blockers');
    const sets = [
      ['1', 0, 1], ['1', 1, 1], ['1', 2, 2], ['2', 3, 2], ['2', 4, 2],
    ] as const;
    for (const [pool, stageId, tasks] of sets) {
      submitAll(scheduler, scheduler.createTaskSet({ name: `TaskSet_${stageId}.0`, jobId: 0, stageId, pool }), tasks);
    }
    const started = await releaseBlockers(backend, 8);
    expect(started.map((label) => Number(label.slice('TaskSet_'.length, label.indexOf('.'))))).toEqual([0, 3, 3, 1, 4, 2, 2, 4]);
  });

  it('FAIR: a pool of weight 2 gets twice the slots of a pool of weight 1 under contention', async () => {
    const { backend, scheduler } = make(6, { mode: 'FAIR', pools: { heavy: { weight: 2 }, light: { weight: 1 } } });
    const heavy = scheduler.createTaskSet({ name: 'h', pool: 'heavy' });
    const light = scheduler.createTaskSet({ name: 'l', pool: 'light' });
    // Both pools are backlogged before any slot frees up.
    block(scheduler);
    submitAll(scheduler, heavy, 40);
    submitAll(scheduler, light, 40);
    await releaseBlockers(backend, 6);
    const share = (): [number, number] => {
      const labels = backend.pendingIds.map((id) => backend.runs.find((r) => r.taskId === id)?.label ?? '');
      return [labels.filter((l) => l.startsWith('h#')).length, labels.filter((l) => l.startsWith('l#')).length];
    };
    expect(share()).toEqual([4, 2]);
    for (let round = 0; round < 20; round++) {
      backend.finish(backend.pendingIds[round % 6 === 0 ? 0 : backend.pendingIds.length - 1] as number);
      await flush();
      expect(share()).toEqual([4, 2]);
    }
  });

  it('FAIR: minShare is satisfied before weights are looked at', async () => {
    const { backend, scheduler } = make(4, { mode: 'FAIR', pools: { big: { weight: 10 }, small: { minShare: 2 } } });
    block(scheduler, 'default');
    submitAll(scheduler, scheduler.createTaskSet({ name: 'big', pool: 'big' }), 10);
    submitAll(scheduler, scheduler.createTaskSet({ name: 'small', pool: 'small' }), 10);
    const started = await releaseBlockers(backend, 4);
    expect(started.map((label) => label.split('#')[0])).toEqual(['small', 'small', 'big', 'big']);
  });

  it('FAIR task sets inside a pool are ordered by running count, then name', async () => {
    const { backend, scheduler } = make(4, { pools: { fair: { mode: 'FAIR' } } });
    block(scheduler);
    submitAll(scheduler, scheduler.createTaskSet({ name: 'b', pool: 'fair' }), 4);
    submitAll(scheduler, scheduler.createTaskSet({ name: 'a', pool: 'fair' }), 4);
    const started = await releaseBlockers(backend, 4);
    expect(started).toEqual(['a#0', 'b#0', 'a#1', 'b#1']);
  });

  it('gives each task the lowest free slot and counts running tasks', async () => {
    const { backend, scheduler } = make(3);
    const set = scheduler.createTaskSet({ name: 's' });
    submitAll(scheduler, set, 2);
    expect(backend.runs.map((r) => r.slot)).toEqual([0, 1]);
    expect(scheduler.running).toBe(2);
    backend.finish(backend.idOf('s#0'));
    await flush();
    expect(scheduler.running).toBe(1);
    submitAll(scheduler, set, 1);
    expect(backend.runs.map((r) => r.slot)).toEqual([0, 1, 0]);
  });
});
