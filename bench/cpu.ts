/**
 * (b) 40 CPU-bound ~50 ms pure-JS tasks on 2 cores: how close weft gets to a perfect 2× speedup.
 *
 * Baseline: the 40 tasks one after another in the main thread. weft: a `Pipeline` of 40 independent
 * steps on a long-lived `ParallelExecutor({ maxWorkers: 2, backend: 'thread' })` (warm, like the
 * peer), plus a fresh executor per run for reference (start-up included). Peer: piscina with 2 warm threads
 * running the same kernel. The kernel is calibrated to ~50 ms in this process before measuring.
 *
 * Run alone: npm run build && node --import tsx bench/cpu.ts
 */
import { Piscina } from 'piscina';
import { ParallelExecutor, Pipeline, TaskScheduler, createBackend, stepDefinition } from 'weft';
import { burn } from './lib/burn.mjs';
import { formatMs, formatRatio, median, printTable, report, rounds, timeMs } from './lib/harness.js';
import { calibrate, cpu } from './lib/work.js';

const TASKS = 40;
const WORKERS = 2;
const ROUNDS = rounds(3);
const iterations = calibrate(50);

const pipeline = new Pipeline('bench_cpu');
for (let i = 0; i < TASKS; i++) pipeline.addStep(cpu, { name: `cpu_${i}`, params: { iterations } });

const definition = stepDefinition(cpu);
if (!definition) throw new Error('Expected bench/lib/work.ts `cpu` to be declared with step(), got a plain function');
const fn = { kind: 'module' as const, ...definition };
const scheduler = new TaskScheduler({ backend: createBackend('thread', { slots: WORKERS }) });
const set = scheduler.createTaskSet({ name: 'bench_cpu' });

const pool = new Piscina<number, number>({
  filename: new URL('./lib/piscina-worker.mjs', import.meta.url).href,
  name: 'cpu',
  minThreads: WORKERS,
  maxThreads: WORKERS,
  idleTimeout: 60_000,
});

/** One executor reused by every round: its workers start in the warm-up round, as piscina's do. */
const executor = new ParallelExecutor({ maxWorkers: WORKERS, backend: 'thread' });

/** Each strategy's one round. They are interleaved round by round, so a burst of load elsewhere on this shared machine hits all of them alike. */
const strategies = {
  sequential: () => {
    for (let i = 0; i < TASKS; i++) burn(iterations);
    return Promise.resolve();
  },
  /** A `Pipeline` on a long-lived `ParallelExecutor` (warm, like the piscina peer). */
  weft: async () => {
    const result = await pipeline.run({ executor });
    result.assertSucceeded();
  },
  /** A `Pipeline` on a fresh `ParallelExecutor`: each run starts its workers (reference). */
  cold: async () => {
    const fresh = new ParallelExecutor({ maxWorkers: WORKERS, backend: 'thread' });
    try {
      const result = await pipeline.run({ executor: fresh });
      result.assertSucceeded();
    } finally {
      await fresh.close();
    }
  },
  /** The same tasks through a warm thread backend and the scheduler: weft's steady state, start-up excluded. */
  warm: () => Promise.all(Array.from({ length: TASKS }, () => scheduler.submit(set, { fn, mode: 'call', input: { iterations }, label: 'bench_cpu' }))),
  piscina: () => Promise.all(Array.from({ length: TASKS }, () => pool.run(iterations))),
};
type Name = keyof typeof strategies;
const names = Object.keys(strategies) as Name[];

const figures = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
try {
  for (let round = -1; round < ROUNDS; round++) {
    for (const name of names) {
      const ms = await timeMs(strategies[name]);
      if (round >= 0) figures[name].push(ms);
    }
  }
} finally {
  set.close();
  await executor.close();
  await scheduler.close();
  await pool.destroy();
}
const sequentialMs = median(figures.sequential);
const weftMs = median(figures.weft);
const warmMs = median(figures.warm);
const coldMs = median(figures.cold);
const piscinaMs = median(figures.piscina);

const row = (name: string, ms: number): string[] => {
  const speedup = sequentialMs / ms;
  return [name, formatMs(ms), formatRatio(speedup), `${((speedup / WORKERS) * 100).toFixed(1)} %`];
};
printTable(
  `(b) ${TASKS} CPU-bound tasks of ~50 ms, ${WORKERS} workers, median of ${ROUNDS} interleaved rounds after a warm-up`,
  ['strategy', 'wall', 'speedup', 'efficiency'],
  [
    row('sequential, main thread (baseline)', sequentialMs),
    row('weft Pipeline, ParallelExecutor thread, warm executor', weftMs),
    row('weft Pipeline, fresh ParallelExecutor (incl. worker start-up, reference)', coldMs),
    row('weft thread backend via TaskScheduler, warm (reference)', warmMs),
    row('piscina, 2 warm threads (peer)', piscinaMs),
  ],
);

const speedup = sequentialMs / weftMs;
report([
  {
    workload: '40 × 50 ms CPU tasks, 2 threads',
    weft: `${formatRatio(speedup)} (${formatMs(weftMs)})`,
    peer: `piscina ${formatRatio(sequentialMs / piscinaMs)}`,
    ratio: formatRatio(speedup),
    target: '≥ 1.85× vs sequential',
    met: speedup >= 1.85,
  },
]);
