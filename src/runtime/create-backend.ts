/**
 * The one factory the scheduler calls: a backend kind and its options in, a {@link WorkerBackend} out.
 */
import type { BackendKind, WorkerBackend } from './backend.js';
import { UsageError } from '../errors.js';
import { AsyncBackend } from './async-backend.js';
import { createProcessBackend } from './process-backend.js';
import { createThreadBackend } from './thread-backend.js';

/** Options of {@link createBackend}. */
export interface BackendOptions {
  /** Number of slots (tasks at once; workers for `thread` and `process`). */
  slots: number;
  /** Heap limit per worker in MB (`thread`, `process`). */
  maxOldGenerationSizeMb?: number;
  /**
   * Grace after an abort before a busy worker is terminated.
   * @default 100
   */
  abortGraceMs?: number;
}

/**
 * Creates the backend of `kind`.
 * @example
 * ```ts
 * const backend = createBackend('thread', { slots: 4 });
 * ```
 */
export function createBackend(kind: BackendKind, options: BackendOptions): WorkerBackend {
  switch (kind) {
    case 'async':
      return new AsyncBackend({ slots: options.slots });
    case 'thread':
      return createThreadBackend(options);
    case 'process':
      return createProcessBackend(options);
    default:
      throw new UsageError(`Expected a backend of async, thread or process, got ${String(kind)}`);
  }
}
