/**
 * `npm run bench`: runs every benchmark, each in a fresh process (so one's JIT state, heap and
 * worker pools cannot colour the next), one after the other, then prints one summary table of all
 * their figures against their peers and targets (TARGETS.md). Benchmarks import weft from `'weft'`,
 * the package's built `dist/`, so `npm run build` must run first (the npm script does).
 *
 * Run: npm run bench [-- tasks cpu …]   (names select benchmarks; default all)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSummary } from './lib/harness.js';
import type { SummaryRow } from './lib/harness.js';

const BENCHMARKS = ['tasks', 'cpu', 'dag', 'io', 'scheduler', 'dataflow', 'project'] as const;

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`Expected benchmark names among ${BENCHMARKS.join(', ')}, got ${unknown.join(', ')}. Pass none to run all.`);
  process.exit(2);
}
const selected = wanted.length > 0 ? BENCHMARKS.filter((name) => wanted.includes(name)) : BENCHMARKS;

const dir = mkdtempSync(join(tmpdir(), 'weft-bench-'));
const summaryFile = join(dir, 'summary.jsonl');
const failed: string[] = [];
const started = performance.now();
/** The machine is shared: its load says how far CPU-bound figures can be trusted. */
const load = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');
console.log(`weft benchmarks on ${availableParallelism()} cores, Node ${process.version}; load average before: ${load()}`);
try {
  for (const name of selected) {
    const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], {
      stdio: 'inherit',
      env: { ...process.env, WEFT_BENCH_SUMMARY: summaryFile },
    });
    if (result.status !== 0) {
      failed.push(name);
      console.error(`bench/${name}.ts failed (${result.error?.message ?? `exit code ${String(result.status ?? result.signal)}`})`);
    }
  }
  let text = '';
  try {
    text = readFileSync(summaryFile, 'utf8');
  } catch {
    // No benchmark reported a row: the summary below is empty.
  }
  const rows = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SummaryRow);
  printSummary(rows);
  const missed = rows.filter((row) => row.met === false).length;
  console.log(
    `\n${rows.length} rows, ${missed} target(s) missed; ${selected.length} benchmark(s) in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
      `load average after: ${load()}` +
      `${failed.length > 0 ? `; FAILED: ${failed.join(', ')}` : ''}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed.length > 0 ? 1 : 0;
