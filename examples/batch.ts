/**
 * Real-world pattern — batch processing: split a dataset into 10 CSV chunks and process them in
 * parallel on 4 child processes (isolated from each other's crashes and memory).
 *
 *   npx weft run examples/batch.ts
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pipeline, ParallelExecutor, step } from 'weft';

const dataDir = join(import.meta.dirname, 'data', 'batch');

/** Writes 10 deterministic CSV chunks (id,value) if they are not there yet. */
export const makeChunks = step('make_chunks', async ({ dir, chunks, rows }: { dir: string; chunks: number; rows: number }) => {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let c = 0; c < chunks; c++) {
    const lines = ['id,value'];
    for (let r = 0; r < rows; r++) lines.push(`${c * rows + r},${((c * rows + r) * 7919) % 1000}`);
    const path = join(dir, `part_${c}.csv`);
    await writeFile(path, `${lines.join('\n')}\n`);
    paths.push(path);
  }
  return paths;
});

/** Heavy work per chunk: parse the CSV and return the mean of `value`. */
export const processChunk = step('process_chunk', async ({ chunkPath }: { chunkPath: string }) => {
  const text = await readFile(chunkPath, 'utf8');
  const lines = text.trimEnd().split('\n').slice(1);
  let sum = 0;
  for (const line of lines) sum += Number(line.slice(line.indexOf(',') + 1));
  return { path: chunkPath, rows: lines.length, mean: sum / lines.length };
});

export const pipeline = new Pipeline('batch_processor');
const made = pipeline.addStep(makeChunks, { params: { dir: dataDir, chunks: 10, rows: 20_000 } });
for (let i = 0; i < 10; i++) {
  pipeline.addStep(processChunk, { name: `chunk_${i}`, params: { chunkPath: join(dataDir, `part_${i}.csv`) }, after: [made] });
}

/** The executor the seed page uses: 4 processes. `weft run` flags override it. */
export const executor = new ParallelExecutor({ maxWorkers: 4, backend: 'process' });
