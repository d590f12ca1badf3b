/**
 * The shared harness of weft's benchmarks: repeated measurement (warm-up rounds, then the median of
 * several rounds), small aligned tables, and the summary rows that `run-all.ts` gathers into one
 * final table. Each benchmark runs in its own process, so summary rows travel through a JSON-lines
 * file named by `WEFT_BENCH_SUMMARY`; a benchmark run alone prints its rows itself.
 *
 * Benchmarks report figures and never assert them: tests assert behaviour (STYLE.md).
 */
import { appendFileSync } from 'node:fs';

/** One row of the final summary: a workload, weft's figure, the peer's, their ratio and the target. */
export interface SummaryRow {
  workload: string;
  weft: string;
  peer: string;
  ratio: string;
  target: string;
  /** Whether the target was met; `null` for reference rows without a target. */
  met: boolean | null;
}

/** How many rounds to measure, from `BENCH_ROUNDS` (default `fallback`), at least 1. */
export function rounds(fallback: number): number {
  const fromEnv = Number(process.env.BENCH_ROUNDS);
  return Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv : fallback;
}

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('Expected at least one measured value to take a median of, got none');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs `once` `warmup` times unmeasured, then `count` times, and returns the median of what the
 * measured rounds returned (each round returns its own figure, e.g. a wall time in ms).
 */
export async function medianOf(count: number, warmup: number, once: () => Promise<number>): Promise<number> {
  for (let i = 0; i < warmup; i++) await once();
  const figures: number[] = [];
  for (let i = 0; i < count; i++) figures.push(await once());
  return median(figures);
}

/** Milliseconds taken by `fn`. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** `12,345` — a whole number with thousands separators. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `1.95×` — a ratio with two decimals. */
export function formatRatio(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** `1,234 ms` or `12.3 ms`. */
export function formatMs(value: number): string {
  return value >= 100 ? `${formatCount(value)} ms` : `${value.toFixed(1)} ms`;
}

/** Prints a table with a header row, columns padded to their widest cell (numbers right-aligned). */
export function printTable(title: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** Prints the final summary table of some rows. */
export function printSummary(rows: readonly SummaryRow[]): void {
  printTable(
    'Summary (medians; peers measured in the same run)',
    ['workload', 'weft', 'peer', 'ratio', 'target', 'met'],
    rows.map((row) => [row.workload, row.weft, row.peer, row.ratio, row.target, row.met === null ? 'n/a' : row.met ? 'yes' : 'NO']),
  );
}

/** Hands summary rows to `run-all.ts`, or prints them when the benchmark runs alone. */
export function report(rows: readonly SummaryRow[]): void {
  const file = process.env.WEFT_BENCH_SUMMARY;
  if (file) appendFileSync(file, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  else printSummary(rows);
}
