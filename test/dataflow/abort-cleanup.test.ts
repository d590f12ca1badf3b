import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment, JobFailedError } from '../../src/dataflow/index.js';

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));

describe('a failed job waits for its running tasks before cleaning up', () => {
  it('no task is still running when the write aborts, and no staging folder stays (async backend)', async () => {
    const env = ExecutionEnvironment.create({ parallelism: 2, backend: 'async', slots: 2 });
    envs.push(env);
    const dir = mkdtempSync(join(tmpdir(), 'weft-df-abort-'));
    const out = join(dir, 'out');
    expect(await env.fromCollection(['old']).writeCsv(out)).toBe(1);
    const marker = join(dir, 'marker');
    const order: string[] = [];
    const job = env
      .fromCollection([0, 1])
      .map(
        async (x: number, ctx) => {
          if (x === 0) throw new Error('partition 0 fails at once');
          // Partition 1 ignores the abort for a while, then leaves a trace the test can read.
          await new Promise((r) => setTimeout(r, 300));
          const { writeFileSync } = await import('node:fs');
          writeFileSync(ctx.with.marker, 'partition 1 returned');
          return x;
        },
        { with: { marker } },
      )
      .writeCsv(out);
    const error = await job.catch((e: unknown) => e);
    order.push(readdirSync(dir).includes('marker') ? 'task stopped before the job failed' : 'job failed while a task ran');
    expect(error).toBeInstanceOf(JobFailedError);
    expect(order).toEqual(['task stopped before the job failed']);
    expect(readdirSync(dir).filter((f) => f.includes('weft-staging'))).toEqual([]);
    expect(readFileSync(join(out, 'part-00000.csv'), 'utf8')).toMatch(/old/);
  });
});
