/**
 * The small contract between the shared worker lifecycle ({@link WorkerSlot}) and the two ways of
 * starting a worker (thread, process). A spawner starts the entry, forwards batches, and reports
 * the exit with a reason in words.
 */
import type { Batch, ParentMessage, WorkerMessage } from './protocol.js';

/** One started thread or process. */
export interface SpawnedWorker {
  post(batch: Batch<ParentMessage>, transfer: ArrayBuffer[]): void;
  /** Stops the worker now; `onExit` follows. Resolves when it has exited. */
  terminate(): Promise<void>;
  /** Run messages the worker has taken off its queue, when the worker shares memory (threads). */
  readStarted?: () => number;
  /** Whether ArrayBuffers can be moved to this worker. */
  readonly canTransfer: boolean;
  /**
   * Whether the worker has work: an idle worker must not keep the process alive (so a program that
   * forgets to close its engine still exits), a busy one must.
   */
  setBusy(busy: boolean): void;
}

/** What a spawner reports back. */
export interface SpawnHooks {
  onBatch(batch: Batch<WorkerMessage>): void;
  /** `reason` in words, e.g. `exited with code 3`, `ran out of memory (maxOldGenerationSizeMb=64)`. */
  onExit(exitCode: number | null, reason: string): void;
}

/** Starts the worker of one slot. */
export type SpawnWorker = (slot: number, hooks: SpawnHooks) => SpawnedWorker;

/**
 * Where the worker entry is: `worker-entry.ts` when weft runs from source, else `.js`. A TypeScript
 * entry comes with `loader`, the module a worker imports first so that it can import the entry (it
 * registers the TypeScript loader, see `typescript-loader.js`).
 */
export function workerEntry(): { url: string; typescript: boolean; loader: string } {
  const typescript = import.meta.url.endsWith('.ts');
  return {
    url: new URL(typescript ? './worker-entry.ts' : './worker-entry.js', import.meta.url).href,
    typescript,
    loader: new URL('./register-typescript.js', import.meta.url).href,
  };
}
