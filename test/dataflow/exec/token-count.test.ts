import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionEnvironment } from '../../../src/dataflow/index.js';
import { tokenCountPlan } from '../../../src/dataflow/exec/token-count.js';
import type { OpSpec, TaskSpec } from '../../../src/dataflow/exec/task-spec.js';
import { intrinsicOf } from '../../../src/dataflow/plan/intrinsics.js';
import type { BackendKind } from '../../../src/index.js';
import type { UserFunction } from '../../../src/runtime/index.js';

const intrinsic = (fn: unknown): unknown => intrinsicOf(fn as UserFunction);

describe('intrinsic functions', () => {
  it('recognises a split on a one-character literal and a pair with a number literal, whatever the names', () => {
    expect(intrinsic((line: string) => line.split(' '))).toEqual({ kind: 'split', separator: ' ' });
    expect(intrinsic(function (s: string) {
      return s.split('\t');
    })).toEqual({ kind: 'split', separator: '\t' });
    expect(intrinsic((w: string) => [w, 1])).toEqual({ kind: 'pair', second: 1 });
    expect(intrinsic((word: string) => [word, 2.5] as const)).toEqual({ kind: 'pair', second: 2.5 });
  });

  it('leaves every other body to be called', () => {
    for (const fn of [
      (l: string) => l.split(' ', 2),
      (l: string) => l.split(/ /),
      (l: string) => l.split('ab'),
      (l: string) => l.split(''),
      (l: string) => l?.split(' '),
      (l: string) => l.trim().split(' '),
      // eslint-disable-next-line @typescript-eslint/require-await -- an async function is not an intrinsic
      async (l: string) => l.split(' '),
      (w: string) => [w, 1, 2],
      (w: string) => [1, w],
      (w: string) => [w, -1],
      (w: string) => [w, '1'],
      (l: string) => {
        const parts = l.split(' ');
        return parts;
      },
    ]) {
      expect(intrinsic(fn)).toBeUndefined();
    }
  });
});

describe('the token counter', () => {
  const split = { format: 'text', path: '/x.txt', start: 0, end: 10, index: 0, options: {} } as const;
  const flat: OpSpec = { op: 'flatMap', fn: { ref: { kind: 'source', source: '', id: 'a' }, label: 'a', intrinsic: { kind: 'split', separator: ' ' } }, name: 'flatMap' };
  const pair: OpSpec = { op: 'map', fn: { ref: { kind: 'source', source: '', id: 'b' }, label: 'b', intrinsic: { kind: 'pair', second: 1 } }, name: 'map' };
  const agg: OpSpec = { op: 'aggregate', phase: 'partial', key: { kind: 'field', field: 0 }, aggs: [{ kind: 'sum', field: 1, as: '1' }], style: 'record', keyName: 'key', name: 'sum' };
  const spec = (chain: OpSpec[], format = 'text'): TaskSpec => ({
    job: 0,
    stage: 0,
    partition: 0,
    input: { kind: 'splits', splits: [{ ...split, format: format as 'text' }] },
    chain,
    output: { kind: 'hash', key: { kind: 'field', field: 0 }, parallelism: 2, maxParallelism: 128 },
  });

  it('takes over only text splits through split → pair → a sum of the pair or a count by its first element', () => {
    expect(tokenCountPlan(spec([flat, pair, agg]))).toMatchObject({ separator: ' ', second: 1, keepFirst: true });
    expect(tokenCountPlan(spec([flat, pair, { ...agg, aggs: [{ kind: 'count', as: 'count' }], style: 'pair' }]))).toMatchObject({ keepFirst: false });
    expect(tokenCountPlan(spec([flat, pair, agg], 'csv'))).toBeUndefined();
    expect(tokenCountPlan(spec([flat, agg]))).toBeUndefined();
    expect(tokenCountPlan(spec([flat, pair, { ...agg, key: { kind: 'field', field: 1 } }]))).toBeUndefined();
    expect(tokenCountPlan(spec([flat, pair, { ...agg, aggs: [{ kind: 'max', field: 1, as: '1' }] }]))).toBeUndefined();
    expect(tokenCountPlan(spec([flat, pair, agg, { op: 'filter', fn: flat.fn, name: 'filter' }]))).toBeUndefined();
    expect(tokenCountPlan(spec([{ ...flat, fn: { ...flat.fn, intrinsic: { kind: 'split', separator: '\n' } } }, pair, agg]))).toBeUndefined();
  });
});

describe.each(['async', 'thread'] as const)('a word count on the %s backend', (backend: BackendKind) => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-tokens-'));
  // CRLF and LF lines, empty lines, runs of spaces, leading and trailing spaces, a lone \r inside
  // a line, multi-byte characters, invalid UTF-8 (two different bytes that both decode to U+FFFD)
  // and a last line without a line end.
  const lines = ['to be or not to be', '', 'that  is the question ', ' ', 'caf\u00e9 na\u00efve \u{1f600} to', 'a\rb c\r', 'to be'];
  const text = Buffer.concat([Buffer.from(`${lines.join('\n')}\r\n\r\nx y\r\n`), Buffer.from([0xff, 0x20, 0xfe, 0x20, 0xe2, 0x82, 0x0a]), Buffer.from('to be')]);
  writeFileSync(join(dir, 'a.txt'), text);
  writeFileSync(join(dir, 'b.txt'), Array.from({ length: 300 }, (_, i) => `w${i % 17} w${i % 5}  w${i % 3}`).join('\n'));
  const env = ExecutionEnvironment.create({ backend, slots: 2 });
  afterAll(() => env.close());

  it('gives exactly what calling the functions gives, in the same order, at every parallelism and split size', async () => {
    // Runs of 4 tokens: one split's dictionary spans many runs, and the invalid bytes arrive after valid ones.
    for (const [parallelism, splitSize, batchRows] of [[1, undefined, undefined], [2, 64, undefined], [3, 7, undefined], [1, undefined, 4]] as const) {
      env.setParallelism(parallelism);
      const source = () => env.readText(join(dir, '*.txt'), { ...(splitSize === undefined ? {} : { splitSize }), ...(batchRows === undefined ? {} : { batchRows }) });
      const called = source()
        .flatMap((line: string) => {
          const words = line.split(' ');
          return words;
        })
        .map((w: string) => {
          const pair = [w, 0.1];
          return pair;
        });
      const fused = source()
        .flatMap((line: string) => line.split(' '))
        .map((w: string) => [w, 0.1]);
      const expected = await called.keyBy(0).sum(1).collect();
      expect(await fused.keyBy(0).sum(1).collect()).toEqual(expected);
      const counted = await called.keyBy(0).count().collect();
      expect(await fused.keyBy(0).count().collect()).toEqual(counted);
      expect(counted).toContainEqual(['\ufffd', 3]);
      expect(counted).toContainEqual(['to', 5]);
    }
  });
});
