/**
 * Runs only a group-by-sum over one CSV (thread backend, 2 slots, p=2) in a fresh process, then
 * prints one JSON line: the groups, the wall time and the process's peak resident set size
 * (`process.resourceUsage().maxRSS`, which covers the worker threads), also sampled every 50 ms
 * to see the shape over time. `bench/dataflow.ts` starts it so nothing else colours the peak.
 *
 * Run: node --import tsx bench/lib/dataflow-rss-child.ts <file.csv>
 */
import { ExecutionEnvironment, weftGroupBySum } from './dataflow-weft.js';

const path = process.argv[2];
if (!path) {
  console.error('Expected the path of a CSV to group as the first argument, got none');
  process.exit(2);
}
let sampledPeak = 0;
const timer = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss())), 50);
const env = ExecutionEnvironment.create({ backend: 'thread', slots: 2, parallelism: 2 });
const started = performance.now();
const { groups } = await weftGroupBySum(env, path);
const wallMs = performance.now() - started;
await env.close();
clearInterval(timer);
console.log(JSON.stringify({ groups, wallMs, maxRssKb: process.resourceUsage().maxRSS, sampledPeakBytes: sampledPeak }));
