/**
 * The one task scheduler (DESIGN.md principle 1): every leaf task of weft goes through it onto a
 * fixed number of backend slots. Which queued task gets the next free slot follows Spark exactly:
 * root pool → named FIFO/FAIR pools → task sets → tasks in submission order.
 *
 * Beyond Spark it never lets orchestration hold a slot (principle 2): a task that submits tasks
 * gives its slot back until they are done, so nesting cannot deadlock. Tiny tasks are pipelined
 * onto busy slots, crashed workers' tasks are retried, and job groups cancel as a unit.
 */
import { CancelledError, UsageError, describeValue, serializeError } from '../errors.js';
import { EventStream } from '../events.js';
import type { TaskEventType } from '../events.js';
import { startRun, type TaskOutcome, type TaskRequest, type WorkerBackend } from '../runtime/backend.js';
import { abortSourceOf } from '../runtime/lazy-abort.js';
import { currentEngineContext, currentJobGroup, currentTaskRecord, currentPool, registerScheduler, runInTask } from './context.js';
import { ROOT_POOL, UnknownPoolError } from './errors.js';
import type { PoolConfig, SchedulerOptions, SubmitOptions, TaskResult, TaskSet, TaskSetOptions, TaskSink } from './options.js';
import { PoolNode, addRunning, pickLeaf } from './pool.js';
import { checkCount, checkMinShare, checkMode, checkWeight } from './checks.js';
import { LinkedList } from './linked-list.js';
import { SlotTable } from './slots.js';
import { AttemptOptions, Task, type AttemptHandlers } from './task.js';
import { TaskSetImpl, type TaskSetHooks } from './task-set.js';

const DEFAULT_POOL = 'default';

/**
 * Decides which ready task runs next on which slot of a {@link WorkerBackend}.
 *
 * @example
 * ```ts
 * const scheduler = new TaskScheduler({ backend, mode: 'FAIR', pools: { etl: { weight: 2 }, adhoc: {} } });
 * const stage = scheduler.createTaskSet({ name: 'parse', pool: 'etl' });
 * const results = await Promise.all(parts.map((input) => scheduler.submit(stage, { fn, mode: 'call', input, label: 'parse' })));
 * stage.close();
 * ```
 */
export class TaskScheduler {
  /** Slots used on the backend. */
  readonly slots: number;
  readonly backend: WorkerBackend;
  /** Receives `task.started` / `task.succeeded` / `task.failed`. */
  readonly events: EventStream;
  readonly #maxFailures: number;
  readonly #root: PoolNode;
  readonly #pools = new Map<string, PoolNode>();
  readonly #slotTable: SlotTable;
  /** Task sets with unfinished tasks: the leaves of the tree. */
  readonly #sets = new LinkedList<TaskSetImpl>();
  /** Per cancelled job group: its error, and the first task set id created after the cancellation. */
  readonly #cancelledGroups = new Map<string, { error: CancelledError; nextSetId: number }>();
  readonly #setHooks: TaskSetHooks = {
    owner: this,
    onBusy: (busy) => {
      busy.poolNode.add(busy);
      this.#sets.add(busy);
    },
    onIdle: (idle) => {
      idle.poolNode.remove(idle);
      this.#sets.delete(idle);
      if (this.#last === idle) this.#last = undefined;
    },
  };
  /** Tasks with an attempt in the backend (nested submissions from workers name their parent by id). */
  readonly #active = new LinkedList<Task>();
  readonly #unregister: () => void;
  #nextJobId = 0;
  #nextTaskSetId = 0;
  #nextTaskId = 0;
  #running = 0;
  #pumping = false;
  #closed: Promise<void> | undefined;
  /** The task set picked last: with a single pending task set, dispatch skips the tree walk. */
  #last: TaskSetImpl | undefined;
  #orphans: TaskSetImpl | undefined;

