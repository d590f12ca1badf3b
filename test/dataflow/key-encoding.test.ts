import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment, count, javaHashCode } from '../../src/dataflow/index.js';
import { encodeKey, groupKey, KeyTypeError } from '../../src/dataflow/key-encoding.js';
import { compareKeys } from '../../src/dataflow/exec/keys.js';

const envs: ExecutionEnvironment[] = [];
afterAll(async () => Promise.all(envs.map((e) => e.close())));
const make = (): ExecutionEnvironment => {
  const env = ExecutionEnvironment.create({ parallelism: 2, backend: 'async', slots: 2 });
  envs.push(env);
  return env;
};

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('canonical key encoding', () => {
  it('encodes every supported type distinctly and stably', () => {
    expect(encodeKey(null)).toBe('N');
    expect(encodeKey(undefined)).toBe('N');
    expect(encodeKey(true)).toBe('T');
    expect(encodeKey(-0)).toBe('D0');
    expect(encodeKey(42)).toBe('D42');
    expect(encodeKey(42n)).toBe('I42');
    expect(encodeKey('42')).toBe('S"42"');
    expect(encodeKey(new Date(5))).toBe('@5');
    expect(encodeKey([1, 'a'])).toBe('[D1,S"a"]');
    expect(encodeKey({ b: 1, a: 2n })).toBe('{"a":I2,"b":D1}');
    expect(encodeKey(new Map<unknown, unknown>([['b', 1], ['a', 2]]))).toBe('%{S"a"=>D2,S"b"=>D1}');
    expect(encodeKey(new Set([2, 1]))).toBe('#{D1,D2}');
  });

  it('keeps Maps, Sets and objects with different contents apart, and equal ones together', () => {
    expect(groupKey(new Map([['a', 1]]))).not.toBe(groupKey(new Map([['a', 2]])));
    expect(groupKey(new Set([1]))).not.toBe(groupKey(new Set([2])));
    expect(groupKey(new Map([['a', 1]]))).not.toBe(groupKey({ a: 1 }));
    expect(groupKey(new Set([1, 2]))).toBe(groupKey(new Set([2, 1])));
    expect(groupKey({ a: 1, b: 2 })).toBe(groupKey({ b: 2, a: 1 }));
    expect(groupKey('\u0000{}')).not.toBe(groupKey({}));
  });

  it('hashes keys that group together alike (hashing and equality agree)', () => {
    const pairs: Array<[unknown, unknown]> = [
      [{ a: 1, b: 2 }, { b: 2, a: 1 }],
      [new Set([1, 2]), new Set([2, 1])],
      [new Map([['x', 1], ['y', 2]]), new Map([['y', 2], ['x', 1]])],
      [{ id: 10n }, { id: 10n }],
      [-0, 0],
    ];
    for (const [a, b] of pairs) {
      expect(groupKey(a)).toBe(groupKey(b));
      expect(javaHashCode(a)).toBe(javaHashCode(b));
    }
  });

  it('handles a bigint inside an object key instead of throwing a TypeError', () => {
    expect(() => javaHashCode({ id: 1n })).not.toThrow();
    expect(javaHashCode({ id: 1n })).not.toBe(javaHashCode({ id: 2n }));
  });

  it('rejects class instances, naming the operator and the fix', () => {
    expect(() => groupKey(new Point(1, 2), 'groupBy(λ)')).toThrow(KeyTypeError);
    expect(() => groupKey(new Point(1, 2), 'groupBy(λ)')).toThrow(/groupBy\(λ\): expected a key .* got an instance of Point.*\[p\.x, p\.y\]/);
    expect(() => javaHashCode({ at: new Point(1, 2) }, 'keyBy(λ)')).toThrow(/keyBy\(λ\).*an instance of Point at key\.at/);
  });

  it('orders keys totally: nulls, booleans, numbers (NaN last), strings, dates, arrays, objects', () => {
    const keys = [{ a: 1 }, [1], new Date(0), 'a', NaN, 2, 1, false, null];
    const sorted = [...keys].sort(compareKeys);
    expect(sorted).toEqual([null, false, 1, 2, NaN, 'a', new Date(0), [1], { a: 1 }]);
  });
});

describe('grouping by Map, Set and object keys in jobs', () => {
  it('groups distinct Map keys separately (they used to collapse into one)', async () => {
    const env = make();
    const rows = Array.from({ length: 12 }, (_, i) => ({ i, tag: i % 3 }));
    const out = await env
      .fromCollection(rows)
      .groupBy((r: { tag: number }) => new Map([['tag', r.tag]]))
      .agg({ n: count() })
      .collect();
    expect(out).toHaveLength(3);
    expect(out.map((r) => r.n)).toEqual([4, 4, 4]);
  });

  it('groups Set keys by their elements and object keys holding bigints', async () => {
    const env = make();
    const sets = await env
      .fromCollection([[1, 2], [2, 1], [3]])
      .groupBy((r: number[]) => new Set(r))
      .agg({ n: count() })
      .count();
    expect(sets).toBe(2);
    const big = await env
      .fromCollection([{ id: 1n }, { id: 1n }, { id: 2n }])
      .groupBy((r: { id: bigint }) => ({ id: r.id }))
      .agg({ n: count() })
      .count();
    expect(big).toBe(2);
  });

  it('fails a job keyed by class instances with an error naming the operator', async () => {
    const env = make();
    const job = env
      .fromCollection([1, 2, 3])
      .groupBy((x: number) => new Point(x, x))
      .agg({ n: count() })
      .name('byPoint')
      .count();
    await expect(job).rejects.toThrow(/byPoint: expected a key .* an instance of Point/);
  });
});
