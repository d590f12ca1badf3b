/**
 * Key groups, bit-exact with Flink's `KeyGroupRangeAssignment` and `MathUtils.murmurHash`.
 *
 * Keyed data (and, later, keyed state) is split into `maxParallelism` key groups; each parallel
 * subtask owns a contiguous range of them. Because a key's group depends only on its hash and the
 * max parallelism, a job can later run with another parallelism (up to the max) and every key
 * still lands in the same group — the property that makes rescaling a savepoint possible.
 *
 * Key hashes follow Java's `hashCode` so that a key maps to the same group as in Flink:
 * strings hash as `java.lang.String` (`31 * h + charCode` over UTF-16 units), integers in the
 * int32 range as `Integer`, other safe integers as `Long`, other numbers as `Double`, booleans as
 * `Boolean`, bigints as `Long` (64-bit two's complement), dates as `java.util.Date` (the `Long` hash
 * of epoch milliseconds), `null`/`undefined` as 0, and arrays as Flink's `Tuple`s hash their fields:
 * `h = 0; for each field: h = 31 * h + hashCode(field)` (so `[a, b]` is `31 * hashCode(a) +
 * hashCode(b)`; this is not `java.util.Arrays.hashCode`, which starts from 1). Plain objects,
 * `Map`s and `Set`s hash the canonical encoding of `key-encoding.ts` as a Java string; any other
 * value is rejected there, naming the operator.
 */
import { UsageError, describeValue } from '../errors.js';
import { encodeKey } from './key-encoding.js';

/** The smallest and largest max parallelism Flink allows. */
export const MIN_MAX_PARALLELISM = 1;
export const UPPER_BOUND_MAX_PARALLELISM = 32768;
/** Lower bound of the default max parallelism. */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;

/** Flink's `MathUtils.murmurHash(int)`: a non-negative int. */
export function murmurHash(code: number): number {
  let h = code | 0;
  h = Math.imul(h, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  h = bitMix(h);
  if (h >= 0) return h;
  if (h !== -2147483648) return -h;
  return 0;
}

/** Flink's `MathUtils.bitMix(int)`. */
export function bitMix(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Java's `String.hashCode()`. */
export function javaStringHash(value: string): number {
  let h = 0;
  for (let i = 0; i < value.length; i++) h = (Math.imul(31, h) + value.charCodeAt(i)) | 0;
  return h;
}

const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);

/**
 * Java's hash code of a key, as documented in this module's header.
 *
 * @param where - names the operator in the error for a key that cannot be hashed.
 */
export function javaHashCode(key: unknown, where?: string): number {
  switch (typeof key) {
    case 'string':
      return javaStringHash(key);
    case 'number':
      if (Number.isInteger(key) && key >= -2147483648 && key <= 2147483647) return key | 0;
      if (Number.isSafeInteger(key)) return longHash(BigInt(key));
      // Double.hashCode: bits ^ (bits >>> 32), NaN canonicalised as Java does.
      f64[0] = Number.isNaN(key) ? NaN : key;
      return (f64Words[0]! ^ f64Words[1]!) | 0;
    case 'boolean':
      return key ? 1231 : 1237;
    case 'bigint':
      return longHash(key);
    case 'undefined':
      return 0;
    case 'object': {
      if (key === null) return 0;
      if (Array.isArray(key)) {
        let h = 0;
        for (const field of key as unknown[]) h = (Math.imul(31, h) + javaHashCode(field, where)) | 0;
        return h;
      }
      if (key instanceof Date) return Number.isNaN(key.getTime()) ? 0 : longHash(BigInt(key.getTime()));
      return javaStringHash(encodeKey(key, where));
    }
    default:
      // Functions and symbols: the encoder says what is expected and names the operator.
      return javaStringHash(encodeKey(key, where));
  }
}

function longHash(value: bigint): number {
  const bits = BigInt.asUintN(64, value);
  return Number(BigInt.asIntN(32, bits ^ (bits >> 32n)));
}

/** Flink's `computeKeyGroupForKeyHash`: `murmurHash(hash) % maxParallelism`. */
export function keyGroupForHash(hash: number, maxParallelism: number): number {
  return murmurHash(hash) % maxParallelism;
}

/** Flink's `assignToKeyGroup`: the key group of a key. */
export function keyGroupForKey(key: unknown, maxParallelism: number, where?: string): number {
  return keyGroupForHash(javaHashCode(key, where), maxParallelism);
}

/** Flink's `computeOperatorIndexForKeyGroup`: which subtask owns a key group. */
export function operatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The inclusive range of key groups a subtask owns. */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

/** Flink's `computeKeyGroupRangeForOperatorIndex`. */
export function keyGroupRangeForOperator(maxParallelism: number, parallelism: number, operatorIndex: number): KeyGroupRange {
  checkParallelism(parallelism, maxParallelism);
  return {
    start: Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism),
    end: Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism),
  };
}

/** Flink's `computeDefaultMaxParallelism`: `min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768)`. */
export function defaultMaxParallelism(parallelism: number): number {
  return Math.min(Math.max(roundUpToPowerOfTwo(parallelism + Math.floor(parallelism / 2)), DEFAULT_LOWER_BOUND_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM);
}

/** Flink's `MathUtils.roundUpToPowerOfTwo` for positive ints. */
export function roundUpToPowerOfTwo(x: number): number {
  let v = (x | 0) - 1;
  v |= v >>> 1;
  v |= v >>> 2;
  v |= v >>> 4;
  v |= v >>> 8;
  v |= v >>> 16;
  return v + 1;
}

/** The subtask a key goes to. */
export function operatorIndexForKey(key: unknown, maxParallelism: number, parallelism: number, where?: string): number {
  return operatorIndexForKeyGroup(maxParallelism, parallelism, keyGroupForKey(key, maxParallelism, where));
}

function checkParallelism(parallelism: number, maxParallelism: number): void {
  if (!Number.isInteger(maxParallelism) || maxParallelism < MIN_MAX_PARALLELISM || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new UsageError(`Expected a max parallelism from 1 to ${UPPER_BOUND_MAX_PARALLELISM}, got ${describeValue(maxParallelism)}`);
  }
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > maxParallelism) {
    throw new UsageError(`Expected a parallelism from 1 to the max parallelism ${maxParallelism}, got ${describeValue(parallelism)}`);
  }
}
