/**
 * In-step parallelism: one step maps a function over many items with `parallelMap`, on the same
 * slots as the run (the step's own slot is released while it waits).
 *
 *   npx weft run examples/in-step-parallel-map.ts
 */
import { Pipeline, parallelMap, step } from 'weft';

/** Runs in a worker, found by its id: it may call anything in this module. */
export const processItem = step('process_item', (item: number) => isPrime(item));

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

export const batchProcess = step('batch_process', async ({ items }: { items: number[] }) => {
  const flags = await parallelMap(processItem, items, { maxWorkers: 8 });
  return items.filter((_, i) => flags[i]).length;
});

export const pipeline = new Pipeline('in_step_parallelism');
pipeline.addStep(batchProcess, {
  params: { items: Array.from({ length: 200_000 }, (_, i) => i) },
  backend: 'async',
});
