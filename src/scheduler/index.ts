/**
 * The scheduler layer: which ready task gets the next free slot (FIFO / FAIR pools, job groups),
 * for every leaf task of weft.
 */
export { TaskScheduler } from './task-scheduler.js';
export type { PoolConfig, SchedulerOptions, SchedulingMode, SubmitOptions, TaskResult, TaskSet, TaskSetOptions, TaskSink } from './options.js';
export { cancelJobGroup, currentJobGroup, currentPool, withJobGroup, withPool } from './context.js';
export { InvalidPoolConfigError, UnknownPoolError } from './errors.js';