  constructor(options: SchedulerOptions) {
    this.backend = options.backend;
    this.slots = checkCount('slots', options.slots ?? options.backend.slots, options.backend.slots);
    this.#maxFailures = checkCount('maxFailures', options.maxFailures ?? 4, Infinity);
    this.events = options.events ?? new EventStream();
    this.#root = new PoolNode('', checkMode(ROOT_POOL, options.mode ?? 'FIFO'));
    const configs: Record<string, PoolConfig> = { [DEFAULT_POOL]: {}, ...options.pools };
    for (const [name, config] of Object.entries(configs)) {
      const pool = new PoolNode(name, checkMode(name, config.mode ?? 'FIFO'), checkMinShare(name, config.minShare ?? 0), checkWeight(name, config.weight ?? 1));
      this.#pools.set(name, pool);
      this.#root.add(pool);
    }
    this.#slotTable = new SlotTable(this.slots);
    this.#unregister = registerScheduler(this);
    this.backend.setNestedSubmitHandler((parentTaskId, request, signal) => this.#submitNested(parentTaskId, request, signal));
  }

  /** Tasks holding slots now (pipelined ones included, parents waiting for children excluded). */
  get running(): number {
    return this.#running;
  }

  /** A new job id: 0, 1, 2 … Under FIFO, lower job ids go first. */
  newJobId(): number {
    return this.#nextJobId++;
  }

  /**
   * Creates a task set (one stage of one job). Pool and job group come from the options, else
   * from the async context ({@link withPool}, {@link withJobGroup}, the running task).
   *
   * @throws {UnknownPoolError} when the pool is not defined.
   */
  createTaskSet(options: TaskSetOptions): TaskSet {
    return this.#createSet(
      options.name,
      options.jobId ?? this.newJobId(),
      options.stageId ?? 0,
      options.pool ?? currentPool() ?? DEFAULT_POOL,
      options.jobGroup ?? currentJobGroup(),
    );
  }

  /**
   * Queues one task and resolves with its outcome once it ran. Called from inside a running task
   * of this scheduler, the caller's slot is released until its children are done.
   */
  submit(taskSet: TaskSet, request: TaskRequest, options?: SubmitOptions): Promise<TaskResult> {
    const parent = this.#currentParent();
    return new Promise<TaskResult>((resolve, reject) => this.#enqueue(taskSet, request, options, parent, { resolve, reject }));
  }

  /**
   * {@link TaskScheduler.submit} reporting to `sink` instead of returning a promise, for callers
   * that would otherwise wrap the promise in one of their own (a pipeline step hands the graph
   * executor its own promise). A task refused at once is rejected before this returns.
   */
  submitTo(sink: TaskSink, taskSet: TaskSet, request: TaskRequest, options?: SubmitOptions): void {
    try {
      this.#enqueue(taskSet, request, options, this.#currentParent(), sink);
    } catch (error) {
      sink.reject(error);
    }
  }

  /** The running task of this scheduler whose code runs in this async context, if any. */
  #currentParent(): Task | undefined {
    const record = currentTaskRecord();
    return record instanceof Task && record.owner === this && record.state === 'running' ? record : undefined;
  }

  /** Cancels job group `groupId` here: its queued and running tasks reject with a `CancelledError`. Returns their count. */
  cancelJobGroup(groupId: string, reason?: string): number {
    const error = new CancelledError(`job group '${groupId}' was cancelled${reason === undefined ? '' : `: ${reason}`}`);
    let count = 0;
    this.#cancelledGroups.set(groupId, { error, nextSetId: this.#nextTaskSetId });
    for (const set of this.#sets.toArray()) {
      if (set.jobGroup !== groupId) continue;
      for (const task of set.queuedTasks()) count += this.#abort(task, error);
    }
    for (const task of this.#active.toArray()) {
      if (task.taskSet.jobGroup === groupId) count += this.#abort(task, error);
    }
    this.#pump();
    return count;
  }

