/**
 * Throughput of the task scheduler's fast path: N trivial tasks through one task set onto a fake
 * backend that completes every task at once. Reports tasks per second; not a test.
 *
 * The machine is shared, so absolute figures swing with its load; rates per CPU-second of this
 * process (GC threads included) swing less than wall-clock ones. The "floor" run does only what
 * any dispatch must do (one promise per task, the backend call inside an AsyncLocalStorage
 * context, one continuation) without any scheduling, and the ratio to it is the scheduler's cost.
 *
 * Run: npx tsx test/scheduler/measure-throughput.ts [tasks] [slots]
 * (KIND=thread makes the fake backend a worker kind, whose runs skip the async context.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunOptions, TaskOutcome, TaskRequest, WorkerBackend } from '../../src/runtime/backend.js';
import { TaskScheduler } from '../../src/scheduler/index.js';

class InstantBackend implements WorkerBackend {
  readonly kind = (process.env.KIND ?? 'async') as 'async';
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

type Rate = [wall: number, cpu: number];

function measure(started: number, cpu: NodeJS.CpuUsage): Rate {
  const used = process.cpuUsage(cpu);
  return [tasks / ((performance.now() - started) / 1000), tasks / ((used.user + used.system) / 1e6)];
}

async function once(): Promise<Rate> {
  const scheduler = new TaskScheduler({ backend: new InstantBackend(slots) });
  const set = scheduler.createTaskSet({ name: 'bench' });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const pending: Array<Promise<unknown>> = new Array<Promise<unknown>>(tasks);
  for (let i = 0; i < tasks; i++) pending[i] = scheduler.submit(set, request);
  await Promise.all(pending);
  const rate = measure(started, cpu);
  await scheduler.close();
  return rate;
}

const storage = new AsyncLocalStorage<{ taskId: number }>();

async function floor(): Promise<Rate> {
  const backend = new InstantBackend(slots);
  const signal = new AbortController().signal;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const pending: Array<Promise<unknown>> = new Array<Promise<unknown>>(tasks);
  for (let i = 0; i < tasks; i++) {
    pending[i] = new Promise((resolve, reject) => {
      storage.run({ taskId: i }, () => backend.run(request, { slot: 0, taskId: i, signal })).then(resolve, reject);
    });
  }
  await Promise.all(pending);
  return measure(started, cpu);
}

const rates = { floor: [] as Rate[], scheduler: [] as Rate[] };
for (let round = 0; round < 9; round++) {
  rates.floor.push(await floor());
  rates.scheduler.push(await once());
}
const best = (list: Rate[], i: 0 | 1): number => Math.max(...list.map((rate) => rate[i]));
const show = (list: Rate[]): string =>
  `best ${Math.round(best(list, 0)).toLocaleString('en')} tasks/s wall, ${Math.round(best(list, 1)).toLocaleString('en')} tasks/CPU-s`;
console.log(`${tasks} trivial tasks, ${slots} slots, best of 9 rounds`);
console.log(`  floor (promise + ALS + backend call, no scheduling): ${show(rates.floor)}`);
console.log(`  TaskScheduler:                                       ${show(rates.scheduler)}`);
console.log(`  scheduler / floor (CPU): ${(best(rates.scheduler, 1) / best(rates.floor, 1)).toFixed(2)}`);
