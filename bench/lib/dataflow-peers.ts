/**
 * The peers of the dataflow benchmark, run in the same process as weft: DuckDB with 2 threads
 * (the engine users compare us with for local analytics) and the plain single-threaded JS loop a
 * user would write by hand (stream the file, split lines and fields, a `Map`). Each returns what
 * it computed, so the benchmark can check that every contender gives the same answer.
 */
import { createReadStream } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

/** A DuckDB connection limited to `threads` threads; `close()` frees it. */
export async function openDuckDb(threads: number): Promise<{ connection: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

const quoted = (path: string): string => `'${path.replaceAll("'", "''")}'`;

/** DuckDB group-by-sum: the number of groups and the grand total of their sums. */
export async function duckGroupBySum(db: DuckDBConnection, path: string): Promise<{ groups: number; total: number }> {
  const reader = await db.runAndReadAll(`SELECT key, sum(value) AS total FROM read_csv(${quoted(path)}) GROUP BY key`);
  const rows = reader.getRowsJS();
  return { groups: rows.length, total: rows.reduce((t, r) => t + Number(r[1]), 0) };
}

/** DuckDB inner join count on `id`. */
export async function duckJoinCount(db: DuckDBConnection, left: string, right: string): Promise<number> {
  const reader = await db.runAndReadAll(`SELECT count(*) FROM read_csv(${quoted(left)}) a JOIN read_csv(${quoted(right)}) b USING (id)`);
  return Number(reader.getRowsJS()[0]![0]);
}

/** Calls `line` for every line of a file after the first `skip` lines, streaming it in chunks. */
async function eachLine(path: string, skip: number, line: (text: string) => void): Promise<void> {
  let rest = '';
  let skipped = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      if (skipped < skip) skipped++;
      else line(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '' && skipped >= skip) line(rest);
}

/** Plain JS group-by-sum of `key,value` (fields 1 and 2). */
export async function jsGroupBySum(path: string): Promise<{ groups: number; total: number }> {
  const sums = new Map<string, number>();
  await eachLine(path, 1, (text) => {
    const fields = text.split(',');
    const key = fields[1]!;
    sums.set(key, (sums.get(key) ?? 0) + Number(fields[2]));
  });
  let total = 0;
  for (const v of sums.values()) total += v;
  return { groups: sums.size, total };
}

/** Plain JS inner join count on the first field: a hash table of the right side's ids, probed by the left's. */
export async function jsJoinCount(left: string, right: string): Promise<number> {
  const counts = new Map<number, number>();
  await eachLine(right, 1, (text) => {
    const id = Number(text.slice(0, text.indexOf(',')));
    counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  let matches = 0;
  await eachLine(left, 1, (text) => {
    matches += counts.get(Number(text.slice(0, text.indexOf(',')))) ?? 0;
  });
  return matches;
}

/** Plain JS word count: distinct words. */
export async function jsWordCount(path: string): Promise<number> {
  const counts = new Map<string, number>();
  await eachLine(path, 0, (text) => {
    for (const w of text.split(' ')) counts.set(w, (counts.get(w) ?? 0) + 1);
  });
  return counts.size;
}
