// Nested work (a parallelMap item inside a thread step) never runs on a worker where one of its
// ancestors is suspended: a crash in the item fails the item, named by its own label, and the
// parent survives. Driven through the real scheduler, which hands the parent's freed slot to its children.
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendKind, TaskRequest, WorkerBackend } from '../../src/runtime/backend.js';
import { createBackend } from '../../src/runtime/create-backend.js';
import { TaskScheduler } from '../../src/scheduler/task-scheduler.js';

const moduleUrl = new URL('../fixtures/runtime/nesting-steps.ts', import.meta.url).href;

function call(id: string): TaskRequest {
  return { fn: { kind: 'module', moduleUrl, id }, mode: 'call', input: null, label: `step "${id}"` };
}

describe.each<{ kind: BackendKind; slots: number }>([
  { kind: 'thread', slots: 1 },
  { kind: 'thread', slots: 2 },
  { kind: 'process', slots: 1 },
  { kind: 'process', slots: 2 },
])('$kind backend with $slots slot(s)', ({ kind, slots }) => {
  let backend: WorkerBackend | undefined;
  let scheduler: TaskScheduler | undefined;
  afterEach(async () => {
    await scheduler?.close();
    await backend?.close();
  });

  function start(): TaskScheduler {
    backend = createBackend(kind, { slots });
    scheduler = new TaskScheduler({ backend, maxFailures: 1 });
    return scheduler;
  }

  it('fails a crashing nested item with its own label, and the parent survives', async () => {
    const s = start();
    const set = s.createTaskSet({ name: 'parents' });
    const result = await s.submit(set, call('parentOfCrash'));
    expect(result.value).toEqual({ name: 'WorkerCrashedError', label: 'item 1 of step "parent"', survived: true });
    // The slot's workers still work afterwards.
    expect(typeof (await s.submit(set, call('workerId'))).value).toBe('string');
  });

  it('runs children and grandchildren off their ancestors\' workers, reusing the spares', async (context) => {
    if (slots > 1) context.skip();
    const s = start();
    const set = s.createTaskSet({ name: 'parents' });
    const first = (await s.submit(set, call('parentOfWorkerIds'))).value as string[];
    expect(new Set(first).size).toBe(3);
    const second = (await s.submit(set, call('parentOfWorkerIds'))).value as string[];
    expect(second).toEqual(first);
  });
});
