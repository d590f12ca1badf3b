/**
 * (c) A random 10k-node DAG of no-op async nodes at parallelism 8: what orchestration costs per node.
 *
 * weft (the headline): the DAG as a `Pipeline` of no-op async steps run with
 * `pipeline.run({ executor })` on one `ParallelExecutor({ backend: 'async' })` — what users run: every
 * run is planned and checked, and every step is a task on the engine's scheduler. For reference,
 * `runGraph` alone over a `Dag` built once (compiled to integer arrays so that one DAG runs many
 * times cheaply): the orchestration without steps. Peer: the least a DAG runner must do — a ready
 * queue fed by per-node counters of unmet dependencies, plus a tiny p-limit style concurrency
 * limiter — written below in ~40 lines.
 * The DAG comes from a seeded PRNG: node i waits for 0–3 distinct earlier nodes.
 *
 * Run alone: npm run build && node --import tsx bench/dag.ts
 */
import { Dag, ParallelExecutor, Pipeline, runGraph } from 'weft';
import type { GraphNode } from 'weft';
import { formatCount, formatMs, formatRatio, medianOf, printTable, report, rounds, timeMs } from './lib/harness.js';

const NODES = 10_000;
const PARALLELISM = 8;
const ROUNDS = rounds(7);
/** Unmeasured rounds first: a run takes milliseconds, so the JIT needs a few to settle. */
const WARMUP = 5;

/** mulberry32: a tiny seeded PRNG, so every run benchmarks the same DAG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Dependencies of each node: 0–3 distinct earlier nodes. */
function randomDeps(size: number, seed: number): number[][] {
  const random = prng(seed);
  const deps: number[][] = [];
  for (let i = 0; i < size; i++) {
    const wanted = Math.min(i, Math.floor(random() * 4));
    const chosen = new Set<number>();
    while (chosen.size < wanted) chosen.add(Math.floor(random() * i));
    deps.push([...chosen]);
  }
  return deps;
}

const deps = randomDeps(NODES, 42);
const noop = (): Promise<void> => Promise.resolve();

// ---- The peer: a bare ready-queue and a p-limit style limiter. ----

/** At most `concurrency` calls of `fn` in flight; the rest wait in arrival order. */
function limiter(concurrency: number): (fn: () => Promise<void>) => Promise<void> {
  const queue: Array<() => void> = [];
  let head = 0;
  let active = 0;
  const next = (): void => {
    active--;
    if (head < queue.length) queue[head++]!();
  };
  return (fn) =>
    new Promise<void>((resolve, reject) => {
      const run = (): void => {
        active++;
        fn().then(
          () => {
            next();
            resolve();
          },
          (error: unknown) => {
            next();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      };
      if (active < concurrency) run();
      else queue.push(run);
    });
}

/** Runs every node once its dependencies are done, at most `parallelism` at a time. */
function bareRun(dependents: readonly number[][], indegree: Int32Array, parallelism: number): Promise<void> {
  const remaining = indegree.slice();
  const limit = limiter(parallelism);
  let done = 0;
  return new Promise<void>((resolve, reject) => {
    const start = (i: number): void => {
      limit(noop).then(() => {
        done++;
        for (const d of dependents[i]!) if ((remaining[d] = remaining[d]! - 1) === 0) start(d);
        if (done === dependents.length) resolve();
      }, reject);
    };
    for (let i = 0; i < dependents.length; i++) if (remaining[i] === 0) start(i);
  });
}

// ---- Measurements. ----

async function bare(): Promise<number> {
  const dependents: number[][] = deps.map(() => []);
  const indegree = new Int32Array(NODES);
  deps.forEach((list, i) => {
    indegree[i] = list.length;
    for (const d of list) dependents[d]!.push(i);
  });
  return medianOf(ROUNDS, WARMUP, () => timeMs(() => bareRun(dependents, indegree, PARALLELISM)));
}

async function graph(): Promise<number> {
  const nodes: Array<GraphNode<null>> = deps.map((list, i) => ({ id: `n${i}`, deps: list.map((d) => `n${d}`), data: null }));
  const dag = new Dag(nodes);
  return medianOf(ROUNDS, WARMUP, () =>
    timeMs(async () => {
      const result = await runGraph(dag, { name: 'bench_dag', parallelism: PARALLELISM, execute: () => noop().then(() => ({})) });
      if (result.status !== 'succeeded') throw new Error(`Expected the DAG run to succeed, got ${result.status}: ${String(result.error)}`);
    }),
  );
}

async function pipeline(): Promise<number> {
  const built = new Pipeline('bench_dag');
  deps.forEach((list, i) => built.addStep(noop, { name: `n${i}`, after: list.map((d) => `n${d}`) }));
  // One executor for every round, as a program running a pipeline repeatedly would keep one.
  const executor = new ParallelExecutor({ maxWorkers: PARALLELISM, backend: 'async' });
  try {
    return await medianOf(ROUNDS, WARMUP, () =>
      timeMs(async () => {
        const result = await built.run({ executor });
        result.assertSucceeded();
      }),
    );
  } finally {
    await executor.close();
  }
}

const bareMs = await bare();
const graphMs = await graph();
const pipelineMs = await pipeline();

const rate = (ms: number): number => NODES / (ms / 1000);
const row = (name: string, ms: number): string[] => [name, formatMs(ms), formatCount(rate(ms)), formatRatio(rate(ms) / rate(bareMs))];
printTable(
  `(c) ${formatCount(NODES)}-node random DAG of no-op async nodes, parallelism ${PARALLELISM}, median of ${ROUNDS} rounds after warm-up`,
  ['strategy', 'wall', 'nodes/s', 'vs bare loop'],
  [
    row('bare ready-queue + limiter (peer)', bareMs),
    row('weft Pipeline, ParallelExecutor async', pipelineMs),
    row('weft runGraph alone (reference)', graphMs),
  ],
);

const pipelineRate = rate(pipelineMs);
const ratio = pipelineRate / rate(bareMs);
report([
  {
    workload: '10k-node DAG, Pipeline on async executor, parallelism 8',
    weft: `${formatCount(pipelineRate)} nodes/s`,
    peer: `bare loop ${formatCount(rate(bareMs))}/s`,
    ratio: formatRatio(ratio),
    target: '≥ 500,000/s and ≥ 0.5×',
    met: pipelineRate >= 500_000 && ratio >= 0.5,
  },
  {
    workload: '10k-node DAG, runGraph alone',
    weft: `${formatCount(rate(graphMs))} nodes/s`,
    peer: `bare loop ${formatCount(rate(bareMs))}/s`,
    ratio: formatRatio(rate(graphMs) / rate(bareMs)),
    target: 'reference',
    met: null,
  },
]);
