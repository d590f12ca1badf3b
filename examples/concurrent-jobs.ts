/**
 * Spark's "sequential vs parallel jobs": two independent read-join-count workflows, run one after
 * the other, then at the same time as concurrent jobs sharing the slots under FAIR scheduling
 * (each in its own pool, like a Spark thread with its own `spark.scheduler.pool`).
 *
 * Both modes are measured warm: one untimed round first starts the workers and loads the code in
 * them, which would otherwise be charged to whichever mode runs first.
 *
 *   npx weft run examples/concurrent-jobs.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionEnvironment, resolveConfig, withPool } from 'weft';

const dataDir = join(import.meta.dirname, 'data', 'jobs');

/** Writes `a1.csv … a4.csv`: `id,value`, each file a shuffled subset of ids. */
async function makeData(rows: number): Promise<void> {
  if (existsSync(join(dataDir, 'a4.csv'))) return;
  await mkdir(dataDir, { recursive: true });
  for (let f = 1; f <= 4; f++) {
    const lines = ['id,value'];
    for (let i = 0; i < rows; i++) if ((i * 7 + f) % 5 !== 0) lines.push(`${i},${(i * f) % 97}`);
    await writeFile(join(dataDir, `a${f}.csv`), `${lines.join('\n')}\n`);
  }
}

export default async function main(): Promise<void> {
  await makeData(100_000);
  const config = resolveConfig({
    code: { 'weft.scheduler.mode': 'FAIR', 'weft.scheduler.pools': { first: { mode: 'FAIR' }, second: { mode: 'FAIR' } } },
  });
  const env = ExecutionEnvironment.create({ config, parallelism: 2 });
  const doJob = (a: string, b: string): Promise<number> =>
    env.readCsv(join(dataDir, a)).join(env.readCsv(join(dataDir, b)), 'id').count();

  let started = performance.now();
  await doJob('a1.csv', 'a2.csv');
  console.log(`warm-up (starts the workers, loads the code): ${(performance.now() - started).toFixed(0)} ms, not counted below`);

  started = performance.now();
  const count1 = await doJob('a1.csv', 'a2.csv');
  const count2 = await doJob('a3.csv', 'a4.csv');
  const sequential = performance.now() - started;
  console.log(`sequential: counts ${count1} and ${count2} in ${sequential.toFixed(0)} ms`);

  started = performance.now();
  const outputs = await Promise.all([
    withPool('first', () => doJob('a1.csv', 'a2.csv')),
    withPool('second', () => doJob('a3.csv', 'a4.csv')),
  ]);
  const concurrent = performance.now() - started;
  console.log(`concurrent (FAIR): counts ${outputs.join(' and ')} in ${concurrent.toFixed(0)} ms`);
  console.log(`concurrent / sequential: ${(concurrent / sequential).toFixed(2)}× the wall time (both warm, same slots)`);
  await env.close();
}
