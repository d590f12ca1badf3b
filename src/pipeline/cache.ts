/**
 * The step cache: a step with `cache: true` whose code, params and inputs are unchanged since an
 * earlier successful run returns that run's output without running.
 *
 * Never stale: the key hashes the step function's source, the module that declared it and everything
 * that module imports, transitively (user files by content, packages by `name@version`), and a canonical
 * encoding of its arguments (object keys sorted, typed arrays by bytes). Entries are written to a
 * temporary file and renamed into place, so a killed run never leaves a torn entry.
 */
import { createHash, type Hash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { UsageError } from '../errors.js';
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

  /** The cache key of one call: code + module sources + canonical arguments. */
  key(fnSource: string, moduleUrl: string | undefined, args: unknown, label: string): string {
    const hash = createHash('sha256');
    hash.update('weft-step-cache-v1\0');
    hash.update(fnSource);
    hash.update('\0');
    if (moduleUrl) hash.update(this.#moduleFingerprint(moduleUrl));
    hash.update('\0');
    encodeCanonical(args, hash, label, 'args', new Set());
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

/** Feeds a canonical encoding of `value` to `hash`: equal data gives equal bytes whatever the key order. */
function encodeCanonical(value: unknown, hash: Hash, label: string, path: string, stack: Set<object>): void {
  if (value === null) return void hash.update('n');
  switch (typeof value) {
    case 'undefined':
      return void hash.update('u');
    case 'boolean':
      return void hash.update(value ? 'T' : 'F');
    case 'number':
      return void hash.update(`d${Object.is(value, -0) ? '-0' : String(value)};`);
    case 'bigint':
      return void hash.update(`b${value.toString()};`);
    case 'string':
      return void hash.update(`s${value.length}:${value}`);
    case 'function':
    case 'symbol':
      throw new UsageError(`${label}: cannot cache a call whose argument ${path} is a ${typeof value}; pass plain data or set cache: false`);
  }
  const obj = value;
  if (stack.has(obj)) throw new UsageError(`${label}: cannot cache a call whose argument ${path} contains a cycle`);
  stack.add(obj);
  if (ArrayBuffer.isView(obj)) {
    hash.update(`v${obj.constructor.name}:${obj.byteLength}:`);
    hash.update(new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength));
  } else if (obj instanceof ArrayBuffer) {
    hash.update(`a${obj.byteLength}:`);
    hash.update(new Uint8Array(obj));
  } else if (obj instanceof Date) {
    hash.update(`t${obj.getTime()};`);
  } else if (Array.isArray(obj)) {
    hash.update(`[${obj.length}:`);
    obj.forEach((item, i) => encodeCanonical(item, hash, label, `${path}[${i}]`, stack));
    hash.update(']');
  } else if (obj instanceof Map) {
    hash.update(`M${obj.size}:`);
    for (const [k, v] of obj) {
      encodeCanonical(k, hash, label, `${path}.<key>`, stack);
      encodeCanonical(v, hash, label, `${path}.get(…)`, stack);
    }
  } else if (obj instanceof Set) {
    hash.update(`S${obj.size}:`);
    for (const v of obj) encodeCanonical(v, hash, label, `${path}.<item>`, stack);
  } else {
    const keys = Object.keys(obj).sort();
    hash.update(`{${keys.length}:`);
    for (const key of keys) {
      hash.update(`s${key.length}:${key}`);
      encodeCanonical((obj as Record<string, unknown>)[key], hash, label, `${path}.${key}`, stack);
    }
    hash.update('}');
  }
  stack.delete(obj);
}
