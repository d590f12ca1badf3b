// A worker terminated because an aborted task would not stop must take nothing else down with it:
// a prepare or a task that reached it meanwhile, or that arrives while it is being terminated, goes
// to the replacement (cancelling a job group must not poison its slots for the next job).
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendKind, RunOptions, TaskOutcome, TaskRequest, WorkerBackend } from '../../src/runtime/backend.js';
import { CancelledError } from '../../src/errors.js';
import { createBackend } from '../../src/runtime/create-backend.js';
import { TaskScheduler, withJobGroup } from '../../src/scheduler/index.js';

const moduleUrl = new URL('../fixtures/runtime/nesting-steps.ts', import.meta.url).href;
let nextTaskId = 1;

function call(id: string): TaskRequest {
  return { fn: { kind: 'module', moduleUrl, id }, mode: 'call', input: null, label: `step "${id}"` };
}
function opts(slot: number, signal: AbortSignal = new AbortController().signal): RunOptions {
  return { slot, taskId: nextTaskId++, signal };
}
const outcome = (value: unknown): TaskOutcome => ({ value, startedAt: 0, endedAt: 0 });

/** Counts nested `latch` submissions (each one says a task started) and answers `hold` late. */
function latches(backend: WorkerBackend): (count: number) => Promise<void> {
  let seen = 0;
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  backend.setNestedSubmitHandler(async (_parent, request) => {
    if (request.label === 'latch') {
      seen++;
      for (const w of waiters.filter((w) => w.count <= seen)) w.resolve();
      waiters = waiters.filter((w) => w.count > seen);
    }
    if (request.label === 'hold') await new Promise((resolve) => setTimeout(resolve, 300));
    return outcome(null);
  });
  return (count) => (seen >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })));
}

describe.each<BackendKind>(['thread', 'process'])('%s backend: terminating a worker for an aborted task', (kind) => {
  let backend: WorkerBackend | undefined;
  let scheduler: TaskScheduler | undefined;
  afterEach(async () => {
    await (scheduler ?? backend)?.close();
    scheduler = undefined;
    backend = undefined;
  });

  it('sends the prepares and tasks caught on that worker to its replacement instead of failing them', async () => {
    backend = createBackend(kind, { slots: 1, abortGraceMs: 100 });
    const started = latches(backend);
    const before = (await backend.run(call('workerId'), opts(0))).value;
    // An innocent task already running on the worker (waiting inside it), then one that will not stop.
    const innocent = backend.run(call('waitForHold'), opts(0));
    const controller = new AbortController();
    const stuck = backend.run(call('startThenSpin'), opts(0, controller.signal));
    await started(1);
    const reason = new CancelledError("job group 'g' was cancelled");
    controller.abort(reason);
    // Reach the worker after the abort, before or while it is terminated.
    const prepared = backend.prepare([{ fn: { kind: 'module', moduleUrl, id: 'workerId' }, label: 'dataflow task' }]);
    const queued = backend.run(call('workerId'), opts(0));
    await expect(stuck).rejects.toBe(reason);
    await expect(prepared).resolves.toBeUndefined();
    await expect(innocent).resolves.toMatchObject({ value: 'innocent done' });
    expect(typeof (await queued).value).toBe('string');
    // The stuck task's worker is gone; the replacement takes later work as usual.
    await expect(backend.prepare([{ fn: { kind: 'module', moduleUrl, id: 'workerId' }, label: 'next job' }])).resolves.toBeUndefined();
    expect((await backend.run(call('workerId'), opts(0))).value).not.toBe(before);
  });

  it('after cancelJobGroup, the next job prepares and runs on the same slots, first attempt', async () => {
    backend = createBackend(kind, { slots: 2, abortGraceMs: 100 });
    scheduler = new TaskScheduler({ backend });
    // Replaces the scheduler's nested-submit handler: the doomed tasks' latches answer at once.
    const started = latches(backend);
    const owner = scheduler;
    const set = withJobGroup('g', () => owner.createTaskSet({ name: 'doomed' }));
    const doomed = [0, 1].map((i) => owner.submit(set, { ...call('startThenSpin'), label: `doomed ${i}` }).catch((e: unknown) => e));
    await started(2);
    expect(scheduler.cancelJobGroup('g')).toBe(2);
    for (const error of await Promise.all(doomed)) expect(error).toBeInstanceOf(CancelledError);
    // What an environment does for its next job: prepare every slot's worker, then submit.
    await backend.prepare([{ fn: { kind: 'module', moduleUrl, id: 'workerId' }, label: 'dataflow task' }]);
    const next = owner.createTaskSet({ name: 'next' });
    const results = await Promise.all([0, 1, 2, 3].map(() => owner.submit(next, call('workerId'))));
    for (const result of results) expect(result.attempts).toBe(1);
  });
});