  /** Rejects queued tasks with `CancelledError`, then closes the backend (which rejects running ones). */
  close(): Promise<void> {
    if (this.#closed !== undefined) return this.#closed;
    this.#unregister();
    const error = new CancelledError('The task scheduler was closed before this task started. Close it only after awaiting the work submitted to it.');
    for (const set of this.#sets.toArray()) for (const task of set.queuedTasks()) this.#abort(task, error);
    this.#closed = this.backend.close();
    return this.#closed;
  }

  #createSet(name: string, jobId: number, stageId: number, poolName: string, jobGroup: string | undefined): TaskSetImpl {
    const pool = this.#pools.get(poolName);
    if (pool === undefined) throw new UnknownPoolError(poolName, [...this.#pools.keys()]);
    return new TaskSetImpl({ name, jobId, stageId, id: this.#nextTaskSetId++, pool, jobGroup }, this.#setHooks);
  }

  /** Queues one task whose outcome goes to `sink`; throws when it is refused at once. */
  #enqueue(taskSet: TaskSet, request: TaskRequest, options: SubmitOptions | undefined, parent: Task | undefined, sink: TaskSink): void {
    if (this.#closed !== undefined) throw new CancelledError(`Cannot submit ${request.label}: the task scheduler is closed.`);
    if (!(taskSet instanceof TaskSetImpl) || taskSet.owner !== this) {
      throw new UsageError(`Expected a task set created by this scheduler's createTaskSet(), got ${describeValue(taskSet)} for ${request.label}.`);
    }
    taskSet.checkOpen();
    const cancelled = taskSet.jobGroup === undefined ? undefined : this.#cancelledGroups.get(taskSet.jobGroup);
    if (cancelled !== undefined && taskSet.id < cancelled.nextSetId) throw cancelled.error;
    const signal = options?.signal === undefined ? undefined : abortSourceOf(options.signal);
    if (signal?.aborted === true) throw signal.reason;
    const maxFailures = options?.maxFailures === undefined ? this.#maxFailures : checkCount('maxFailures', options.maxFailures, Infinity);
    const task = new Task(this, this.#nextTaskId++, taskSet, request, maxFailures, parent, sink, this.#attemptHandlers);
    // Never another task: a task submitted from a task's code would keep the whole chain alive.
    const outer = currentEngineContext();
    task.outer = outer instanceof Task ? outer.outer : outer;
    if (options?.onStart) task.onStart = options.onStart;
    if (options?.partition !== undefined) task.partition = options.partition;
    if (options?.onAttemptEnd) task.onAttemptEnd = options.onAttemptEnd;
    if (signal !== undefined) task.listen(signal, this.#onSignal);
    if (parent !== undefined) {
      parent.children++;
      if (parent.holdsSlot) this.#releaseSlot(parent);
    }
    if (this.#root.pendingLeaves === 0 && !this.#pumping) {
      // Nothing is queued anywhere, so this task is first in any order: with a slot free it
      // starts at once, without the queue and the walk of the pool tree.
      const slot = this.#slotTable.acquire(taskSet.pipelined);
      if (slot >= 0) {
        taskSet.admit();
        this.#start(task, slot);
        return;
      }
    }
    taskSet.enqueue(task);
    this.#pump();
  }

  readonly #attemptHandlers: AttemptHandlers = {
    succeeded: (task, outcome) => this.#succeeded(task, outcome),
    failed: (task, error) => this.#failed(task, error),
  };

  /** A task's own signal aborted (one function for all tasks: a closure per task costs more than the rest). */
  readonly #onSignal = (task: Task): void => {
    this.#abort(task, task.callerSignal?.reason);
    this.#pump();
  };

  #submitNested(parentTaskId: number, request: TaskRequest, signal: AbortSignal): Promise<TaskOutcome> {
    const found = this.#active.find((task) => task.id === parentTaskId);
    const parent = found?.state === 'running' ? found : undefined;
    let set: TaskSetImpl;
    if (parent === undefined) {
      set = this.#orphans ??= this.#createSet('nested (parent finished)', this.newJobId(), 0, DEFAULT_POOL, undefined);
    } else {
      const of = parent.taskSet;
      set = parent.childSet ??= this.#createSet(`${of.name} › ${parent.request.label}`, of.jobId, of.stageId, of.pool, of.jobGroup);
    }
    return new Promise<TaskResult>((resolve, reject) => this.#enqueue(set, request, { signal }, parent, { resolve, reject }));
  }

  /** Starts queued tasks while a slot fits the first task set in scheduling order. */
  #pump(): void {
    if (this.#pumping || this.#closed !== undefined) return;
    this.#pumping = true;
    try {
      for (;;) {
        const set = this.#nextSet();
        if (set === undefined) break;
        const slot = this.#slotTable.acquire(set.pipelined);
        if (slot < 0) break;
        const task = set.dequeue();
        if (task === undefined) this.#slotTable.release(slot);
        else this.#start(task, slot);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #nextSet(): TaskSetImpl | undefined {
    const pending = this.#root.pendingLeaves;
    if (pending === 0) return undefined;
    if (pending === 1 && this.#last?.pending === true) return this.#last;
    return (this.#last = pickLeaf(this.#root) as TaskSetImpl | undefined);
  }

  #start(task: Task, slot: number): void {
    const set = task.taskSet;
    task.state = 'running';
    task.slot = slot;
    task.holdsSlot = true;
    task.attempts++;
    addRunning(set, 1);
    this.#running++;
    this.#active.add(task);
    // The run's cancellation is the task itself, which makes no AbortSignal unless the backend reads `signal`.
    const options = new AttemptOptions(slot, task.id, task);
    const request = task.attempts === 1 ? task.request : { ...task.request, attempt: (task.request.attempt ?? 1) + task.attempts - 1 };
    if (this.events.wants('task.succeeded') || this.events.wants('task.failed')) task.startedAt = Date.now();
    if (this.events.wants('task.started')) this.#emit('task.started', task);
    task.onStart?.(slot);
    task.sink.started?.(slot);
    try {
      // Only in-process code can submit through the async context; worker backends report nested
      // work through the nested-submit handler, so their runs skip the context's cost. A backend
      // with `start` enters the task's context itself (`Task.enter`) when it calls the code.
      if (this.backend.start === undefined && (request.backend ?? this.backend.kind) === 'async') runInTask(task, startRun, this.backend, request, options, task);
      else startRun(this.backend, request, options, task);
    } catch (error) {
      // Reported after a microtask like any failure, so completions never nest inside #pump.
      task.failed(error);
    }
  }

  #succeeded(task: Task, outcome: TaskOutcome): void {
    task.taskSet.observe(outcome.endedAt - outcome.startedAt);
    this.#endAttempt(task);
    if (task.state === 'running') {
      if (this.events.wants('task.succeeded')) this.#emit('task.succeeded', task);
      this.#settle(task);
      const { value, startedAt, endedAt } = outcome;
      task.sink.resolve({ value, startedAt, endedAt, slot: task.slot, attempts: task.attempts, taskId: task.id, backend: task.request.backend ?? this.backend.kind });
    }
    this.#pump();
  }

  #failed(task: Task, error: unknown): void {
    this.#endAttempt(task);
    if (task.state === 'running') {
      if (this.events.wants('task.failed')) this.#emit('task.failed', task, error);
      if (isWorkerCrash(error) && task.attempts < task.maxFailures && this.#closed === undefined) {
        task.state = 'queued';
        task.taskSet.requeue(task);
      } else {
        this.#settle(task);
        task.sink.reject(error);
      }
    }
    this.#pump();
  }

  /** Drops a queued task or aborts a running one, rejecting its promise now. Returns 1 if it was live. */
  #abort(task: Task, reason: unknown): number {
    if (task.state === 'done') return 0;
    if (task.state === 'queued') {
      task.taskSet.dropped();
      this.#settle(task);
    } else {
      if (this.events.wants('task.failed')) this.#emit('task.failed', task, reason);
      this.#settle(task);
      // The slot stays held until the backend has really stopped the attempt.
      task.abort(reason);
    }
    task.sink.reject(reason);
    return 1;
  }

  #endAttempt(task: Task): void {
    if (task.holdsSlot) this.#releaseSlot(task);
    this.#active.delete(task);
    task.onAttemptEnd?.();
  }

  /** The task's promise is about to settle: it stops counting anywhere, and its parent may resume. */
  #settle(task: Task): void {
    task.state = 'done';
    task.unlisten();
    task.childSet?.close();
    task.taskSet.settled();
    const parent = task.parent;
    if (parent === undefined) return;
    parent.children--;
    if (parent.children === 0 && parent.state === 'running' && !parent.holdsSlot && this.#active.has(parent)) {
      // Counted as running again on its old slot, which may be briefly shared.
      this.#slotTable.take(parent.slot);
      addRunning(parent.taskSet, 1);
      this.#running++;
      parent.holdsSlot = true;
    }
  }

  #releaseSlot(task: Task): void {
    this.#slotTable.release(task.slot);
    addRunning(task.taskSet, -1);
    this.#running--;
    task.holdsSlot = false;
  }

  #emit(type: TaskEventType, task: Task, error?: unknown): void {
    const set = task.taskSet;
    const time = Date.now();
    this.events.emit({
      type,
      taskId: task.id,
      jobId: set.jobId,
      stageId: set.stageId,
      pool: set.pool,
      label: task.request.label,
      time,
      backend: task.request.backend ?? this.backend.kind,
      slot: task.slot,
      attempt: (task.request.attempt ?? 1) + Math.max(0, task.attempts - 1),
      ...(task.partition === undefined ? {} : { partition: task.partition }),
      ...(type !== 'task.started' && task.startedAt > 0 ? { durationMs: time - task.startedAt } : {}),
      ...(error === undefined ? {} : { error: serializeError(error) }),
    });
  }
}

function isWorkerCrash(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'WorkerCrashedError';
}
