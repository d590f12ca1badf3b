import { describe, expect, it } from 'vitest';
import {
  aggregationColumns,
  analyzeAggregation,
  checkExpression,
  compileExpression,
  createAccumulator,
  formatExpression,
  parseExpression,
  type AggregationAnalysis,
  type ColumnTypes,
} from '../../../src/project/expr/index.js';
import { expressionErrorOf } from './helpers.js';

const COLUMNS = { k: 'string', a: 'integer', x: 'double', s: 'string', d: 'date' } as const satisfies ColumnTypes;

const summary = (analysis: AggregationAnalysis): unknown => ({
  aggregates: analysis.aggregates.map((call) => [call.kind, call.argument && formatExpression(call.argument), call.column]),
  post: formatExpression(analysis.post),
});

describe('analyzeAggregation', () => {
  it('splits a wrapped aggregate into its call and a post-expression', () => {
    expect(summary(analyzeAggregation(parseExpression('ROUND(AVG(CAST(x AS double)), 2)')))).toEqual({
      aggregates: [['avg', 'CAST(x AS DOUBLE)', '$agg0']],
      post: 'ROUND(`$agg0`, 2)',
    });
  });

  it('splits arithmetic over several aggregates, COUNT(*) without an argument', () => {
    expect(summary(analyzeAggregation(parseExpression('SUM(a) / COUNT(*)')))).toEqual({
      aggregates: [
        ['sum', 'a', '$agg0'],
        ['count', null, '$agg1'],
      ],
      post: '`$agg0` / `$agg1`',
    });
  });

  it('makes one call of repeated aggregates, and tells the kinds apart', () => {
    const analysis = analyzeAggregation(parseExpression('SUM(a) * 2 - SUM(a) + COUNT(a) + COUNT(DISTINCT a) + MIN(x) + MAX(x) + FIRST(a) + LAST(a)'));
    expect(analysis.aggregates.map((c) => c.kind)).toEqual(['sum', 'count', 'count_distinct', 'min', 'max', 'first', 'last']);
    expect(formatExpression(analysis.post)).toBe('`$agg0` * 2 - `$agg0` + `$agg1` + `$agg2` + `$agg3` + `$agg4` + `$agg5` + `$agg6`');
  });

  it('keeps the text and location, so errors in an argument still point at the user file', () => {
    const location = { file: '/p/m.yml', line: 4, column: 11 };
    const analysis = analyzeAggregation(parseExpression('1 + SUM(nope)', { location }));
    const argument = analysis.aggregates[0]?.argument;
    if (!argument) throw new Error('expected an argument');
    expect(argument.root.at).toBe(8);
    const error = expressionErrorOf(() => compileExpression(argument, COLUMNS));
    expect(error.location).toEqual({ file: '/p/m.yml', line: 4, column: 19 });
    expect(analysis.aggregates[0]?.at).toBe(4);
  });

  it('refuses nested aggregates at the inner call', () => {
    const error = expressionErrorOf(() => analyzeAggregation(parseExpression('AVG(a + SUM(a))')));
    expect(error.message).toContain('expected a value per row inside `AVG`, found the aggregate function `SUM`; aggregates cannot be nested');
    expect(error.offset).toBe(8);
  });

  it('is plain data', () => {
    const analysis = analyzeAggregation(parseExpression('ROUND(AVG(x), 2) + COUNT(*)'));
    expect(structuredClone(analysis)).toEqual(analysis);
    expect(JSON.parse(JSON.stringify(analysis))).toEqual(analysis);
  });

  it('types the post-expression columns', () => {
    const analysis = analyzeAggregation(parseExpression('k || SUM(a) || AVG(a) || COUNT(*) || MAX(d) || SUM(x)'));
    expect(aggregationColumns(analysis, COLUMNS, { groupBy: ['k'] }).fields).toEqual([
      { name: 'k', type: 'string', nullable: true },
      { name: '$agg0', type: 'long', nullable: true },
      { name: '$agg1', type: 'double', nullable: true },
      { name: '$agg2', type: 'long', nullable: false },
      { name: '$agg3', type: 'date', nullable: true },
      { name: '$agg4', type: 'double', nullable: true },
    ]);
  });
});

