/**
 * weft's side of the dataflow benchmark: the jobs it measures, written as a user would. The data
 * plane is not exported from the package root (`'weft'`) yet, so this imports the built
 * `dist/dataflow/` directly — the one place to change when it is.
 */
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
