// Trivial tasks per second through each backend with 2 slots, keeping a window of runs in flight per slot
// (the scheduler pipelines short tasks the same way). Run: npx tsx bench/runtime-throughput.ts
import type { BackendKind } from '../src/runtime/backend.js';
import { createBackend } from '../src/runtime/create-backend.js';
import { toFunctionRef } from '../src/runtime/lambda-check.js';

const TASKS = Number(process.env.TASKS ?? 200_000);
import { setMaxListeners } from 'node:events';
const WINDOW = Number(process.env.WINDOW ?? 512);

async function measure(kind: BackendKind, tasks: number): Promise<number> {
  const backend = createBackend(kind, { slots: 2 });
  const fn = toFunctionRef((x: number) => x + 1, 'inc', kind);
  const signal = new AbortController().signal;
  setMaxListeners(0, signal);
  await backend.prepare([{ fn, label: 'inc' }]);
  await Promise.all([0, 1].map((slot) => backend.run({ fn, mode: 'call', input: 0, label: 'inc' }, { slot, taskId: 0, signal })));
  let issued = 0;
  const start = performance.now();
  const lane = async (slot: number): Promise<void> => {
    const inFlight = new Set<Promise<unknown>>();
    while (issued < tasks) {
      const p = backend.run({ fn, mode: 'call', input: issued++, label: 'inc' }, { slot, taskId: issued, signal });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= WINDOW) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  };
  await Promise.all([lane(0), lane(1)]);
  const seconds = (performance.now() - start) / 1000;
  await backend.close();
  return tasks / seconds;
}

const results: Record<string, number> = {};
for (const kind of ['async', 'thread', 'process'] as const) {
  results[kind] = await measure(kind, kind === 'process' ? Math.min(TASKS, 50_000) : TASKS);
  console.log(`${kind.padEnd(8)} ${Math.round(results[kind]).toLocaleString('en-US').padStart(10)} tasks/s`);
}
console.log(`thread/async ratio ${((results.thread ?? 0) / (results.async ?? 1)).toFixed(2)}`);
