/**
 * (a) 100k trivial tasks on 2 threads: what one task costs end to end.
 *
 * Peer: piscina with 2 warm threads, all 100k `run`s submitted at once (one message per task).
 * weft: the thread backend through the one `TaskScheduler`, all 100k `submit`s at once (the
 * scheduler pipelines them onto the two workers in batches), and `parallelMap` over the same 100k
 * items on 2 workers (chunked: a handful of messages in all). The async and process backends
 * through the scheduler are reported for reference. Pools are warm in every case; a cold
 * `parallelMap` (its own short-lived engine, so worker start-up included) is shown too.
 *
 * Run alone: npm run build && node --import tsx bench/tasks.ts
 */
import { Piscina } from 'piscina';
import { Engine, TaskScheduler, createBackend, parallelMap, stepDefinition } from 'weft';
import type { BackendKind, TaskRequest, TaskSet } from 'weft';
import { formatCount, formatMs, formatRatio, medianOf, printTable, report, rounds, timeMs } from './lib/harness.js';
import { inc } from './lib/work.js';

const TASKS = 100_000;
const ROUNDS = rounds(3);
const items = Array.from({ length: TASKS }, (_, i) => i);

const definition = stepDefinition(inc);
if (!definition) throw new Error('Expected bench/lib/work.ts `inc` to be declared with step(), got a plain function');
const request = (input: number): TaskRequest => ({ fn: { kind: 'module', ...definition }, mode: 'call', input, label: 'bench_inc' });

/** Median tasks/s of piscina with 2 warm threads, all tasks submitted at once. */
async function piscina(): Promise<number> {
  const pool = new Piscina<number, number>({
    filename: new URL('./lib/piscina-worker.mjs', import.meta.url).href,
    name: 'inc',
    minThreads: 2,
    maxThreads: 2,
    idleTimeout: 60_000,
  });
  try {
    const once = async (): Promise<number> => TASKS / ((await timeMs(() => Promise.all(items.map((i) => pool.run(i))))) / 1000);
    return await medianOf(ROUNDS, 1, once);
  } finally {
    await pool.destroy();
  }
}

/** Median tasks/s of one backend kind through a `TaskScheduler` with 2 slots, all tasks submitted at once. */
async function scheduler(kind: BackendKind, count: number): Promise<number> {
  const backend = createBackend(kind, { slots: 2 });
  const scheduler = new TaskScheduler({ backend });
  const set: TaskSet = scheduler.createTaskSet({ name: `bench ${kind}` });
  try {
    await backend.prepare([{ fn: request(0).fn, label: 'bench_inc' }]);
    const once = async (): Promise<number> => {
      const ms = await timeMs(() => {
        const pending = new Array<Promise<unknown>>(count);
        for (let i = 0; i < count; i++) pending[i] = scheduler.submit(set, request(i));
        return Promise.all(pending);
      });
      return count / (ms / 1000);
    };
    return await medianOf(ROUNDS, 1, once);
  } finally {
    set.close();
    await scheduler.close();
  }
}

/** Median tasks/s of `parallelMap` on 2 thread workers of one long-lived engine (warm). */
async function parallelMapWarm(): Promise<number> {
  return Engine.with({ slots: 2, backend: 'thread' }, async () => {
    const once = async (): Promise<number> => TASKS / ((await timeMs(() => parallelMap(inc, items, { maxWorkers: 2 }))) / 1000);
    return medianOf(ROUNDS, 1, once);
  });
}

/** Median ms of a standalone `parallelMap` call, which starts (and stops) its own 2 workers. */
async function parallelMapCold(): Promise<number> {
  return medianOf(ROUNDS, 0, () => timeMs(() => parallelMap(inc, items, { maxWorkers: 2, backend: 'thread' })));
}

const peer = await piscina();
const thread = await scheduler('thread', TASKS);
const mapped = await parallelMapWarm();
const coldMs = await parallelMapCold();
const asyncRate = await scheduler('async', TASKS);
const processRate = await scheduler('process', TASKS);

const row = (name: string, rate: number, note = ''): string[] => [name, formatCount(rate), `${(1e6 / rate).toFixed(2)} µs`, formatRatio(rate / peer), note];
printTable(
  `(a) ${formatCount(TASKS)} trivial tasks, 2 slots, median of ${ROUNDS} rounds after a warm-up`,
  ['strategy', 'tasks/s', 'per task', 'vs piscina', 'note'],
  [
    row('piscina, 2 warm threads (peer)', peer),
    row('weft thread backend via TaskScheduler', thread),
    row('weft parallelMap, 2 thread workers (warm)', mapped),
    row('weft parallelMap, cold (own engine)', TASKS / (coldMs / 1000), `${formatMs(coldMs)} incl. worker start-up`),
    row('weft async backend via TaskScheduler', asyncRate, 'reference'),
    row('weft process backend via TaskScheduler', processRate, 'reference'),
  ],
);

report([
  {
    workload: '100k tasks, thread backend + scheduler',
    weft: `${formatCount(thread)}/s`,
    peer: `piscina ${formatCount(peer)}/s`,
    ratio: formatRatio(thread / peer),
    target: '≥ 2×',
    met: thread / peer >= 2,
  },
  {
    workload: '100k tasks, parallelMap (chunked, warm)',
    weft: `${formatCount(mapped)}/s`,
    peer: `piscina ${formatCount(peer)}/s`,
    ratio: formatRatio(mapped / peer),
    target: '≥ 10×',
    met: mapped / peer >= 10,
  },
]);
