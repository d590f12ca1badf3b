// An aborted task that ignores its signal must not hurt the next task on its slot: run() settles
// only once the aborted task no longer occupies the worker, so the scheduler keeps the slot until then.
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendKind, RunOptions, TaskOutcome, TaskRequest, WorkerBackend } from '../../src/runtime/backend.js';
import { CancelledError, TimeoutError } from '../../src/errors.js';
import { createBackend } from '../../src/runtime/create-backend.js';

const GRACE_MS = 100;
const moduleUrl = new URL('../fixtures/runtime/nesting-steps.ts', import.meta.url).href;
let nextTaskId = 1;

function call(id: string): TaskRequest {
  return { fn: { kind: 'module', moduleUrl, id }, mode: 'call', input: null, label: `step "${id}"` };
}
function opts(signal: AbortSignal = new AbortController().signal): RunOptions {
  return { slot: 0, taskId: nextTaskId++, signal };
}
const outcome = (value: unknown): TaskOutcome => ({ value, startedAt: 0, endedAt: 0 });

/** A backend whose nested `latch` submissions resolve `started`, and whose `hold` ones answer after the aborted task's grace has long passed. */
function setup(kind: BackendKind): { backend: WorkerBackend; started: () => Promise<void> } {
  const backend = createBackend(kind, { slots: 1, abortGraceMs: GRACE_MS });
  let latches: Array<() => void> = [];
  backend.setNestedSubmitHandler(async (_parent, request) => {
    if (request.label === 'latch') latches.forEach((resolve) => resolve());
    // Long enough that a worker terminated for the aborted task would take the innocent one with it.
    if (request.label === 'hold') await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 4));
    return outcome(null);
  });
  const started = (): Promise<void> => new Promise<void>((resolve) => (latches = [...latches, resolve]));
  return { backend, started };
}

describe.each<BackendKind>(['thread', 'process'])('%s backend: aborting a task that ignores its signal', (kind) => {
  let backend: WorkerBackend | undefined;
  afterEach(async () => {
    await backend?.close();
  });

  it.each(['startThenIgnore', 'startThenSpin'])('%s: rejects with the abort reason once its worker is gone; the next task on the slot succeeds', async (stuckId) => {
    const made = setup(kind);
    backend = made.backend;
    const before = (await backend.run(call('workerId'), opts())).value;
    const controller = new AbortController();
    const started = made.started();
    const stuck = backend.run(call(stuckId), opts(controller.signal));
    await started;
    const reason = new TimeoutError(`step "${stuckId}" timed out after 100 ms`, 100);
    controller.abort(reason);
    // What the scheduler does: free the slot when run() settles, then start the next task on it.
    await expect(stuck).rejects.toBe(reason);
    const innocent = await backend.run(call('waitForHold'), opts());
    expect(innocent.value).toBe('innocent done');
    // The aborted task's worker was terminated before run() settled; the innocent task ran on its replacement.
    expect((await backend.run(call('workerId'), opts())).value).not.toBe(before);
  });

  it('keeps the worker of a task that stops when aborted, and settles with the abort reason', async () => {
    backend = setup(kind).backend;
    const before = (await backend.run(call('workerId'), opts())).value;
    const controller = new AbortController();
    const stopping = backend.run({ ...call('waitForAbort'), fn: { kind: 'module', moduleUrl: new URL('../fixtures/runtime/steps.ts', import.meta.url).href, id: 'waitForAbort' } }, opts(controller.signal));
    const reason = new CancelledError('run cancelled');
    setImmediate(() => controller.abort(reason));
    await expect(stopping).rejects.toBe(reason);
    expect((await backend.run(call('workerId'), opts())).value).toBe(before);
  });

  it('drops a task that has not started yet and rejects it at once', async () => {
    const made = setup(kind);
    backend = made.backend;
    const blockerAbort = new AbortController();
    const started = made.started();
    const blocker = backend.run(call('startThenSpin'), opts(blockerAbort.signal));
    await started;
    const controller = new AbortController();
    const queued = backend.run(call('workerId'), opts(controller.signal));
    controller.abort(new CancelledError('not needed'));
    // Rejected while the blocker still spins: the queued task never occupied the worker.
    await expect(queued).rejects.toThrow('not needed');
    blockerAbort.abort(new CancelledError('stop spinning'));
    await expect(blocker).rejects.toThrow('stop spinning');
  });
});
