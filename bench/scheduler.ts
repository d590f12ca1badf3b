/**
 * (e) The task scheduler alone: N trivial tasks through one task set onto a fake backend that
 * completes every task at once, so all that is measured is weft's dispatch.
 *
 * The "floor" does only what any dispatch must do — one promise per task, the backend call inside
 * an AsyncLocalStorage context, one continuation — without any scheduling; the ratio to it is the
 * scheduler's own cost. The machine is shared, so rates per CPU-second of this process (GC threads
 * included) are reported beside wall-clock ones: they swing less with the load of other processes.
 *
 * Run alone: npm run build && node --import tsx bench/scheduler.ts [tasks] [slots]
 * (KIND=thread makes the fake backend a worker kind, whose runs skip the async context.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { TaskScheduler } from 'weft';
import type { BackendKind, TaskOutcome, TaskRequest, WorkerBackend } from 'weft';
import { formatCount, formatRatio, median, printTable, report, rounds } from './lib/harness.js';

type RunOptions = Parameters<WorkerBackend['run']>[1];

/** A backend that answers every task at once with its input. */
class InstantBackend implements WorkerBackend {
  readonly kind: BackendKind = process.env.KIND === 'thread' ? 'thread' : 'async';
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

const TASKS = Number(process.argv[2] ?? 100_000);
const SLOTS = Number(process.argv[3] ?? 4);
const ROUNDS = rounds(7);
const request: TaskRequest = { fn: { kind: 'local', fn: () => 0, id: 'noop' }, mode: 'call', input: 1, label: 'noop' };

/** Tasks per wall-clock second and per CPU-second of this process. */
interface Rate {
  wall: number;
  cpu: number;
}

function rateSince(started: number, cpu: NodeJS.CpuUsage): Rate {
  const used = process.cpuUsage(cpu);
  return { wall: TASKS / ((performance.now() - started) / 1000), cpu: TASKS / ((used.user + used.system) / 1e6) };
}

async function scheduled(): Promise<Rate> {
  const scheduler = new TaskScheduler({ backend: new InstantBackend(SLOTS) });
  const set = scheduler.createTaskSet({ name: 'bench' });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const pending = new Array<Promise<unknown>>(TASKS);
  for (let i = 0; i < TASKS; i++) pending[i] = scheduler.submit(set, request);
  await Promise.all(pending);
  const rate = rateSince(started, cpu);
  set.close();
  await scheduler.close();
  return rate;
}

const storage = new AsyncLocalStorage<{ taskId: number }>();

async function floor(): Promise<Rate> {
  const backend = new InstantBackend(SLOTS);
  const signal = new AbortController().signal;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const pending = new Array<Promise<unknown>>(TASKS);
  for (let i = 0; i < TASKS; i++) {
    pending[i] = new Promise((resolve, reject) => {
      storage.run({ taskId: i }, () => backend.run(request, { slot: 0, taskId: i, signal })).then(resolve, reject);
    });
  }
  await Promise.all(pending);
  return rateSince(started, cpu);
}

await floor();
await scheduled();
const rates = { floor: [] as Rate[], scheduler: [] as Rate[] };
for (let round = 0; round < ROUNDS; round++) {
  rates.floor.push(await floor());
  rates.scheduler.push(await scheduled());
}
const wall = (list: Rate[]): number => median(list.map((rate) => rate.wall));
const cpu = (list: Rate[]): number => median(list.map((rate) => rate.cpu));

printTable(
  `(e) ${formatCount(TASKS)} trivial tasks on an instant fake backend, ${SLOTS} slots, median of ${ROUNDS} rounds after a warm-up`,
  ['strategy', 'tasks/s (wall)', 'tasks/CPU-s', 'vs floor (CPU)'],
  [
    ['floor: promise + ALS + backend call (peer)', formatCount(wall(rates.floor)), formatCount(cpu(rates.floor)), formatRatio(1)],
    ['weft TaskScheduler', formatCount(wall(rates.scheduler)), formatCount(cpu(rates.scheduler)), formatRatio(cpu(rates.scheduler) / cpu(rates.floor))],
  ],
);

report([
  {
    workload: '100k tasks, scheduler alone (fake backend)',
    weft: `${formatCount(cpu(rates.scheduler))}/CPU-s`,
    peer: `floor ${formatCount(cpu(rates.floor))}/CPU-s`,
    ratio: formatRatio(cpu(rates.scheduler) / cpu(rates.floor)),
    target: 'reference',
    met: null,
  },
]);
