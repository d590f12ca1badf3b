/**
 * One submitted task as the scheduler tracks it, from submission through every attempt to the
 * settlement of its promise. Internal to the scheduler layer.
 */
import type { TaskRequest } from '../runtime/backend.js';
import type { SchedulerContext } from './context.js';
import type { TaskResult } from './options.js';
import type { TaskSetImpl } from './task-set.js';

/** `queued`: waiting in its task set; `running`: started (holding a slot, or released while it waits for children); `done`: settled. */
export type TaskState = 'queued' | 'running' | 'done';

/**
 * Mutable bookkeeping of one task. It is also the async context its code runs in (one object per
 * task instead of two on the hot path): nested submissions find their parent as the current store.
 */
export class Task implements SchedulerContext {
  state: TaskState = 'queued';
  /** Slot of the current or last attempt, -1 before the first. */
  slot = -1;
  /** True while the task counts against its slot (false while it waits for nested children). */
  holdsSlot = false;
  attempts = 0;
  /** Nested tasks submitted by this one that have not settled. */
  children = 0;
  /** Aborts the backend run of the current attempt; only for tasks submitted with their own signal. */
  controller: AbortController | undefined = undefined;
  /** Task set for nested submissions arriving through the backend's nested-submit handler. */
  childSet: TaskSetImpl | undefined = undefined;
  /** Removes the listener on the caller's signal; set exactly when the caller gave one. */
  unlisten: (() => void) | undefined = undefined;
  /** Called when the task takes a slot (`SubmitOptions.onStart`). */
  onStart: ((slot: number) => void) | undefined = undefined;

  constructor(
    readonly owner: object,
    readonly id: number,
    readonly taskSet: TaskSetImpl,
    public request: TaskRequest,
    readonly maxFailures: number,
    readonly parent: Task | undefined,
    readonly resolve: (result: TaskResult) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  /** Context view: the task itself, found again by nested submissions. */
  get task(): this {
    return this;
  }

  /** Context view: nested task sets default to the task's pool. */
  get pool(): string {
    return this.taskSet.pool;
  }

  /** Context view: nested task sets default to the task's job group. */
  get jobGroup(): string | undefined {
    return this.taskSet.jobGroup;
  }
}
