import { describe, expect, it } from 'vitest';
import { checkExpression, parseExpression } from '../../../src/project/expr/index.js';
import { COLUMNS, evaluate, expressionErrorOf } from './helpers.js';

const date = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);

/** [expression, expected value] pairs; every function also returns NULL for a NULL argument. */
const CASES: ReadonlyArray<readonly [string, unknown]> = [
  ["SUBSTR('hello', 2, 3)", 'ell'],
  ["SUBSTR('hello', 2)", 'ello'],
  ["SUBSTRING('hello', 0, 2)", 'he'],
  ["SUBSTR('hello', -3)", 'llo'],
  ["SUBSTR('hello', -3, 2)", 'll'],
  ["SUBSTR('hello', -7, 3)", 'h'],
  ["SUBSTR('hello', 9)", ''],
  ["SUBSTR('hello', 2, 0)", ''],
  ["SUBSTR('a😀b', 2, 1)", '😀'],
  ['SUBSTR(NULL, 1)', null],
  ["SUBSTR('abc', NULL)", null],
  ["LENGTH('hello')", 5],
  ["LENGTH('a😀')", 2],
  ["LENGTH('')", 0],
  ['LENGTH(NULL)', null],
  ["UPPER('aBc')", 'ABC'],
  ["LOWER('aBc')", 'abc'],
  ['UPPER(NULL)', null],
  ["TRIM('  a b  ')", 'a b'],
  ["LTRIM('  a  ')", 'a  '],
  ["RTRIM('  a  ')", '  a'],
  ["TRIM('\ta ')", '\ta'],
  ['TRIM(NULL)', null],
  ["CONCAT('a', 'b', 'c')", 'abc'],
  ["CONCAT('n=', 1, ' x=', 1.5, ' ', TRUE, ' ', DATE '2013-01-02')", 'n=1 x=1.5 true 2013-01-02'],
  ["CONCAT('a', NULL)", null],
  ["REPLACE('a-b-c', '-', '+')", 'a+b+c'],
  ["REPLACE('a-b-c', '-')", 'abc'],
  ["REPLACE('abc', '', 'x')", 'abc'],
  ["REPLACE(NULL, 'a', 'b')", null],
  ["SPLIT_PART('a,b,c', ',', 2)", 'b'],
  ["SPLIT_PART('a,b,c', ',', -1)", 'c'],
  ["SPLIT_PART('a,b,c', ',', 4)", ''],
  ["SPLIT_PART('a,b,c', ',', 0)", null],
  ["SPLIT_PART('a,b', '', 1)", 'a,b'],
  ["SPLIT_PART(NULL, ',', 1)", null],
  ["STARTS_WITH('hello', 'he')", true],
  ["STARTS_WITH('hello', 'lo')", false],
  ["ENDS_WITH('hello', 'lo')", true],
  ["CONTAINS('hello', 'ell')", true],
  ["CONTAINS('hello', 'x')", false],
  ["CONTAINS(NULL, 'x')", null],
  ["LPAD('7', 3, '0')", '007'],
  ["LPAD('7', 5, 'ab')", 'abab7'],
  ["LPAD('hello', 3, '0')", 'hel'],
  ["LPAD('7', 3)", '  7'],
  ["RPAD('7', 3, '0')", '700'],
  ["RPAD('ab', 0, '0')", ''],
  ["LPAD(NULL, 3, '0')", null],
  ["REGEXP_EXTRACT('id-123-x', '(\\d+)')", '123'],
  ["REGEXP_EXTRACT('2013-01-02', '(\\d+)-(\\d+)', 2)", '01'],
  ["REGEXP_EXTRACT('2013-01-02', '\\d+-\\d+', 0)", '2013-01'],
  ["REGEXP_EXTRACT('abc', '(\\d+)')", ''],
  ["REGEXP_EXTRACT(NULL, '(a)')", null],
  ['COALESCE(NULL, 2, 3)', 2],
  ['COALESCE(NULL, NULL)', null],
  ['COALESCE(1, 2.5)', 1],
  ['NULLIF(1, 1)', null],
  ['NULLIF(1, 2)', 1],
  ['NULLIF(NULL, 2)', null],
  ["IF(1 < 2, 'y', 'n')", 'y'],
  ["IF(1 > 2, 'y', 'n')", 'n'],
  ["IF(NULL, 'y', 'n')", 'n'],
  ['ABS(-3)', 3],
  ['ABS(-2.5)', 2.5],
  ['ABS(NULL)', null],
  ['ROUND(2.5)', 3],
  ['ROUND(-2.5)', -3],
  ['ROUND(1.005, 2)', 1.01],
  ['ROUND(1.2345, 2)', 1.23],
  ['ROUND(1234, -2)', 1200],
  ['ROUND(1250, -2)', 1300],
  ['ROUND(0.125, 2)', 0.13],
  ['ROUND(7)', 7],
  ['ROUND(NULL, 2)', null],
  ['FLOOR(-1.5)', -2],
  ['FLOOR(3)', 3],
  ['CEIL(1.2)', 2],
  ['CEIL(NULL)', null],
  ['SQRT(16)', 4],
  ['SQRT(-1)', null],
  ['LN(1)', 0],
  ['LN(0)', null],
  ['EXP(0)', 1],
  ['POWER(2, 10)', 1024],
  ['POW(4, 0.5)', 2],
  ['POWER(-8, 0.5)', null],
  ['POWER(NULL, 2)', null],
  ['MOD(7, 3)', 1],
  ['MOD(-7, 3)', -1],
  ['MOD(7.5, 2)', 1.5],
  ['MOD(7, 0)', null],
  ['LEAST(3, 1, 2)', 1],
  ['LEAST(3, NULL, 2)', 2],
  ['GREATEST(3, 1.5, 2)', 3],
  ["GREATEST('b', 'a')", 'b'],
  ['GREATEST(NULL, NULL)', null],
  ["YEAR(DATE '2013-05-17')", 2013],
  ["MONTH(DATE '2013-05-17')", 5],
  ["DAY(DATE '2013-05-17')", 17],
  ["HOUR(TIMESTAMP '2013-05-17T13:45:00Z')", 13],
  ["HOUR(DATE '2013-05-17')", 0],
  ['YEAR(NULL)', null],
  ["TO_DATE('2013-05-17')", date('2013-05-17')],
  ["TO_DATE('20130517', 'yyyyMMdd')", date('2013-05-17')],
  ["TO_DATE('17.05.13', 'dd.MM.yy')", date('2013-05-17')],
  ["TO_DATE('2013-02-30')", null],
  ["TO_DATE('garbage', 'yyyyMMdd')", null],
  ["TO_DATE(TIMESTAMP '2013-05-17T13:45:00Z')", date('2013-05-17')],
  ['TO_DATE(NULL)', null],
  ["TO_TIMESTAMP('2013-05-17 13:45:10')", new Date('2013-05-17T13:45:10Z')],
  ["TO_TIMESTAMP('2013-05-17T13:45:10.5+01:00')", new Date('2013-05-17T12:45:10.500Z')],
  ["TO_TIMESTAMP('17/05/2013 13:45', 'dd/MM/yyyy HH:mm')", new Date('2013-05-17T13:45:00Z')],
  ["TO_TIMESTAMP('2013-05-17T13:45', 'yyyy-MM-dd''T''HH:mm')", new Date('2013-05-17T13:45:00Z')],
  ["TO_TIMESTAMP('13:61', 'HH:mm')", null],
  ["DATE_ADD(DATE '2013-02-27', 2)", date('2013-03-01')],
  ["DATE_ADD(DATE '2013-01-01', -1)", date('2012-12-31')],
  ["DATE_ADD(TIMESTAMP '2013-01-01T10:00:00Z', 1)", date('2013-01-02')],
  ["DATE_SUB(DATE '2013-03-01', 1)", date('2013-02-28')],
  ['DATE_ADD(NULL, 1)', null],
  ["DATEDIFF(DATE '2013-03-01', DATE '2013-02-01')", 28],
  ["DATEDIFF(DATE '2013-02-01', TIMESTAMP '2013-03-01T23:00:00Z')", -28],
  ["DATEDIFF(NULL, DATE '2013-02-01')", null],
];

