import { describe, expect, it } from 'vitest';
import { batchFromRows, rowsOf, valueBatch, type Batch, type Schema } from '../../../src/dataflow/batch/index.js';
import { compileKey } from '../../../src/dataflow/exec/keys.js';
import { countJoinMatches, joinPartition } from '../../../src/dataflow/exec/join.js';

/** Seeded generator, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const side = (seed: number, type: 'string' | 'float64' | 'int32', rows: number) => {
  const random = prng(seed);
  const schema: Schema = { fields: [{ name: 'id', type, nullable: true }, { name: 'x', type: 'float64', nullable: true }] };
  const values = Array.from({ length: rows }, () => {
    const id = random() < 0.1 ? null : random() < 0.03 ? -0 : Math.floor(random() * 300);
    return { id: id === null ? null : type === 'string' ? `i${id}` : id, x: random() };
  });
  return [batchFromRows(values.slice(0, rows / 2), schema), batchFromRows(values.slice(rows / 2), schema)];
};

describe('count-only join', () => {
  const key = compileKey({ kind: 'field', field: 'id' }, undefined, {});
  /** The count agrees with the rows joinPartition produces, for every kind of join. */
  const countsAgree = (left: Batch[], right: Batch[]): void => {
    for (const how of ['inner', 'left', 'right', 'full'] as const) {
      const expected = joinPartition(left.flatMap(rowsOf), right.flatMap(rowsOf), key, key, how, true).length;
      expect(countJoinMatches(left, right, 'id', 'id', how), how).toBe(expected);
    }
  };
  for (const type of ['string', 'float64', 'int32'] as const) {
    for (const how of ['inner', 'left', 'right', 'full'] as const) {
      it(`counts what joinPartition produces (${type} keys with duplicates and nulls, ${how})`, () => {
        const left = side(1, type, 1000);
        const right = side(2, type, 800);
        const expected = joinPartition(left.flatMap(rowsOf), right.flatMap(rowsOf), key, key, how, true).length;
        expect(countJoinMatches(left, right, 'id', 'id', how)).toBe(expected);
      });
    }
  }

  it('matches fractional, NaN and -0 float keys as joinPartition does, across a table that grows', () => {
    const random = prng(9);
    const schema: Schema = { fields: [{ name: 'id', type: 'float64', nullable: true }] };
    const pick = (): unknown => {
      const r = random();
      return r < 0.05 ? Number.NaN : r < 0.1 ? -0 : r < 0.15 ? null : Math.floor(random() * 5000) / 8 - 100;
    };
    const left = [batchFromRows(Array.from({ length: 6000 }, () => ({ id: pick() })), schema)];
    const right = [batchFromRows(Array.from({ length: 5000 }, () => ({ id: pick() })), schema)];
    countsAgree(left, right);
  });

  it('counts number keys spread over many hash parts (60k distinct keys) as joinPartition does', () => {
    const random = prng(11);
    const schema: Schema = { fields: [{ name: 'id', type: 'float64', nullable: true }] };
    const pick = (): unknown => {
      const r = random();
      return r < 0.01 ? Number.NaN : r < 0.02 ? null : r < 0.5 ? Math.floor(random() * 60_000) : Math.floor(random() * 120_000) / 2;
    };
    const left = [0, 1, 2].map(() => batchFromRows(Array.from({ length: 40_000 }, () => ({ id: pick() })), schema));
    const right = [0, 1].map(() => batchFromRows(Array.from({ length: 50_000 }, () => ({ id: pick() })), schema));
    countsAgree(left, right);
  });

  it('counts batches whose key columns are strings in some and numbers in others (a string never equals a number)', () => {
    const left = [...side(4, 'string', 600), ...side(5, 'int32', 400)];
    const right = [...side(6, 'float64', 500), ...side(7, 'string', 300)];
    countsAgree(left, right);
  });

  it('does not let a null key match an empty-string key', () => {
    const schema: Schema = { fields: [{ name: 'id', type: 'string', nullable: true }] };
    const left = [batchFromRows([{ id: null }, { id: 'a' }], schema)];
    const right = [batchFromRows([{ id: '' }, { id: 'a' }, { id: null }], schema)];
    countsAgree(left, right);
  });

  it('declines value batches and key columns it cannot read, so the caller joins generically', () => {
    const typed = side(3, 'int32', 10);
    expect(countJoinMatches([valueBatch([{ id: 1 }])], typed, 'id', 'id', 'inner')).toBeUndefined();
    expect(countJoinMatches(typed, typed, 'x', 'missing', 'inner')).toBeUndefined();
  });
});
