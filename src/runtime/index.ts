/**
 * The runtime layer: where code runs (in-process, worker threads, child processes) and how a
 * worker finds it. Higher layers use {@link createBackend}, {@link registerModuleFunction} and
 * {@link toFunctionRef}; code inside a worker uses {@link currentWorkerHost}.
 */
export { startRun } from './backend.js';
export type { CallMode, ItemResult, NestedSubmitHandler, RunOptions, RunSink, TaskOutcome, TaskRequest, WorkerBackend, BackendKind } from './backend.js';
export type { FunctionRef, UserFunction } from './function-ref.js';
export type { TaskContext } from './task-runner.js';
export type { WorkerHost } from './worker-host.js';
export type { ModuleRef } from './registry.js';
export type { BackendOptions } from './create-backend.js';
export type { SendableContext } from './sendable.js';
export type { AbortListener, AbortSource } from './lazy-abort.js';
export { LazyAbortController, abortSourceOf, isAbortSource } from './lazy-abort.js';
export { createBackend } from './create-backend.js';
export { AsyncBackend } from './async-backend.js';
export { createThreadBackend } from './thread-backend.js';
export { createProcessBackend } from './process-backend.js';
export { registerModuleFunction, registerAt, functionRefOf, isLoadingUserModule, lookupModuleFunction } from './registry.js';
export { toFunctionRef, checkSelfContained } from './lambda-check.js';
export { assertSendable } from './sendable.js';
export { collectTransferables } from './transfer.js';
export { currentWorkerHost, isWeftWorker } from './worker-host.js';
export {
  CapturedVariableError,
  UnsupportedFunctionError,
  UnsendableValueError,
  FunctionNotFoundError,
  DuplicateFunctionError,
  WorkerCrashedError,
  ItemFailedError,
} from './errors.js';