describe('scalar functions', () => {
  it.each(CASES)('%s', (text, expected) => {
    expect(evaluate(text)).toEqual(expected);
  });

  it('read columns and give NULL for NULL column values', () => {
    const row = { s: 'Hello', i: 3, x: -2.5, d: date('2013-05-17') };
    expect(evaluate('SUBSTR(s, i)', row)).toBe('llo');
    expect(evaluate('ABS(x) + i', row)).toBe(5.5);
    expect(evaluate('YEAR(d) * 100 + MONTH(d)', row)).toBe(201305);
    expect(evaluate('SUBSTR(s, i)', { s: null, i: 3 })).toBeNull();
    expect(evaluate('UPPER(s)', {})).toBeNull();
  });

  it('take row-dependent regular expressions, NULL for an invalid one', () => {
    expect(evaluate('REGEXP_EXTRACT(s, t, 0)', { s: 'abc', t: 'b.' })).toBe('bc');
    expect(evaluate('REGEXP_EXTRACT(s, t, 0)', { s: 'abc', t: '(' })).toBeNull();
    expect(evaluate('REGEXP_EXTRACT(s, t, 0)', { s: 'abc', t: 'a' })).toBe('a');
  });

  it('are found in any case', () => {
    expect(evaluate("upper('a') || Lower('B') || sUbStR('xyz', 2)")).toBe('Abyz');
  });
});

