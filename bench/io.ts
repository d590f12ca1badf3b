/**
 * (d) 100 I/O-bound steps of 50 ms (`setTimeout`) with `ParallelExecutor({ maxWorkers: 16, backend: 'async' })`:
 * how close overlapping waits get to the ideal. 100 steps on 16 slots take ⌈100 / 16⌉ = 7 waves,
 * so the ideal wall is 7 × 50 ms = 350 ms, a 100 / 7 ≈ 14.3× speedup over `SequentialExecutor`
 * (16× per wave; the last wave is partly empty). The sequential run is measured once: it takes
 * over 5 s and its figure hardly varies.
 *
 * Run alone: npm run build && node --import tsx bench/io.ts
 */
import { ParallelExecutor, Pipeline, SequentialExecutor } from 'weft';
import type { PipelineExecutor } from 'weft';
import { formatMs, formatRatio, medianOf, printTable, report, rounds, timeMs } from './lib/harness.js';

const STEPS = 100;
const WAIT_MS = 50;
const WORKERS = 16;
const ROUNDS = rounds(5);
const IDEAL_MS = Math.ceil(STEPS / WORKERS) * WAIT_MS;

const wait = ({ ms }: { ms: number }): Promise<number> => new Promise((resolve) => setTimeout(() => resolve(ms), ms));
const pipeline = new Pipeline('bench_io');
for (let i = 0; i < STEPS; i++) pipeline.addStep(wait, { name: `wait_${i}`, params: { ms: WAIT_MS } });

const runOnce = (executor: () => PipelineExecutor) => () =>
  timeMs(async () => {
    (await pipeline.run({ executor: executor() })).assertSucceeded();
  });

const parallelMs = await medianOf(ROUNDS, 1, runOnce(() => new ParallelExecutor({ maxWorkers: WORKERS, backend: 'async' })));
const sequentialMs = await medianOf(1, 0, runOnce(() => new SequentialExecutor()));

const ofIdeal = IDEAL_MS / parallelMs;
printTable(
  `(d) ${STEPS} I/O-bound steps of ${WAIT_MS} ms, ${WORKERS} async slots; parallel: median of ${ROUNDS} rounds after a warm-up`,
  ['strategy', 'wall', 'speedup', 'of ideal'],
  [
    ['SequentialExecutor (baseline, 1 round)', formatMs(sequentialMs), formatRatio(1), ''],
    ['ideal: 7 waves of 50 ms', formatMs(IDEAL_MS), formatRatio(sequentialMs / IDEAL_MS), '100.0 %'],
    ['weft ParallelExecutor async, 16 workers', formatMs(parallelMs), formatRatio(sequentialMs / parallelMs), `${(ofIdeal * 100).toFixed(1)} %`],
  ],
);

report([
  {
    workload: '100 × 50 ms I/O steps, 16 async slots',
    weft: `${formatMs(parallelMs)} (${formatRatio(sequentialMs / parallelMs)})`,
    peer: `ideal ${formatMs(IDEAL_MS)}`,
    ratio: formatRatio(ofIdeal),
    target: 'within 10% of ideal',
    met: parallelMs <= IDEAL_MS * 1.1,
  },
]);
