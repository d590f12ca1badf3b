import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStream, UsageError, type StageEvent } from '../../src/index.js';
import { ExecutionEnvironment } from '../../src/dataflow/index.js';
import { resolveConfig } from '../../src/config/index.js';

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));
function make(backend: 'async' | 'thread', parallelism = 2): { env: ExecutionEnvironment; stages: StageEvent[] } {
  const events = new EventStream();
  const stages: StageEvent[] = [];
  events.on('stage.succeeded', (e) => stages.push(e));
  const env = ExecutionEnvironment.create({ parallelism, backend, slots: 2, events });
  envs.push(env);
  return { env, stages };
}

function* naturals(pulled: { n: number; closed?: boolean }): Generator<number> {
  try {
    for (let i = 0; ; i++) {
      pulled.n = i + 1;
      yield i;
    }
  } finally {
    pulled.closed = true;
  }
}

describe.each(['async', 'thread'] as const)('fromIterable streams (%s)', (backend) => {
  it('reads an unbounded generator for first(n), then stops and closes it', async () => {
    const { env } = make(backend);
    const pulled: { n: number; closed?: boolean } = { n: 0 };
    const out = await env.fromIterable(naturals(pulled), { batchRows: 100 }).map((x: number) => x * 2).first(5);
    expect(out).toEqual([0, 2, 4, 6, 8]);
    expect(pulled.closed).toBe(true);
    // Read in whole chunks of 100, only as tasks asked for them.
    expect(pulled.n % 100).toBe(0);
  });

  it('keeps the iterable’s order and reads an async iterable too', async () => {
    const { env } = make(backend, 3);
    async function* letters(): AsyncGenerator<string> {
      for (let i = 0; i < 1000; i++) yield await Promise.resolve(`r${i}`);
    }
    const rows = await env.fromIterable(letters(), { batchRows: 64 }).collect();
    expect(rows).toEqual(Array.from({ length: 1000 }, (_, i) => `r${i}`));
  });

  it('refuses a second action on a read-once iterable, saying why and how to fix it', async () => {
    const { env } = make(backend);
    const ds = env.fromIterable(naturals({ n: 0 })).map((x: number) => x + 1);
    expect(await ds.first(3)).toEqual([1, 2, 3]);
    const error = (await ds.count().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/already read by job \d+.*can be read only once.*env\.fromIterable\(\(\) => makeRecords\(\)\)/);
  });

  it('reads a fresh iterable per action from a factory, and arrays again and again', async () => {
    const { env } = make(backend);
    function* five(): Generator<number> {
      yield* [1, 2, 3, 4, 5];
    }
    const fromFactory = env.fromIterable(five);
    expect(await fromFactory.count()).toBe(5);
    expect(await fromFactory.collect()).toEqual([1, 2, 3, 4, 5]);
    const fromArray = env.fromIterable([3, 1, 2]);
    expect(await fromArray.count()).toBe(3);
    expect(await fromArray.sortBy((x: number) => x).collect()).toEqual([1, 2, 3]);
  });
});

describe('first(n) stops reading', () => {
  it('a task stops reading its file once it has n records, and later partitions do not run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-df-first-'));
    for (let f = 0; f < 4; f++) {
      writeFileSync(join(dir, `part-${f}.txt`), `${Array.from({ length: 50_000 }, (_, i) => `file ${f} line ${i}`).join('\n')}\n`);
    }
    const { env, stages } = make('async', 4);
    const firstRows = await env.readText(join(dir, '*.txt'), { batchRows: 1000 }).first(3);
    expect(firstRows).toEqual(['file 0 line 0', 'file 0 line 1', 'file 0 line 2']);
    const total = await env.readText(join(dir, '*.txt')).count();
    expect(total).toBe(200_000);
    // The first job read far less than the 200 000 lines.
    expect(stages[0]!.rowsIn).toBeLessThan(20_000);
  });
});

describe('writes stream', () => {
  /** Bytes in the unfinished part files of a write in progress into `out`. */
  function partBytesInFlight(parent: string, out: string): number {
    let bytes = 0;
    for (const entry of readdirSync(parent)) {
      if (!entry.startsWith(`.${out}`)) continue;
      for (const name of readdirSync(join(parent, entry))) if (name.endsWith('.tmp')) bytes += statSync(join(parent, entry, name)).size;
    }
    return bytes;
  }

  it.each(['csv', 'json', 'parquet'] as const)('a task writes its part (%s) while it still reads, not after', async (format) => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-df-write-'));
    writeFileSync(join(dir, 'in.txt'), `${Array.from({ length: 300_000 }, (_, i) => `line ${i} of one split`).join('\n')}\n`);
    const { env } = make('async', 1);
    const seen: number[] = [];
    let n = 0;
    const rows = env.readText(join(dir, 'in.txt'), { batchRows: 1000 }).map((line: string) => {
      if (n++ % 100_000 === 0) seen.push(partBytesInFlight(dir, 'out'));
      return { line, twice: `${line} ${line}` };
    });
    const write = format === 'csv' ? 'writeCsv' : format === 'json' ? 'writeJson' : 'writeParquet';
    expect(await rows[write](join(dir, 'out'))).toBe(300_000);
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe(0);
    // By the time the task read its last 100,000 lines, its part file already held earlier ones.
    expect(seen[2]).toBeGreaterThan(0);
  });

  it('a failure after part of the rows were written leaves no part file and the old output in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-df-write-'));
    const { env } = make('async', 1);
    await env.fromCollection([{ id: -1 }]).writeCsv(join(dir, 'out'));
    function* rows(): Generator<{ id: number }> {
      for (let i = 0; i < 200_000; i++) {
        if (i === 150_000) throw new Error('source broke at 150000');
        yield { id: i };
      }
    }
    await expect(env.fromIterable(rows, { batchRows: 1000 }).writeCsv(join(dir, 'out'))).rejects.toThrow(/source broke at 150000/);
    expect(readdirSync(dir)).toEqual(['out']);
    expect(await env.readCsv(join(dir, 'out')).collect()).toEqual([{ id: -1 }]);
  });
});

describe('batch sizes', () => {
  // Async functions of one batch run concurrently (operators.ts), so the most calls in flight at
  // once is the size of the batches the source read.
  const widest = async (env: ExecutionEnvironment, path: string, options: { batchRows?: number } = {}): Promise<number> => {
    let inFlight = 0;
    let most = 0;
    await env
      .readText(path, options)
      .map(async (line: string) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return line;
      })
      .count();
    return most;
  };
  const dir = mkdtempSync(join(tmpdir(), 'weft-batch-rows-'));
  const path = join(dir, 'lines.txt');
  writeFileSync(path, Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n'));
  const envWith = (config: Record<string, unknown>): ExecutionEnvironment => {
    const env = ExecutionEnvironment.create({ parallelism: 1, backend: 'async', config: resolveConfig({ env: {}, cwd: dir, code: config }) });
    envs.push(env);
    return env;
  };

  it('reads text 4096 lines at a time by default; weft.dataflow.batchRows sets it, a source option wins', async () => {
    expect(await widest(envWith({}), path)).toBe(4096);
    expect(await widest(envWith({ 'weft.dataflow.batchRows': 700 }), path)).toBe(700);
    expect(await widest(envWith({ 'weft.dataflow.batchRows': 700 }), path, { batchRows: 300 })).toBe(300);
  });
});
