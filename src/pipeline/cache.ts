/**
 * The step cache: a step with `cache: true` whose code, module-level values, params and inputs are
 * unchanged since an earlier successful run returns that run's output without running.
 *
 * Never stale: the key hashes the step function's source, the module that declared it and everything
 * that module imports, transitively (user files by content, packages by `name@version`), the current
 * values of the module-level bindings the step reads (`cache-bindings.ts`), and a canonical encoding
 * of its arguments (object keys sorted, typed arrays by bytes). Entries are written to a temporary
 * file and renamed into place, so a killed run never leaves a torn entry.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { hashBindings } from './cache-bindings.js';
import { encodeArguments } from './canonical.js';
import { moduleFingerprint } from './module-fingerprint.js';

/** A cache lookup. */
export type CacheLookup = { hit: true; value: unknown } | { hit: false };

/** On-disk cache of step outputs under one directory. */
export class StepCache {
  readonly dir: string;
  #fingerprints = new Map<string, string>();

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /**
   * The cache key of one call: code + module sources + module-level values + canonical arguments.
   *
   * @throws {UncacheableStepError} when the step reads a module-level binding that cannot be keyed.
   */
  key(fn: (...args: never[]) => unknown, moduleUrl: string | undefined, args: unknown, label: string): string {
    const hash = createHash('sha256');
    hash.update('weft-step-cache-v2\0');
    hash.update(String(fn));
    hash.update('\0');
    if (moduleUrl) hash.update(this.#moduleFingerprint(moduleUrl));
    hash.update('\0');
    hashBindings(fn, moduleUrl, label, hash);
    hash.update('\0');
    encodeArguments(args, hash, label);
    return hash.digest('hex');
  }

  async get(pipeline: string, step: string, key: string): Promise<CacheLookup> {
    try {
      const bytes = await readFile(this.#path(pipeline, step, key));
      return { hit: true, value: deserialize(bytes) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { hit: false };
      throw error;
    }
  }

  async set(pipeline: string, step: string, key: string, value: unknown): Promise<void> {
    const path = this.#path(pipeline, step, key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, serialize(value));
    await rename(tmp, path);
  }

  #path(pipeline: string, step: string, key: string): string {
    return join(this.dir, safeName(pipeline), safeName(step), `${key}.v8`);
  }

  /** Hash of a module's source and of everything it imports (see `module-fingerprint.ts`). */
  #moduleFingerprint(moduleUrl: string): string {
    const cached = this.#fingerprints.get(moduleUrl);
    if (cached !== undefined) return cached;
    const digest = moduleUrl.startsWith('file:') ? moduleFingerprint(fileURLToPath(moduleUrl)) : moduleUrl;
    this.#fingerprints.set(moduleUrl, digest);
    return digest;
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
