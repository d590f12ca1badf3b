/**
 * The dataflow benchmark's input files, generated once under `bench/data/` (gitignored) from a
 * seeded generator, so every run and every machine measures the same bytes: a 2M-row CSV
 * `id,key,value,ts` (key of 10k distinct values), two 1M-row CSVs sharing `id`, ~100 MB of words,
 * and, on request, a ~1 GB CSV of the first layout. A file that exists with the expected size is
 * reused.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where generated inputs live. */
export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

/** Mulberry32: a small, fast, seeded generator of floats in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes a file chunk by chunk from `lines(write)`, through a temporary name so a half file is never reused. */
function generate(path: string, fill: (write: (text: string) => void) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let pending: string[] = [];
  let size = 0;
  const flush = (): void => {
    writeSync(fd, pending.join(''));
    pending = [];
    size = 0;
  };
  fill((text) => {
    pending.push(text);
    size += text.length;
    if (size > 4 * 1024 * 1024) flush();
  });
  flush();
  closeSync(fd);
  renameSync(tmp, path);
}

const BASE_TS = Date.UTC(2024, 0, 1);

/** `id,key,value,ts` rows: key `k0`…`k9999`, value with two decimals, ts an ISO date-time one second apart. */
function groupByRows(rows: number, seed: number): (write: (text: string) => void) => void {
  return (write) => {
    const random = prng(seed);
    write('id,key,value,ts\n');
    for (let i = 0; i < rows; i++) {
      const key = Math.floor(random() * 10_000);
      const value = (random() * 1000).toFixed(2);
      const ts = new Date(BASE_TS + i * 1000).toISOString().slice(0, 19);
      write(`${i},k${key},${value},${ts}\n`);
    }
  };
}

/** A file, generated if missing. */
function ensure(name: string, fill: (write: (text: string) => void) => void): string {
  const path = join(DATA_DIR, name);
  if (!existsSync(path) || statSync(path).size === 0) generate(path, fill);
  return path;
}

/** The 2M-row group-by CSV (~83 MB). */
export function groupByCsv(): string {
  return ensure('groupby-2m.csv', groupByRows(2_000_000, 1));
}

/**
 * The lines of a generated file as two files of about half its bytes each (cut at a line end; a
 * CSV's header line starts both), for measuring the machine's two-core ceiling.
 */
export function halvesOf(path: string, csvHeader: boolean): [string, string] {
  const names = [path.replace(/(\.\w+)$/, '.first-half$1'), path.replace(/(\.\w+)$/, '.second-half$1')] as const;
  if (names.every((name) => existsSync(name) && statSync(name).size > 0)) return [names[0], names[1]];
  const bytes = readFileSync(path);
  const headerEnd = csvHeader ? bytes.indexOf(10) + 1 : 0;
  const middle = bytes.indexOf(10, headerEnd + Math.floor((bytes.length - headerEnd) / 2)) + 1;
  const header = bytes.subarray(0, headerEnd);
  generate(names[0], (write) => write(bytes.toString('utf8', 0, middle)));
  generate(names[1], (write) => write(header.toString('utf8') + bytes.toString('utf8', middle)));
  return [names[0], names[1]];
}

/** The ~1 GB group-by CSV (25M rows), for the peak-RSS measure. */
export function bigGroupByCsv(): string {
  return ensure('groupby-25m.csv', groupByRows(25_000_000, 3));
}

/**
 * The join inputs: `left` has ids 0…999,999 in order with a number `x`; `right` has the same ids
 * shuffled with a string `y`. Every left row matches exactly one right row.
 */
export function joinCsvs(): { left: string; right: string; matches: number } {
  const n = 1_000_000;
  const left = ensure('join-left-1m.csv', (write) => {
    const random = prng(7);
    write('id,x\n');
    for (let i = 0; i < n; i++) write(`${i},${(random() * 100).toFixed(3)}\n`);
  });
  const right = ensure('join-right-1m.csv', (write) => {
    const random = prng(11);
    const ids = new Int32Array(n);
    for (let i = 0; i < n; i++) ids[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = ids[i]!;
      ids[i] = ids[j]!;
      ids[j] = t;
    }
    write('id,y\n');
    for (let i = 0; i < n; i++) write(`${ids[i]},y${Math.floor(random() * 1000)}\n`);
  });
  return { left, right, matches: n };
}

/** ~100 MB of text: lines of 8–16 words drawn (skewed) from a 50k-word vocabulary. */
export function wordsText(): string {
  return ensure('words-100mb.txt', (write) => {
    const random = prng(5);
    const vocabulary: string[] = [];
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let w = 0; w < 50_000; w++) {
      let word = '';
      const length = 3 + Math.floor(random() * 7);
      for (let c = 0; c < length; c++) word += letters[Math.floor(random() * 26)];
      vocabulary.push(word);
    }
    let bytes = 0;
    while (bytes < 100 * 1024 * 1024) {
      const count = 8 + Math.floor(random() * 9);
      const words: string[] = [];
      for (let k = 0; k < count; k++) words.push(vocabulary[Math.floor(random() * random() * vocabulary.length)]!);
      const line = `${words.join(' ')}\n`;
      bytes += line.length;
      write(line);
    }
  });
}
