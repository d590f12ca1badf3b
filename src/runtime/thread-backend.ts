/**
 * The worker-threads backend: one `worker_threads.Worker` per slot. Threads share memory with the
 * main thread, so the worker's "tasks started" counter is a shared Int32 and ArrayBuffers can be
 * moved rather than copied. `maxOldGenerationSizeMb` becomes the worker's `resourceLimits`.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerBackend } from './backend.js';
import type { WorkerInit } from './protocol.js';
import type { SpawnedWorker, SpawnHooks } from './spawned-worker.js';
import type { WorkerPoolOptions } from './worker-pool.js';
import { workerEntry } from './spawned-worker.js';
import { WorkerPoolBackend } from './worker-pool.js';

/** Starts a worker from source: register the TypeScript loader in the new thread, then import the `.ts` entry. */
function bootstrapSource(entry: { url: string; loader: string }): string {
  return `import(${JSON.stringify(entry.loader)}).then(() => import(${JSON.stringify(entry.url)}));`;
}

function spawnThread(options: WorkerPoolOptions): (slot: number, hooks: SpawnHooks) => SpawnedWorker {
  const entry = workerEntry();
  const limitMb = options.maxOldGenerationSizeMb;
  return (slot, hooks) => {
    const started = new SharedArrayBuffer(4);
    const cell = new Int32Array(started);
    const workerData: WorkerInit = { backend: 'thread', slot, started };
    const settings = { workerData, ...(limitMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: limitMb } }) };
    const worker = entry.typescript
      ? new Worker(bootstrapSource(entry), { ...settings, eval: true })
      : new Worker(new URL(entry.url), settings);
    let reason: string | undefined;
    worker.on('message', (batch: Parameters<SpawnHooks['onBatch']>[0]) => hooks.onBatch(batch));
    worker.on('error', (error: Error & { code?: string }) => {
      reason ??=
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `ran out of memory (maxOldGenerationSizeMb=${limitMb ?? 'default'})`
          : `hit an uncaught error: ${error.message}`;
    });
    worker.on('exit', (code) => hooks.onExit(code, reason ?? `exited with code ${code}`));
    return {
      canTransfer: true,
      post: (batch, transfer) => worker.postMessage(batch, transfer),
      terminate: async () => {
        // An idle (unref'd) worker must still be waited for, or the loop may end before it has exited.
        worker.ref();
        await worker.terminate();
      },
      readStarted: () => Atomics.load(cell, 0),
      setBusy: (busy) => (busy ? worker.ref() : worker.unref()),
    };
  };
}

/** A backend that runs tasks on `slots` worker threads. */
export function createThreadBackend(options: WorkerPoolOptions): WorkerBackend {
  return new WorkerPoolBackend('thread', options, spawnThread(options));
}
