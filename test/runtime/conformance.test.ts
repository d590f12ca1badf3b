// One suite, three backends: the async result is the reference every worker backend must match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendKind, RunOptions, TaskRequest, WorkerBackend } from '../../src/runtime/backend.js';
import { CancelledError } from '../../src/errors.js';
import { createBackend } from '../../src/runtime/create-backend.js';
import { CapturedVariableError, FunctionNotFoundError, ItemFailedError, UnsendableValueError, WorkerCrashedError } from '../../src/runtime/errors.js';
import { toFunctionRef } from '../../src/runtime/lambda-check.js';
import { LazyAbortController } from '../../src/runtime/lazy-abort.js';
import { double } from '../fixtures/runtime/steps.js';
import { lateRef, stepRef } from '../fixtures/runtime/ref.js';

let nextTaskId = 1;
function opts(slot = 0, signal: AbortSignal = new AbortController().signal): RunOptions {
  return { slot, taskId: nextTaskId++, signal };
}
function call(id: string, input: unknown, extra: Partial<TaskRequest> = {}): TaskRequest {
  return { fn: stepRef(id), mode: 'call', input, label: `step "${id}"`, ...extra };
}

describe.each<BackendKind>(['async', 'thread', 'process'])('%s backend', (kind) => {
  let backend: WorkerBackend;
  const workers = kind !== 'async';
  beforeAll(() => {
    backend = createBackend(kind, { slots: 2 });
  });
  afterAll(async () => {
    await backend.close();
  });

  it('runs call and map modes in order', async () => {
    expect((await backend.run(call('double', 21), opts())).value).toBe(42);
    const mapped = await backend.run({ ...call('addIndex', { items: [1, 2, 3], offset: 5 }), mode: 'map' }, opts(1));
    expect(mapped.value).toEqual([15, 26, 37]);
    expect((await backend.run(call('delayed', 1), opts())).value).toBe(2);
  });

  it('passes the task context', async () => {
    const options = opts(1);
    const { value } = await backend.run(call('ctxEcho', null, { with: { threshold: 3 }, attempt: 2 }), options);
    expect(value).toEqual({ attempt: 2, label: 'step "ctxEcho"', with: { threshold: 3 }, slot: 1, backend: kind, taskId: options.taskId, aborted: false });
  });

  it('builds every task context from one class, its signal a lazy getter of the class (no hidden class per task)', async () => {
    const shapes = await Promise.all([0, 1, 2].map(async () => (await backend.run(call('ctxShape', null), opts())).value));
    for (const shape of shapes) expect(shape).toMatchObject({ ownSignal: false, plainLiteral: false });
    expect(new Set(shapes.map((shape) => (shape as { className: string }).className)).size).toBe(1);
  });

  it('finds a registered function through its attached ref, and runs checked lambdas as source', async () => {
    expect((await backend.run({ fn: toFunctionRef(double, 'double', kind), mode: 'call', input: 4, label: 'double' }, opts())).value).toBe(8);
    const lambda = toFunctionRef((x: number) => Math.max(x, 10), 'lambda', kind);
    expect(lambda.kind).toBe(workers ? 'source' : 'local');
    expect((await backend.run({ fn: lambda, mode: 'call', input: 3, label: 'lambda' }, opts())).value).toBe(10);
  });

  it('rejects a lambda that captures a variable (worker backends only)', () => {
    const threshold = 3;
    const build = (): unknown => toFunctionRef((x: number) => x > threshold, 'parallelMap(filter)', kind);
    if (!workers) return expect(build).not.toThrow();
    expect(build).toThrow(CapturedVariableError);
    expect(build).toThrow(/`threshold`.*ctx\.with\.threshold/s);
  });

  it('fails a map at the first bad item, or settles every item', async () => {
    const request = { ...call('failOnSeven', { items: [5, 6, 7, 8], offset: 0 }), mode: 'map' as const };
    const error = await backend.run(request, opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ItemFailedError);
    expect((error as ItemFailedError).index).toBe(2);
    expect((error as Error).message).toBe('item 2 failed: bad item 7');
    expect(((error as Error).cause as Error).name).toBe('ShapeError');
    const settled = await backend.run({ ...request, settle: true }, opts());
    const items = settled.value as Array<{ ok: boolean; value?: unknown; error?: Error }>;
    expect(items.map((i) => i.ok)).toEqual([true, true, false, true]);
    expect(items[2]?.error?.message).toBe('bad item 7');
  });

  it('keeps a thrown user error name, message and stack', async () => {
    const error = (await backend.run(call('throwShape', null), opts()).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('ShapeError');
    expect(error.message).toBe('the shape is wrong');
    expect(error.stack).toContain('steps.ts');
  });

  it('names the path of an unsendable input or output', async () => {
    if (!workers) return;
    class Client {
      send(): void {}
    }
    const error = await backend.run(call('double', { params: { client: new Client() } }), opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsendableValueError);
    expect((error as Error).message).toMatch(/`input\.params\.client`.*Client.*without its methods/);
    await expect(backend.run(call('double', { fn: () => 1 }), opts())).rejects.toThrow(/`input\.fn`.*function/);
    const { Socket } = await import('node:net');
    await expect(backend.run(call('double', [new Socket()]), opts())).rejects.toThrow(/`input\[0\]`.*Socket/);
    await expect(backend.run(call('returnFunction', null), opts())).rejects.toThrow(/`output\.callback`/);
  });

  it('fails prepare for a step defined inside a function, and passes for top-level ones', async () => {
    await backend.prepare([{ fn: stepRef('double'), label: 'step "double"' }]);
    const error = await backend.prepare([{ fn: lateRef, label: 'step "late"' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionNotFoundError);
    expect((error as Error).message).toMatch(/step "late" was not found in file:.*late-steps\.ts after importing it/);
  });

  it('rejects at once on abort and aborts ctx.signal', async () => {
    const controller = new AbortController();
    const pending = backend.run(call('waitForAbort', null), opts(0, controller.signal));
    controller.abort(new CancelledError('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect((await backend.run(call('double', 1), opts())).value).toBe(2);
  });

  it('listens to a lazy cancellation source without ever creating the AbortSignal, and rejects at once on its abort', async () => {
    const lazy = (): { options: RunOptions; abort: LazyAbortController; signalRead: () => boolean } => {
      const abort = new LazyAbortController();
      let read = false;
      const options: RunOptions = {
        slot: 0,
        taskId: nextTaskId++,
        abort,
        get signal(): AbortSignal {
          read = true;
          return abort.signal;
        },
      };
      return { options, abort, signalRead: () => read };
    };
    const finished = lazy();
    expect((await backend.run(call('double', 5), finished.options)).value).toBe(10);
    // The worker backends never need the signal; the in-process one gives it to the task's context.
    if (workers) expect(finished.signalRead()).toBe(false);
    const aborted = lazy();
    const pending = backend.run(call('waitForAbort', null), aborted.options);
    await new Promise((resolve) => setTimeout(resolve, 20));
    aborted.abort.abort(new CancelledError('stop lazily'));
    await expect(pending).rejects.toThrow('stop lazily');
    const early = lazy();
    early.abort.abort(new CancelledError('before it started'));
    await expect(backend.run(call('double', 1), early.options)).rejects.toThrow('before it started');
    expect((await backend.run(call('double', 2), opts())).value).toBe(4);
  });

  it('rejects pending runs with CancelledError on close', async () => {
    const own = createBackend(kind, { slots: 1 });
    const pending = own.run(call('waitForAbort', null), opts()).catch((e: unknown) => e);
    await own.close();
    expect(await pending).toBeInstanceOf(CancelledError);
  });
});

describe.each<BackendKind>(['thread', 'process'])('%s worker lifecycle', (kind) => {
  let backend: WorkerBackend;
  beforeAll(() => {
    backend = createBackend(kind, { slots: 2, abortGraceMs: 50 });
  });
  afterAll(async () => {
    await backend.close();
  });

  it('rejects the running task of a worker that exits, re-sends its unstarted tasks, and replaces it', async () => {
    const crash = backend.run(call('exitThree', null), opts(1));
    const queued = [backend.run(call('double', 1), opts(1)), backend.run(call('double', 2), opts(1))];
    const error = (await crash.catch((e: unknown) => e)) as WorkerCrashedError;
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.exitCode).toBe(3);
    expect(error.slot).toBe(1);
    expect(error.reason).toBe('exited with code 3');
    expect((await Promise.all(queued)).map((o) => o.value)).toEqual([2, 4]);
    expect((await backend.run(call('double', 5), opts(1))).value).toBe(10);
  });

  it('reports an uncaught error as the crash reason', async () => {
    const error = (await backend.run(call('uncaught', null), opts(0)).catch((e: unknown) => e)) as WorkerCrashedError;
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error.reason).toMatch(/uncaught error: boom/);
    expect((await backend.run(call('double', 3), opts(0))).value).toBe(6);
  });

  it('terminates a worker stuck in a loop after an abort, and the slot works afterwards', async () => {
    const controller = new AbortController();
    const stuck = backend.run(call('spin', null), opts(0, controller.signal));
    const behind = backend.run(call('double', 4), opts(0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new CancelledError('timeout'));
    await expect(stuck).rejects.toThrow('timeout');
    expect((await behind).value).toBe(8);
    expect((await backend.run(call('double', 6), opts(0))).value).toBe(12);
  });

  it('delivers nested submissions to the handler with the parent task id', async () => {
    const parents: number[] = [];
    backend.setNestedSubmitHandler((parent, request) => {
      parents.push(parent);
      const fn = request.fn.kind === 'source' ? request.fn.source : '';
      return Promise.resolve({ value: `${fn} of ${String(request.input)}`, startedAt: 0, endedAt: 0 });
    });
    const options = opts(1);
    const { value } = await backend.run(call('nested', 5), options);
    expect(value).toBe('((x) => x * 3) of 5');
    expect(parents).toEqual([options.taskId]);
  });
});

describe('thread specifics', () => {
  it('moves ArrayBuffers with transfer instead of copying them', async () => {
    const backend = createBackend('thread', { slots: 1 });
    try {
      const buf = new ArrayBuffer(16);
      const { value } = await backend.run(call('byteLength', { buf }, { transfer: true }), opts());
      expect(value).toBe(16);
      expect(buf.byteLength).toBe(0);
      const kept = new ArrayBuffer(16);
      await backend.run(call('byteLength', { buf: kept }), opts());
      expect(kept.byteLength).toBe(16);
      const out = await backend.run(call('bytes', { size: 4 }, { transfer: true }), opts());
      expect(Array.from(out.value as Uint8Array)).toEqual([7, 7, 7, 7]);
    } finally {
      await backend.close();
    }
  });

  it('reports a worker that runs out of memory', async () => {
    const backend = createBackend('thread', { slots: 1, maxOldGenerationSizeMb: 32 });
    try {
      const error = (await backend.run(call('eatMemory', null), opts()).catch((e: unknown) => e)) as WorkerCrashedError;
      expect(error).toBeInstanceOf(WorkerCrashedError);
      expect(error.reason).toBe('ran out of memory (maxOldGenerationSizeMb=32)');
      expect((await backend.run(call('double', 2), opts())).value).toBe(4);
    } finally {
      await backend.close();
    }
  });
});
