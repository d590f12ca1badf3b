/**
 * Keys inside a task: reading a key from a record, turning it into something a `Map` can group by
 * (equal keys by value, whatever their object identity: see `key-encoding.ts`), and ordering keys
 * for `sortBy`.
 */
import type { UserFunction } from '../../runtime/index.js';
import { encodeKey } from '../key-encoding.js';
import type { KeySpec } from './task-spec.js';

export { groupKey } from '../key-encoding.js';

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

const TYPE_ORDER: Record<string, number> = { undefined: 0, boolean: 1, number: 2, bigint: 2, string: 3, object: 4 };

/** Rank of an object among objects: dates, arrays, plain objects, maps, sets. */
function objectRank(value: object): number {
  if (value instanceof Date) return 0;
  if (Array.isArray(value)) return 1;
  if (value instanceof Map) return 3;
  if (value instanceof Set) return 4;
  return 2;
}

/** Numbers (and bigints) in order, `NaN` after every other number. */
function compareNumbers(a: number | bigint, b: number | bigint): number {
  const aNaN = a !== a;
  const bNaN = b !== b;
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Total order over keys, the one `sortBy`, range partitioning and `min`/`max` use: nulls first,
 * then booleans, numbers (and bigints; `NaN` last), strings (UTF-16 code units), dates, arrays
 * (element-wise), plain objects, maps and sets (these three by their canonical encoding, see
 * `key-encoding.ts`).
 */
export function compareKeys(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  const ta = TYPE_ORDER[typeof a] ?? 5;
  const tb = TYPE_ORDER[typeof b] ?? 5;
  if (ta !== tb) return ta - tb;
  if (typeof a === 'number' || typeof a === 'bigint') return compareNumbers(a, b as number | bigint);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === 'boolean') return Number(a) - Number(b);
  const ra = objectRank(a);
  const rb = objectRank(b);
  if (ra !== rb) return ra - rb;
  if (a instanceof Date) return compareNumbers(a.getTime(), (b as Date).getTime());
  if (Array.isArray(a)) {
    const other = b as unknown[];
    for (let i = 0; i < Math.min(a.length, other.length); i++) {
      const c = compareKeys(a[i], other[i]);
      if (c !== 0) return c;
    }
    return a.length - other.length;
  }
  const ca = encodeKey(a);
  const cb = encodeKey(b);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}
