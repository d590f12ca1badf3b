import { describe, expect, it } from 'vitest';
import {
  defaultMaxParallelism,
  javaHashCode,
  keyGroupForKey,
  keyGroupRangeForOperator,
  murmurHash,
  operatorIndexForKeyGroup,
  roundUpToPowerOfTwo,
} from '../../src/dataflow/key-groups.js';

// Scalar keys: [key, Java hashCode, [keyGroup for maxParallelism 128, 1000, 32768]]. The hash codes
// follow java.lang.String/Integer/Long/Double/Boolean.hashCode (re-derived independently below for
// strings and tuples); the key groups are murmurHash(hashCode) % maxParallelism (Flink's MathUtils).
const VECTORS: Array<[unknown, number, [number, number, number]]> = [
  ['a', 97, [81, 201, 19409]],
  ['hello', 99162322, [35, 179, 31395]],
  ['weft', 3645468, [126, 294, 25214]],
  ['k1234', 100326189, [47, 967, 15279]],
  ['ключ', 33309882, [67, 643, 18115]],
  ['😀', 1772899, [54, 14, 7350]],
  ['', 0, [94, 54, 31198]],
  [0, 0, [94, 54, 31198]],
  [1, 1, [86, 478, 16342]],
  [-1, -1, [80, 648, 15184]],
  [42, 42, [29, 565, 28189]],
  [2147483647, 2147483647, [62, 534, 19646]],
  [-2147483648, -2147483648, [108, 732, 10348]],
  [3000000000, -1294967296, [22, 262, 28566]],
  [1.5, 1073217536, [65, 177, 833]],
  [-0.25, -1076887552, [74, 682, 1354]],
  [true, 1231, [77, 765, 11725]],
  [false, 1237, [3, 891, 32003]],
];

/** java.lang.String.hashCode, computed with BigInt and wrapped to int32 (independent of the code under test). */
function stringHash(text: string): bigint {
  let h = 0n;
  for (let i = 0; i < text.length; i++) h = BigInt.asIntN(32, 31n * h + BigInt(text.charCodeAt(i)));
  return h;
}

/** Flink's Tuple.hashCode: `h = 0; h = 31 * h + field.hashCode()` per field (not Arrays.hashCode, which starts at 1). */
function tupleHash(fields: readonly bigint[]): number {
  let h = 0n;
  for (const f of fields) h = BigInt.asIntN(32, 31n * h + f);
  return Number(h);
}

const TUPLES: Array<[unknown[], number]> = [
  [['w', 1], tupleHash([stringHash('w'), 1n])],
  [['hello', 'world'], tupleHash([stringHash('hello'), stringHash('world')])],
  [[7], 7],
  [[], 0],
  [[1, 2, 3], tupleHash([1n, 2n, 3n])],
  [[true, -5, 'ключ'], tupleHash([1231n, -5n, stringHash('ключ')])],
  [['a', ['b', 2]], tupleHash([stringHash('a'), BigInt(tupleHash([stringHash('b'), 2n]))])],
];

describe('key groups (bit-exact with Flink)', () => {
  it.each(VECTORS)('key %j has Java hash %i and Flink key groups %j', (key, hash, groups) => {
    expect(javaHashCode(key)).toBe(hash);
    expect([128, 1000, 32768].map((m) => keyGroupForKey(key, m))).toEqual(groups);
  });

  it.each(TUPLES)('tuple %j hashes as Flink\'s Tuple: 31 * h + field hash (%i)', (key, hash) => {
    expect(javaHashCode(key)).toBe(hash);
    for (const m of [128, 1000, 32768]) expect(keyGroupForKey(key, m)).toBe(murmurHash(hash) % m);
  });

  it('a two-field tuple is 31 * hashCode(f0) + hashCode(f1)', () => {
    expect(javaHashCode(['w', 1])).toBe(31 * 119 + 1);
  });

  it('murmurHash is never negative', () => {
    for (const code of [0, 1, -1, 2147483647, -2147483648, 123456789, -987654321]) expect(murmurHash(code)).toBeGreaterThanOrEqual(0);
  });

  it('computes the default max parallelism as Flink does', () => {
    expect(defaultMaxParallelism(1)).toBe(128);
    expect(defaultMaxParallelism(85)).toBe(128);
    expect(defaultMaxParallelism(86)).toBe(256);
    expect(defaultMaxParallelism(1000)).toBe(2048);
    expect(defaultMaxParallelism(21846)).toBe(32768);
    expect(defaultMaxParallelism(32768)).toBe(32768);
    expect([1, 2, 3, 5, 1023, 1024, 1025].map(roundUpToPowerOfTwo)).toEqual([1, 2, 4, 8, 1024, 1024, 2048]);
  });

  it('ranges of the subtasks tile [0, maxParallelism) and agree with operatorIndexForKeyGroup', () => {
    const maxPs = [1, 2, 3, 7, 128, 129, 1000, 4096, 32768];
    for (const maxP of maxPs) {
      for (const p of [1, 2, 3, 5, 7, 16, 127, 128, 1000, 32768].filter((x) => x <= maxP)) {
        let next = 0;
        for (let i = 0; i < p; i++) {
          const range = keyGroupRangeForOperator(maxP, p, i);
          expect(range.start).toBe(next);
          expect(range.end).toBeGreaterThanOrEqual(range.start);
          for (const kg of new Set([range.start, range.end, (range.start + range.end) >> 1])) {
            expect(operatorIndexForKeyGroup(maxP, p, kg)).toBe(i);
          }
          next = range.end + 1;
        }
        expect(next).toBe(maxP);
      }
    }
  });

  it('refuses a parallelism above the max parallelism, saying both', () => {
    expect(() => keyGroupRangeForOperator(128, 129, 0)).toThrow(/from 1 to the max parallelism 128, got number 129/);
    expect(() => keyGroupRangeForOperator(40000, 1, 0)).toThrow(/max parallelism from 1 to 32768/);
  });
});
