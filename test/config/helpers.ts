// Temporary project directories with a weft.config.yaml, removed after each file's tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { ConfigError } from '../../src/config/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding `weft.config.yaml` (or `name`) with `text`. */
export function projectWith(text: string, name = 'weft.config.yaml'): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-config-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

/** The ConfigError thrown by `fn`; fails the test if it throws anything else or nothing. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}
