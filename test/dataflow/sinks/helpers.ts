/** Shared fixtures of the sink tests: a fresh temporary directory per test, and file listing. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A new empty directory, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-sinks-'));
  made.push(dir);
  return dir;
}

/** Sorted names in a directory. */
export async function names(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** Every file of a directory (one level) with its content, for byte-identical comparisons. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await names(dir)) out[name] = (await readFile(join(dir, name))).toString('base64');
  return out;
}

