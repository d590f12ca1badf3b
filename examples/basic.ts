/**
 * Basic usage: five independent steps run in parallel on worker threads.
 *
 *   npx weft run examples/basic.ts
 *   npx weft run examples/basic.ts -j 2 --backend process
 */
import { Pipeline, step } from 'weft';

/** Simulates a little CPU work, then reports which chunk it processed. */
export const processChunk = step('process_chunk', ({ chunkId }: { chunkId: number }) => {
  let x = 0;
  for (let i = 0; i < 30_000_000; i++) x = (x + i * (chunkId + 1)) % 1_000_003;
  return `processed_${chunkId} (checksum ${x})`;
});

export const summarize = step('summarize', (chunks: Record<string, string>) => Object.keys(chunks).length);

const pipeline = new Pipeline('parallel_processing');
const chunks: Record<string, ReturnType<typeof pipeline.addStep>> = {};
for (let i = 0; i < 5; i++) {
  chunks[`chunk_${i}`] = pipeline.addStep(processChunk, { name: `chunk_${i}`, params: { chunkId: i } });
}
pipeline.addStep(summarize, { inputs: Object.keys(chunks) });

export default pipeline;
