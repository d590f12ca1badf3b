// The slot lifecycle against a fake worker whose termination the test finishes by hand: nothing new
// is sent to a worker while it is being terminated; what arrives meanwhile goes to the replacement.
import { describe, expect, it, vi } from 'vitest';
import { CancelledError } from '../../src/errors.js';
import type { RunOptions, TaskOutcome, TaskRequest } from '../../src/runtime/backend.js';
import type { Batch, ParentMessage, SendableRef, WorkerMessage } from '../../src/runtime/protocol.js';
import type { SpawnedWorker, SpawnHooks } from '../../src/runtime/spawned-worker.js';
import { WorkerSlot, type PendingRun } from '../../src/runtime/worker-slot.js';

class FakeWorker implements SpawnedWorker {
  readonly canTransfer = false;
  readonly posted: ParentMessage[] = [];
  started = 0;
  terminating = false;
  #finish: (() => void) | undefined;
  constructor(readonly hooks: SpawnHooks) {}
  post(batch: Batch<ParentMessage>): void {
    this.posted.push(...batch.messages);
  }
  terminate(): Promise<void> {
    this.terminating = true;
    return new Promise<void>((resolve) => {
      this.#finish = () => {
        this.hooks.onExit(null, 'was terminated');
        resolve();
      };
    });
  }
  readStarted = (): number => this.started;
  setBusy(): void {}
  /** The worker has really exited. */
  exit(): void {
    this.#finish?.();
  }
  reply(...messages: WorkerMessage[]): void {
    this.hooks.onBatch({ type: 'batch', messages });
  }
  has(type: ParentMessage['type'], id: number): boolean {
    return this.posted.some((m) => m.type === type && 'id' in m && m.id === id);
  }
}

const ref: SendableRef = { kind: 'module', moduleUrl: 'file:///steps.js', id: 'f' };
let nextId = 0;

function pending(label: string): { run: PendingRun; result: Promise<TaskOutcome> } {
  let run!: PendingRun;
  const result = new Promise<TaskOutcome>((resolve, reject) => {
    const request: TaskRequest = { fn: ref, mode: 'call', input: null, label };
    const options: RunOptions = { slot: 0, taskId: nextId, signal: new AbortController().signal };
    run = { id: nextId++, seq: -1, request, ref, options, settled: false, resolve, reject };
  });
  result.catch(() => undefined);
  return { run, result };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WorkerSlot: a worker being terminated', () => {
  it('is sent no new run or prepare; they go to the replacement once it has exited', async () => {
    const workers: FakeWorker[] = [];
    const slot = new WorkerSlot(0, {
      kind: 'thread',
      abortGraceMs: 5,
      nested: () => undefined,
      spawn: (_index, hooks) => {
        const worker = new FakeWorker(hooks);
        workers.push(worker);
        return worker;
      },
    });
    const stuck = pending('stuck');
    slot.dispatch(stuck.run);
    await flush();
    const first = workers[0] as FakeWorker;
    first.started = 1;
    const reason = new CancelledError('cancelled');
    slot.abort(stuck.run, reason);
    await vi.waitFor(() => expect(first.terminating).toBe(true));

    const next = pending('next');
    slot.dispatch(next.run);
    const prepared = slot.prepare(100, [{ fn: ref, label: 'next job' }]);
    const dropped = pending('dropped');
    slot.dispatch(dropped.run);
    slot.abort(dropped.run, new CancelledError('not needed'));
    await expect(dropped.result).rejects.toThrow('not needed');
    await flush();
    expect(first.has('run', next.run.id) || first.has('prepare', 100)).toBe(false);
    expect(workers).toHaveLength(1);

    first.exit();
    await expect(stuck.result).rejects.toBe(reason);
    await flush();
    const second = workers[1] as FakeWorker;
    expect(second.has('run', next.run.id)).toBe(true);
    expect(second.has('prepare', 100)).toBe(true);
    expect(second.has('run', dropped.run.id)).toBe(false);
    second.reply({ type: 'prepared', id: 100 }, { type: 'done', id: next.run.id, value: 42, startedAt: 1, endedAt: 2 });
    await expect(prepared).resolves.toBeUndefined();
    await expect(next.result).resolves.toMatchObject({ value: 42 });
    const closed = slot.close(new CancelledError('closed'));
    second.exit();
    await closed;
  });
});
