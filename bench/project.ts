/**
 * (f) A project job over 200 instances × 5 targets of sleeping work (10 ms each) with `-j 1, 2, 8,
 * 32` — Flowman's third level of parallelism — against the ideal wall time, plus weft's own cost
 * per target: everything a target phase pays besides its work (the phase DAGs, the clean check,
 * the state store records on SQLite, events, the instance contexts).
 *
 * Each instance runs the `build` lifecycle (validate → create → build → verify) on the sequential
 * target executor, so one instance takes 5 × 10 ms of work; 200 instances on `-j N` take
 * ⌈200 / N⌉ waves of that. The targets form a small DAG (t3 after t1, t4 after t2, t5 after both).
 * The sleep target kind is defined here; everything else is the project layer users run.
 *
 * Run alone: npm run build && node --import tsx bench/project.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { MAPPING_KINDS, ProjectSession, RELATION_KINDS, executeJob, openStateStore, storeRecorder } from 'weft';
import type { Kinds, Target, TargetKind } from 'weft';
import { formatMs, formatRatio, medianOf, printTable, report, rounds, timeMs } from './lib/harness.js';

const INSTANCES = 200;
const TARGETS = 5;
const SLEEP_MS = 10;
const JOBS = [1, 2, 8, 32];
const ROUNDS = rounds(3);

const sleepKind: TargetKind<{ ms: number; after: string[] }> = {
  kind: 'sleep',
  summary: 'waits (benchmark)',
  spec: z.strictObject({ ms: z.number(), after: z.array(z.string()).default([]) }),
  create: (spec, setup): Target => ({
    name: setup.name,
    kind: 'sleep',
    location: setup.location,
    description: undefined,
    before: [],
    after: spec.after,
    phases: new Set(['build']),
    mappings: [],
    relations: [],
    partitionKey: '',
    provides: () => [],
    requires: () => [],
    outputExists: () => Promise.resolve(undefined),
    execute: () => new Promise((resolve) => setTimeout(() => resolve({}), spec.ms)),
  }),
};

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-project-'));
writeFileSync(
  join(dir, 'project.yml'),
  `name: bench
targets:
  t1: { kind: sleep, ms: ${SLEEP_MS} }
  t2: { kind: sleep, ms: ${SLEEP_MS} }
  t3: { kind: sleep, ms: ${SLEEP_MS}, after: [t1] }
  t4: { kind: sleep, ms: ${SLEEP_MS}, after: [t2] }
  t5: { kind: sleep, ms: ${SLEEP_MS}, after: [t3, t4] }
jobs:
  main:
    parameters: [{ name: n, type: integer }]
    targets: [t1, t2, t3, t4, t5]
`,
);
const kinds: Kinds = { relations: RELATION_KINDS, mappings: MAPPING_KINDS, targets: new Map([['sleep', sleepKind]]) };
const session = await ProjectSession.open({ path: dir, kinds, conf: ['weft.execution.backend=async'] });
const store = await openStateStore(null, dir);

async function runOnce(jobs: number): Promise<number> {
  const batchId = await store.beginBatch({ project: 'bench', job: 'main', lifecycle: 'build', args: `j=${jobs}`, instances: [] });
  return timeMs(async () => {
    const run = await executeJob(session, {
      job: 'main',
      args: ['n:start=0', `n:end=${INSTANCES}`],
      jobs,
      recorderFor: (instance) => storeRecorder({ store, batchId, project: 'bench', job: 'main', lifecycle: 'build', instance }),
    });
    if (run.status !== 'succeeded' || run.instances.length !== INSTANCES) throw new Error(`expected ${INSTANCES} instances to succeed, got ${run.status}`);
  });
}

const rows: string[][] = [];
const summary = [];
for (const jobs of JOBS) {
  const wall = await medianOf(jobs === 1 ? 1 : ROUNDS, jobs === 1 ? 0 : 1, () => runOnce(jobs));
  const ideal = Math.ceil(INSTANCES / jobs) * TARGETS * SLEEP_MS;
  // Overhead per target phase: the extra wall time, spread over the targets each instance slot ran.
  const perTarget = ((wall - ideal) * jobs) / (INSTANCES * TARGETS);
  rows.push([`-j ${jobs}`, formatMs(wall), formatMs(ideal), `${((ideal / wall) * 100).toFixed(1)} %`, formatRatio(ideal / wall), `${perTarget.toFixed(2)} ms`]);
  summary.push({
    workload: `project job, 200 instances × 5 targets, -j ${jobs}`,
    weft: formatMs(wall),
    peer: `ideal ${formatMs(ideal)}`,
    ratio: formatRatio(wall / ideal),
    target: 'reference',
    met: null,
  });
}
printTable(
  `(f) project job: ${INSTANCES} instances × ${TARGETS} targets of ${SLEEP_MS} ms, sequential target executor, SQLite state store; median of ${ROUNDS} rounds after a warm-up (-j 1: one round)`,
  ['instances at once', 'wall', 'ideal', 'of ideal', 'efficiency', 'overhead per target'],
  rows,
);
report(summary);
await store.close();
await session.close();
rmSync(dir, { recursive: true, force: true });
