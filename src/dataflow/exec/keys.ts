/**
 * Keys inside a task: reading a key from a record, turning it into something a `Map` can group by
 * (equal keys by value, whatever their object identity), and ordering keys for `sortBy`.
 */
import type { UserFunction } from '../../runtime/index.js';
import type { KeySpec } from './task-spec.js';

/** Reads the key of a record. */
export type KeyFn = (record: unknown) => unknown;

/** Compiles a key spec; `fn` keys are called as `fn(record, ctx)`. */
export function compileKey(spec: KeySpec, resolved: UserFunction | undefined, ctx: unknown): KeyFn {
  if (spec.kind === 'self') return (record) => record;
  if (spec.kind === 'fn') {
    const fn = resolved as unknown as (record: unknown, ctx: unknown) => unknown;
    return (record) => fn(record, ctx);
  }
  const field = spec.field;
  return (record) => (record === null || record === undefined ? undefined : (record as Record<string | number, unknown>)[field]);
}

/**
 * A value a `Map` groups equal keys under: primitives as they are (with `-0` as `0`), anything
 * else by its canonical JSON (object keys sorted), prefixed so it cannot equal a string key.
 */
export function groupKey(key: unknown): unknown {
  if (key === null || key === undefined) return null;
  switch (typeof key) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return key;
    case 'number':
      return key === 0 ? 0 : key;
    default:
      return key instanceof Date ? `\u0000d${key.getTime()}` : `\u0000${canonical(key)}`;
  }
}

/** Canonical JSON: object keys sorted, so equal values give equal text. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? 'null');
  if (value instanceof Date) return `"${value.toISOString()}"`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

const TYPE_ORDER: Record<string, number> = { undefined: 0, boolean: 1, number: 2, bigint: 2, string: 3, object: 4 };

/** Total order over keys: nulls first, then booleans, numbers, strings, dates, arrays (element-wise), objects (canonical text). */
export function compareKeys(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  const ta = TYPE_ORDER[typeof a] ?? 5;
  const tb = TYPE_ORDER[typeof b] ?? 5;
  if (ta !== tb) return ta - tb;
  if (typeof a === 'number' || typeof a === 'bigint') return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareKeys(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const ca = canonical(a);
  const cb = canonical(b);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}
