/**
 * What user code sees of the worker it runs in. Inside a thread or process worker,
 * {@link currentWorkerHost} returns a host whose `submit` sends nested work (e.g. a `parallelMap`
 * inside a thread step) back to the main thread's scheduler, so it shares the same slots
 * (DESIGN.md principle 1). On the main thread there is no host.
 *
 * The host lives on `globalThis` so every copy of weft loaded in the worker sees the same one.
 */
import type { BackendKind } from '../events.js';
import type { TaskOutcome, TaskRequest } from './backend.js';

/** The worker's link to the main thread. */
export interface WorkerHost {
  /** `thread` or `process`. */
  readonly backend: BackendKind;
  /** The slot this worker serves. */
  readonly slot: number;
  /**
   * Submits a task to the main thread's scheduler, as a child of the task currently running in
   * this worker. The request's function must be a `module` or `source` ref.
   */
  submit(request: TaskRequest, signal?: AbortSignal): Promise<TaskOutcome>;
}

const HOST_KEY = Symbol.for('weft.workerHost');

/** The host of the worker this code runs in, or `undefined` on the main thread. */
export function currentWorkerHost(): WorkerHost | undefined {
  return (globalThis as { [HOST_KEY]?: WorkerHost })[HOST_KEY];
}

/** True inside a weft thread or process worker. */
export function isWeftWorker(): boolean {
  return currentWorkerHost() !== undefined;
}

/** Installs the host; called once by the worker entry. */
export function installWorkerHost(host: WorkerHost): void {
  (globalThis as { [HOST_KEY]?: WorkerHost })[HOST_KEY] = host;
}
