/**
 * Turns what the user wrote (files, directories, glob patterns) into a sorted, stable list of
 * absolute file paths, failing early with an error that shows what IS there when something is not.
 * Order: the inputs in the order given; within a directory or pattern, paths sorted by code point
 * (never by locale), so splits, and therefore outputs, are the same on every machine.
 * Directories contribute their files recursively, except hidden and `_`-prefixed names (`_SUCCESS`).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { SourceError } from './errors.js';

const SHOWN_ENTRIES = 12;

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function visible(path: string): boolean {
  return path.split(/[\\/]/).every((part) => !part.startsWith('.') && !part.startsWith('_'));
}

async function isDirectory(path: string): Promise<boolean | undefined> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return undefined;
  }
}

/** "what exists there": a short listing of the nearest existing directory. */
async function listing(dir: string): Promise<string> {
  let current = dir;
  for (;;) {
    try {
      const names = (await readdir(current)).sort(byCodePoint);
      const shown = names.slice(0, SHOWN_ENTRIES).join(', ');
      const more = names.length > SHOWN_ENTRIES ? `, … (${names.length} entries)` : '';
      const where = current === dir ? `${dir} contains` : `${dir} does not exist; the nearest existing directory ${current} contains`;
      return names.length === 0 ? `${where} nothing` : `${where}: ${shown}${more}`;
    } catch {
      const parent = dirname(current);
      if (parent === current) return `${dir} does not exist`;
      current = parent;
    }
  }
}

/** The static directory part of a glob pattern (before its first dynamic segment). */
function staticBase(pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  for (const part of parts) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  return fixed.length === parts.length ? dirname(pattern) : fixed.join(sep) || '.';
}

/**
 * Expands files, directories and globs (relative to `cwd`) into sorted absolute file paths.
 * @throws SourceError naming the path or pattern, the resolved directory and what exists there.
 */
export async function expandPaths(paths: string | readonly string[], cwd = process.cwd()): Promise<string[]> {
  const inputs = typeof paths === 'string' ? [paths] : [...paths];
  if (inputs.length === 0) throw new SourceError('', 'Expected at least one path or glob pattern for the source, got none. Pass e.g. "data/*.csv".');
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (files: string[]): void => {
    for (const file of files.sort(byCodePoint)) {
      if (!seen.has(file)) {
        seen.add(file);
        out.push(file);
      }
    }
  };
  for (const input of inputs) {
    const absolute = resolve(cwd, input);
    const directory = await isDirectory(absolute);
    if (directory === false) {
      add([absolute]);
    } else if (directory === true) {
      const files = (await glob('**/*', { cwd: absolute, onlyFiles: true, dot: false })).filter(visible);
      if (files.length === 0) throw new SourceError(input, `Expected directory ${input} (${absolute}) to contain data files, but it has none (hidden and _-prefixed files are ignored). Check the path.`);
      add(files.map((f) => resolve(absolute, f)));
    } else if (isDynamicPattern(input)) {
      const files = await glob(input, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
      if (files.length === 0) {
        const base = resolve(cwd, staticBase(input));
        throw new SourceError(input, `Expected pattern ${JSON.stringify(input)} to match at least one file under ${base}, but it matches none; ${await listing(base)}. Fix the pattern or the working directory (${cwd}).`);
      }
      add(files.map((f) => resolve(f)));
    } else {
      throw new SourceError(input, `Expected file ${JSON.stringify(input)} to exist at ${absolute}, but it does not; ${await listing(dirname(absolute))}. Check the name (${JSON.stringify(basename(absolute))}) and the working directory (${cwd}).`);
    }
  }
  return out;
}
