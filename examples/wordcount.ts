/**
 * Flink's word count, as a batch job over text files — with parallelism set at every level:
 *
 *   npx weft run examples/wordcount.ts              # sources run at the default (cores)
 *   npx weft run examples/wordcount.ts -p 2         # CLI level: every operator without its own setting runs at 2
 *   WORDCOUNT_ENV_PARALLELISM=3 npx weft run examples/wordcount.ts    # environment level (above -p)
 *
 * The counting operator always runs with 5 tasks: `.sum(1).setParallelism(5)` is operator level, the highest.
 * `explain()` prints each operator's parallelism and where it came from.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionEnvironment } from 'weft';

const dataDir = join(import.meta.dirname, 'data', 'wordcount');
const WORDS = ['to', 'be', 'or', 'not', 'that', 'is', 'the', 'question', 'whether', 'tis', 'nobler', 'in', 'mind', 'suffer'];

/** Writes a few deterministic text files if they are not there yet. */
async function makeText(files: number, lines: number): Promise<void> {
  if (existsSync(join(dataDir, `part-${files - 1}.txt`))) return;
  await mkdir(dataDir, { recursive: true });
  let seed = 7;
  for (let f = 0; f < files; f++) {
    const out: string[] = [];
    for (let l = 0; l < lines; l++) {
      const words: string[] = [];
      for (let w = 0; w < 8; w++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        words.push(WORDS[seed % WORDS.length]!);
      }
      out.push(words.join(' '));
    }
    await writeFile(join(dataDir, `part-${f}.txt`), `${out.join('\n')}\n`);
  }
}

export default async function main(): Promise<void> {
  await makeText(4, 5_000);
  const envParallelism = process.env.WORDCOUNT_ENV_PARALLELISM;
  const env = ExecutionEnvironment.create(envParallelism ? { parallelism: Number(envParallelism) } : {});
  const counts = env
    .readText(join(dataDir, '*.txt'))
    .flatMap((line: string) => line.split(' '))
    .map((word: string) => [word, 1] as [string, number])
    .keyBy(0)
    .sum(1)
    .setParallelism(5);
  console.log(counts.explain());
  const top = (await counts.collect()).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [word, n] of top.slice(0, 5)) console.log(`${word.padEnd(10)} ${n}`);
  console.log(`${top.length} distinct words`);
  await env.close();
}
