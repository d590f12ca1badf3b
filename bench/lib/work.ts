/**
 * The steps weft's benchmarks run on thread and process workers. They live in a module of their
 * own because a worker imports the module that declared a step (code is found, not sent): the
 * benchmark scripts themselves must not be imported by workers, or their top-level code would run
 * there. piscina runs the same work from `piscina-worker.mjs`.
 */
import { step } from 'weft';
import { burn } from './burn.mjs';

/** The trivial task: one addition (`fn(item, ctx)` shaped, so `parallelMap` can map it too). */
export const inc = step('bench_inc', (x: number) => x + 1);

/** The CPU-bound task: `iterations` rounds of the shared kernel (calibrated to ~50 ms by the caller). */
export const cpu = step('bench_cpu', ({ iterations }: { iterations: number }) => burn(iterations));

/** Iterations of the kernel that take about `targetMs` in this thread, measured after a warm-up. */
export function calibrate(targetMs: number): number {
  const probe = 2_000_000;
  burn(probe);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    burn(probe);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const perIteration = times[2]! / probe;
  return Math.max(1, Math.round(targetMs / perIteration));
}
