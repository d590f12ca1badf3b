/**
 * Throughput of the task scheduler's fast path: N trivial tasks through one task set onto a fake
 * backend that completes every task at once. Reports tasks per second; not a test.
 *
 * The machine is shared, so absolute figures swing with its load. The "floor" run does only what
 * any dispatch must do (one promise per task, the backend call inside an AsyncLocalStorage
 * context, one continuation) without any scheduling, and the ratio to it is the scheduler's cost.
 *
 * Run: npx tsx test/scheduler/measure-throughput.ts [tasks] [slots]
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunOptions, TaskOutcome, TaskRequest, WorkerBackend } from '../../src/runtime/backend.js';
import { TaskScheduler } from '../../src/scheduler/index.js';

class InstantBackend implements WorkerBackend {
  readonly kind = 'async' as const;
  constructor(readonly slots: number) {}
  prepare(): Promise<void> {
    return Promise.resolve();
  }
  run(request: TaskRequest, _options: RunOptions): Promise<TaskOutcome> {
    return Promise.resolve({ value: request.input, startedAt: 0, endedAt: 0 });
  }
  setNestedSubmitHandler(): void {}
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const tasks = Number(process.argv[2] ?? 100_000);
const slots = Number(process.argv[3] ?? 4);
const request: TaskRequest = { fn: { kind: 'local', fn: () => 0, id: 'noop' }, mode: 'call', input: 1, label: 'noop' };

async function once(): Promise<number> {
  const scheduler = new TaskScheduler({ backend: new InstantBackend(slots) });
  const set = scheduler.createTaskSet({ name: 'bench' });
  const started = performance.now();
  const pending: Array<Promise<unknown>> = new Array<Promise<unknown>>(tasks);
  for (let i = 0; i < tasks; i++) pending[i] = scheduler.submit(set, request);
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  await scheduler.close();
  return tasks / seconds;
}

const storage = new AsyncLocalStorage<{ taskId: number }>();

async function floor(): Promise<number> {
  const backend = new InstantBackend(slots);
  const signal = new AbortController().signal;
  const started = performance.now();
  const pending: Array<Promise<unknown>> = new Array<Promise<unknown>>(tasks);
  for (let i = 0; i < tasks; i++) {
    pending[i] = new Promise((resolve, reject) => {
      storage.run({ taskId: i }, () => backend.run(request, { slot: 0, taskId: i, signal })).then(resolve, reject);
    });
  }
  await Promise.all(pending);
  return tasks / ((performance.now() - started) / 1000);
}

const rates = { floor: [] as number[], scheduler: [] as number[] };
for (let round = 0; round < 7; round++) {
  rates.floor.push(await floor());
  rates.scheduler.push(await once());
}
const best = (list: number[]): number => Math.max(...list);
const show = (list: number[]): string => `best ${Math.round(best(list)).toLocaleString('en')} tasks/s`;
console.log(`${tasks} trivial tasks, ${slots} slots`);
console.log(`  floor (promise + ALS + backend call, no scheduling): ${show(rates.floor)}`);
console.log(`  TaskScheduler:                                       ${show(rates.scheduler)}`);
console.log(`  scheduler / floor: ${(best(rates.scheduler) / best(rates.floor)).toFixed(2)}`);