/** Group `rows` by `k`, aggregate `text` per group the way a mapping does, in `parts` partitions merged at the end. */
function aggregate(text: string, rows: ReadonlyArray<Record<string, unknown>>, parts = 1): Record<string, unknown> {
  const expression = parseExpression(text);
  checkExpression(expression, COLUMNS, { aggregate: true, groupBy: ['k'] });
  const analysis = analyzeAggregation(expression);
  const argumentsOf = analysis.aggregates.map((call) => (call.argument ? compileExpression(call.argument, COLUMNS) : () => 1));
  const types = analysis.aggregates.map((call) => (call.argument ? checkExpression(call.argument, COLUMNS).type : 'long'));
  const ops = analysis.aggregates.map((call, i) => createAccumulator(call.kind, types[i] ?? 'long', call.argument === null));
  const fresh = (): unknown[] => ops.map((op) => op.initial());
  const partials = Array.from({ length: parts }, () => new Map<string, ReturnType<typeof fresh>>());
  rows.forEach((row, n) => {
    const groups = partials[Math.floor((n * parts) / rows.length)];
    const key = String(row.k);
    const states = groups?.get(key) ?? fresh();
    groups?.set(key, states.map((state, i) => ops[i]!.add(state, argumentsOf[i]?.(row) ?? null)));
  });
  const [first, ...rest] = partials;
  for (const other of rest) {
    for (const [key, states] of other) {
      const mine = first?.get(key);
      first?.set(key, mine ? mine.map((state, i) => ops[i]!.merge(state, states[i])) : states);
    }
  }
  const post = compileExpression(analysis.post, aggregationColumns(analysis, COLUMNS, { groupBy: ['k'] }));
  const out: Record<string, unknown> = {};
  for (const [key, states] of first ?? []) {
    const row: Record<string, unknown> = { k: key };
    analysis.aggregates.forEach((call, i) => (row[call.column] = ops[i]!.result(states[i])));
    out[key] = post(row);
  }
  return out;
}

describe('aggregations end to end', () => {
  const rows = [
    { k: 'a', a: 1, x: 1.5, s: 'p', d: new Date('2013-01-02T00:00:00Z') },
    { k: 'a', a: 2, x: null, s: 'q', d: new Date('2013-01-01T00:00:00Z') },
    { k: 'b', a: null, x: 4, s: null, d: null },
    { k: 'a', a: 2, x: 2.5, s: 'q', d: null },
    { k: 'b', a: 5, x: 6, s: 'r', d: new Date('2013-01-03T00:00:00Z') },
  ];

  it.each([1, 2, 3])('gives the same results in %i partition(s)', (parts) => {
    expect(aggregate('SUM(a) / COUNT(*)', rows, parts)).toEqual({ a: 5 / 3, b: 5 / 2 });
    expect(aggregate('COUNT(a)', rows, parts)).toEqual({ a: 3, b: 1 });
    expect(aggregate('COUNT(DISTINCT a)', rows, parts)).toEqual({ a: 2, b: 1 });
    expect(aggregate('ROUND(AVG(x), 1)', rows, parts)).toEqual({ a: 2, b: 5 });
    expect(aggregate("k || ':' || MIN(s) || '-' || MAX(s)", rows, parts)).toEqual({ a: 'a:p-q', b: 'b:r-r' });
    expect(aggregate('MAX(d)', rows, parts)).toEqual({ a: new Date('2013-01-02T00:00:00Z'), b: new Date('2013-01-03T00:00:00Z') });
    expect(aggregate('FIRST(a)', rows, parts)).toEqual({ a: 1, b: null });
    expect(aggregate('LAST(x)', rows, parts)).toEqual({ a: 2.5, b: 6 });
  });

  it('gives NULL for an aggregate over only NULLs, and 0 for a count of them', () => {
    const nulls = [{ k: 'z', a: null, x: null }];
    expect(aggregate('SUM(a)', nulls)).toEqual({ z: null });
    expect(aggregate('AVG(x)', nulls)).toEqual({ z: null });
    expect(aggregate('MIN(a)', nulls)).toEqual({ z: null });
    expect(aggregate('COUNT(a)', nulls)).toEqual({ z: 0 });
    expect(aggregate('COUNT(*)', nulls)).toEqual({ z: 1 });
    expect(aggregate('COALESCE(SUM(a), 0)', nulls)).toEqual({ z: 0 });
  });
});