describe('function result types', () => {
  it.each([
    ['LENGTH(s)', 'integer'],
    ['ROUND(x, 2)', 'double'],
    ['ROUND(i)', 'integer'],
    ['FLOOR(x)', 'long'],
    ['FLOOR(i)', 'integer'],
    ['ABS(l)', 'long'],
    ['SQRT(i)', 'double'],
    ['MOD(i, j)', 'integer'],
    ['MOD(i, x)', 'double'],
    ['COALESCE(i, l)', 'long'],
    ['COALESCE(i, x)', 'double'],
    ['GREATEST(d, ts)', 'timestamp'],
    ["IF(b, 'a', s)", 'string'],
    ['TO_DATE(s)', 'date'],
    ['TO_TIMESTAMP(s)', 'timestamp'],
    ['DATE_ADD(ts, 1)', 'date'],
    ['DATEDIFF(d, ts)', 'integer'],
    ['YEAR(ts)', 'integer'],
    ["CONCAT(s, i, x)", 'string'],
    ["STARTS_WITH(s, 'a')", 'boolean'],
  ])('%s is %s', (text, type) => {
    expect(checkExpression(parseExpression(text), COLUMNS).type).toBe(type);
  });

  it('infer nullability: COALESCE with a literal is never NULL, parsing functions may be', () => {
    const schema = { fields: [{ name: 's', type: 'string' as const, nullable: false }] };
    expect(checkExpression(parseExpression('UPPER(s)'), schema)).toEqual({ type: 'string', nullable: false });
    expect(checkExpression(parseExpression("COALESCE(s, 'x')"), COLUMNS)).toEqual({ type: 'string', nullable: false });
    expect(checkExpression(parseExpression('TO_DATE(s)'), schema).nullable).toBe(true);
  });
});

describe('function errors', () => {
  it.each([
    ['UPPPER(s)', 0, 'unknown function `UPPPER`; did you mean `UPPER`?'],
    ['SUBSTR(s)', 0, 'expected 2 or 3 arguments for SUBSTR(s, pos[, length]), got 1'],
    ['UPPER(s, t)', 0, 'expected 1 argument for UPPER(s), got 2'],
    ['COALESCE()', 0, 'expected at least 1 argument for COALESCE(a, b, …), got 0'],
    ['UPPER(i)', 6, 'expected a string as argument 1 of UPPER(s), got integer column `i`'],
    ['SUBSTR(s, 1.5)', 10, 'expected an integer as argument 2 of SUBSTR(s, pos[, length]), got double 1.5'],
    ['ABS(s)', 4, 'expected a number as argument 1 of ABS(x), got string column `s`'],
    ['YEAR(s)', 5, 'expected a date or timestamp as argument 1 of YEAR(d), got string column `s`'],
    ["COALESCE(i, 'x')", 12, 'expected a value of the same type as the earlier arguments (integer), got string'],
    ["IF(b, 1, 'x')", 9, 'expected a value of the same type as the earlier arguments (integer), got string'],
    ["REGEXP_EXTRACT(s, '(')", 18, 'expected a valid regular expression'],
    ["REGEXP_EXTRACT(s, '(a)', 2)", 25, 'expected a group from 0 to 1'],
    ['TO_DATE(s, t)', 11, 'expected the pattern as a string literal'],
    ["TO_DATE(s, 'yyyyQQ')", 11, 'unsupported letter `Q`'],
    ['TO_DATE(i)', 8, 'expected a string or a date/timestamp, got integer'],
    ['CURRENT_DATE()', 0, '`CURRENT_DATE()` is not available: results must be deterministic'],
    ['now()', 0, '`NOW()` is not available: results must be deterministic'],
    ['current_date', 0, '`CURRENT_DATE` is not available: results must be deterministic'],
    ['UPPER(DISTINCT s)', 0, 'expected `DISTINCT` only in `COUNT(DISTINCT x)`'],
  ])('%s fails at %i', (text, offset, message) => {
    const error = expressionErrorOf(() => checkExpression(parseExpression(text), COLUMNS));
    expect(error.message).toContain(message);
    expect(error.offset).toBe(offset);
  });
});
