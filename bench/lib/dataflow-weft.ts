/** weft's side of the dataflow benchmark: the jobs it measures, written as a user would. */
import { ExecutionEnvironment, sum } from 'weft';

export { ExecutionEnvironment };

/** `groupBy('key').agg({ total: sum('value') })`, collected: the number of groups and the grand total. */
export async function weftGroupBySum(env: ExecutionEnvironment, path: string): Promise<{ groups: number; total: number }> {
  const rows = await env.readCsv<{ key: string; value: number }>(path).groupBy('key').agg({ total: sum('value') }).collect();
  return { groups: rows.length, total: rows.reduce((t, r) => t + Number(r.total), 0) };
}

/** `a.join(b, 'id').count()`. */
export function weftJoinCount(env: ExecutionEnvironment, left: string, right: string): Promise<number> {
  return env.readCsv<{ id: number }>(left).join(env.readCsv<{ id: number }>(right), 'id').count();
}

/** Flink's word count: distinct words. */
export function weftWordCount(env: ExecutionEnvironment, path: string): Promise<number> {
  return env
    .readText(path)
    .flatMap((line: string) => line.split(' '))
    .map((word: string) => [word, 1] as [string, number])
    .keyBy(0)
    .sum(1)
    .count();
}

/**
 * The same word count with functions weft does not recognise as intrinsics (plan/intrinsics.ts), so
 * the flatMap and map are called record by record: what any other user function costs.
 */
export function weftWordCountGeneral(env: ExecutionEnvironment, path: string): Promise<number> {
  return env
    .readText(path)
    .flatMap((line: string) => {
      const words = line.split(' ');
      return words;
    })
    .map((word: string) => {
      const pair: [string, number] = [word, 1];
      return pair;
    })
    .keyBy(0)
    .sum(1)
    .count();
}
