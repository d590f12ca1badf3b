/**
 * The child-process backend: one `child_process.fork` per slot with `serialization: 'advanced'`
 * (structured clone over IPC). Processes share no memory, so the worker reports each task start
 * with a message and buffers are copied, never moved. `maxOldGenerationSizeMb` becomes
 * `--max-old-space-size`; an out-of-memory death is recognised from the child's stderr, whose
 * ordinary output is passed through while V8's fatal report is held back.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerBackend } from './backend.js';
import type { Batch, WorkerMessage } from './protocol.js';
import type { SpawnedWorker, SpawnHooks } from './spawned-worker.js';
import type { WorkerPoolOptions } from './worker-pool.js';
import { workerEntry } from './spawned-worker.js';
import { FatalReportFilter } from './stderr-filter.js';
import { WorkerPoolBackend } from './worker-pool.js';

const OUT_OF_MEMORY = /heap out of memory|Allocation failed/i;

function ignoreSendError(_error: Error | null): void {
  // The 'close' handler reports the exit; nothing to do for the failed write itself.
}

function spawnProcess(options: WorkerPoolOptions): (slot: number, hooks: SpawnHooks) => SpawnedWorker {
  const entry = workerEntry();
  const limitMb = options.maxOldGenerationSizeMb;
  const execArgv = [
    ...(entry.typescript ? ['--import', entry.loader] : []),
    ...(limitMb === undefined ? [] : [`--max-old-space-size=${limitMb}`]),
  ];
  return (slot, hooks) => {
    const child = fork(fileURLToPath(entry.url), [], {
      serialization: 'advanced',
      execArgv,
      env: { ...process.env, WEFT_WORKER_INIT: JSON.stringify({ backend: 'process', slot }) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderrTail = '';
    const passthrough = new FatalReportFilter((text) => process.stderr.write(text));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4096);
      passthrough.push(chunk);
    });
    child.stderr?.on('end', () => passthrough.end());
    child.on('error', ignoreSendError);
    child.on('message', (message) => hooks.onBatch(message as Batch<WorkerMessage>));
    const exited = new Promise<void>((resolve) => {
      child.on('close', (code, signal) => {
        const reason = OUT_OF_MEMORY.test(stderrTail)
          ? `ran out of memory (--max-old-space-size=${limitMb ?? 'default'})`
          : signal
            ? `was killed by ${signal}`
            : `exited with code ${code}`;
        hooks.onExit(code, reason);
        resolve();
      });
    });
    const setBusy = (busy: boolean): void => {
      const handles = [child, child.channel, child.stderr] as Array<{ ref?: () => void; unref?: () => void } | null | undefined>;
      for (const handle of handles) (busy ? handle?.ref : handle?.unref)?.call(handle);
    };
    return {
      canTransfer: false,
      post: (batch) => {
        // A child that is exiting fails the write (EPIPE); its exit re-sends or rejects what it held.
        if (child.connected) child.send(batch, ignoreSendError);
      },
      terminate: async () => {
        // An idle child is unref'd; whoever awaits its exit must keep the process alive until it comes.
        setBusy(true);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
      setBusy,
    };
  };
}

/** A backend that runs tasks in `slots` child processes. */
export function createProcessBackend(options: WorkerPoolOptions): WorkerBackend {
  return new WorkerPoolBackend('process', options, spawnProcess(options));
}
