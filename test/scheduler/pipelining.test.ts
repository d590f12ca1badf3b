// Pipelining of short tasks onto busy slots, and task events.
import { afterEach, describe, expect, it } from 'vitest';
import { EventStream } from '../../src/events.js';
import type { TaskEvent } from '../../src/events.js';
import { PIPELINE_DEPTH } from '../../src/scheduler/slots.js';
import { TaskScheduler } from '../../src/scheduler/index.js';
import { InstantBackend, ManualBackend, crash, flush, req } from './fakes.js';

const open: TaskScheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('pipelining', () => {
  it('never puts more than one slow task on a slot', async () => {
    const backend = new ManualBackend(2);
    backend.durationMs = 5;
    const scheduler = new TaskScheduler({ backend });
    open.push(scheduler);
    const set = scheduler.createTaskSet({ name: 'slow' });
    const all = Array.from({ length: 30 }, (_, i) => scheduler.submit(set, req(`t${i}`)));
    while (backend.pendingIds.length > 0) {
      for (const id of backend.pendingIds) backend.finish(id);
      await flush();
    }
    await Promise.all(all);
    expect(backend.runs).toHaveLength(30);
    expect(backend.maxInFlight).toEqual([1, 1]);
  });

  it('queues several tiny tasks on a busy slot, up to the pipeline depth', async () => {
    const backend = new ManualBackend(2);
    backend.durationMs = 0;
    const scheduler = new TaskScheduler({ backend });
    open.push(scheduler);
    const set = scheduler.createTaskSet({ name: 'tiny' });
    const all = Array.from({ length: 100 }, (_, i) => scheduler.submit(set, req(`t${i}`)));
    // Before any run time is known, one task per slot.
    expect(backend.pendingIds).toHaveLength(2);
    backend.finish(backend.pendingIds[0] as number);
    await flush();
    // Now known to be tiny: both slots fill up to 1 + PIPELINE_DEPTH in flight.
    expect(backend.pendingIds).toHaveLength(2 * (1 + PIPELINE_DEPTH));
    expect(scheduler.running).toBe(2 * (1 + PIPELINE_DEPTH));
    while (backend.pendingIds.length > 0) {
      for (const id of backend.pendingIds) backend.finish(id);
      await flush();
    }
    await Promise.all(all);
    expect(Math.max(...backend.maxInFlight)).toBe(1 + PIPELINE_DEPTH);
  });

  it('runs many instant tasks through one task set in submission order', async () => {
    const backend = new InstantBackend(4);
    const scheduler = new TaskScheduler({ backend });
    open.push(scheduler);
    const set = scheduler.createTaskSet({ name: 'many' });
    const results = await Promise.all(Array.from({ length: 5000 }, (_, i) => scheduler.submit(set, req(`t${i}`, i))));
    expect(results.map((r) => r.value)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(backend.order.slice(0, 5)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(Math.max(...backend.maxInFlight)).toBeLessThanOrEqual(1 + PIPELINE_DEPTH);
    expect(scheduler.running).toBe(0);
  });
});

describe('task events', () => {
  it('emits started / failed / succeeded with job, stage, pool, slot and backend', async () => {
    const backend = new ManualBackend(1);
    const events = new EventStream();
    const seen: TaskEvent[] = [];
    events.on('*', (event) => seen.push(event as TaskEvent));
    const scheduler = new TaskScheduler({ backend, events, mode: 'FAIR', pools: { etl: {} } });
    open.push(scheduler);
    expect(scheduler.events).toBe(events);
    const set = scheduler.createTaskSet({ name: 's', pool: 'etl', jobId: 4, stageId: 2 });
    const task = scheduler.submit(set, req('step "a"'));
    backend.fail(backend.idOf('step "a"'), crash());
    await flush();
    backend.finish(backend.idOf('step "a"'));
    await task;
    expect(seen.map((e) => e.type)).toEqual(['task.started', 'task.failed', 'task.started', 'task.succeeded']);
    expect(seen[0]).toMatchObject({ taskId: 0, jobId: 4, stageId: 2, pool: 'etl', label: 'step "a"', backend: 'async', slot: 0 });
    expect(seen[1]?.error?.name).toBe('WorkerCrashedError');
  });

  it('creates its own event stream and builds no events when nobody listens', async () => {
    const scheduler = new TaskScheduler({ backend: new InstantBackend(1) });
    open.push(scheduler);
    let built = 0;
    const emit = scheduler.events.emit.bind(scheduler.events);
    scheduler.events.emit = (event) => {
      built++;
      emit(event);
    };
    await scheduler.submit(scheduler.createTaskSet({ name: 's' }), req('t'));
    expect(built).toBe(0);
    scheduler.events.on('task.succeeded', () => undefined);
    await scheduler.submit(scheduler.createTaskSet({ name: 's' }), req('t'));
    expect(built).toBe(1);
  });
});
