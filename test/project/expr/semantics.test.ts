import { describe, expect, it } from 'vitest';
import { checkExpression, compileCondition, compileExpression, parseExpression } from '../../../src/project/expr/index.js';
import { COLUMNS, evaluate, expressionErrorOf } from './helpers.js';

const V = [true, false, null] as const;
const sql = (v: boolean | null): string => (v === null ? 'NULL' : v ? 'TRUE' : 'FALSE');

describe('three-valued logic', () => {
  const and = (a: boolean | null, b: boolean | null): boolean | null => (a === false || b === false ? false : a === null || b === null ? null : true);
  const or = (a: boolean | null, b: boolean | null): boolean | null => (a === true || b === true ? true : a === null || b === null ? null : false);

  for (const a of V) {
    for (const b of V) {
      it(`${sql(a)} AND/OR ${sql(b)}, literally and through columns`, () => {
        expect(evaluate(`${sql(a)} AND ${sql(b)}`)).toBe(and(a, b));
        expect(evaluate(`${sql(a)} OR ${sql(b)}`)).toBe(or(a, b));
        expect(evaluate('b AND c', { b: a, c: b })).toBe(and(a, b));
        expect(evaluate('b OR c', { b: a, c: b })).toBe(or(a, b));
      });
    }
    it(`NOT ${sql(a)}`, () => {
      expect(evaluate(`NOT ${sql(a)}`)).toBe(a === null ? null : !a);
      expect(evaluate('NOT b', { b: a })).toBe(a === null ? null : !a);
    });
  }

  it('a filter keeps a row only when its condition is exactly TRUE', () => {
    const keep = compileCondition(parseExpression('i > 1'), COLUMNS);
    expect([{ i: 2 }, { i: 1 }, { i: null }, {}].map(keep)).toEqual([true, false, false, false]);
    const negated = compileCondition(parseExpression('NOT (i > 1)'), COLUMNS);
    expect([{ i: 2 }, { i: 1 }, { i: null }].map(negated)).toEqual([false, true, false]);
  });

  it('compileCondition refuses a non-boolean expression', () => {
    const error = expressionErrorOf(() => compileCondition(parseExpression('i + 1'), COLUMNS));
    expect(error.message).toContain('expected a condition (a boolean such as `x > 0`), got an integer expression');
  });
});

describe('NULL propagation', () => {
  it.each(['i + NULL', 'NULL - x', 'i * NULL', 'NULL / 2', 'NULL % 2', '-NULL', "'a' || NULL", 'NULL = NULL', 'i < NULL', 'NULL != 1', 'CAST(NULL AS int)'])('%s is NULL', (text) => {
    expect(evaluate(text, { i: 1, x: 1.5 })).toBeNull();
  });

  it('IS [NOT] NULL is never NULL', () => {
    expect(evaluate('i IS NULL', { i: null })).toBe(true);
    expect(evaluate('i IS NULL', { i: 0 })).toBe(false);
    expect(evaluate('i IS NOT NULL', {})).toBe(false);
    expect(evaluate('NULL IS NULL')).toBe(true);
  });
});

describe('arithmetic', () => {
  it.each([
    ['7 / 2', 3.5, 'double'],
    ['7 % 3', 1, 'integer'],
    ['-7 % 3', -1, 'integer'],
    ['7.5 % 2', 1.5, 'double'],
    ['1 + 2 * 3', 7, 'integer'],
    ['(1 + 2) * 3', 9, 'integer'],
    ['1 + 2.5', 3.5, 'double'],
    ['2147483647 + 1', -2147483648, 'integer'],
    ['2147483648 + 1', 2147483649, 'long'],
    ['i + 1', -2147483648, 'integer'],
    ['i * 2', -2, 'integer'],
    ['l * 2', 4294967294, 'long'],
    ['1 / 0', null, 'double'],
    ['1 % 0', null, 'integer'],
    ['-i', -2147483647, 'integer'],
    ['+x', 0.5, 'double'],
  ])('%s = %s (%s)', (text, value, type) => {
    const row = { i: 2147483647, l: 2147483647, x: 0.5 };
    expect(evaluate(text, row)).toBe(value);
    expect(checkExpression(parseExpression(text), COLUMNS).type).toBe(type);
  });
});

describe('comparisons', () => {
  it.each([
    ['1 = 1.0', true],
    ['2 > 1.5', true],
    ["'b' > 'a'", true],
    ["'B' < 'a'", true],
    ["'abc' = 'abc'", true],
    ["'ab' < 'abc'", true],
    ["'\uFFFF' < '😀'", true],
    ['FALSE < TRUE', true],
    ["DATE '2013-01-02' > DATE '2013-01-01'", true],
    ["DATE '2013-01-01' = TIMESTAMP '2013-01-01T00:00:00Z'", true],
    ["DATE '2013-01-01' < TIMESTAMP '2013-01-01T00:00:01Z'", true],
    ['1 <> 2', true],
    ['1 == 1', true],
    ['1 >= 2', false],
    ['1 <= 1', true],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected);
  });

  it('compares dates from rows by time, not identity', () => {
    const row = { d: new Date('2013-01-01T00:00:00Z'), ts: new Date('2013-01-01T00:00:00Z') };
    expect(evaluate('d = ts', row)).toBe(true);
    expect(evaluate("d = DATE '2013-01-01'", row)).toBe(true);
    expect(evaluate("d IN (DATE '2013-01-01', DATE '2014-01-01')", row)).toBe(true);
  });

  it('refuses to compare a string with a number', () => {
    const error = expressionErrorOf(() => checkExpression(parseExpression("s = 1"), COLUMNS));
    expect(error.message).toContain('expected values of the same kind on both sides of `=`, got string column `s` and integer 1');
    expect(error.offset).toBe(2);
    expect(() => checkExpression(parseExpression("d > '2013-01-01'"), COLUMNS)).toThrow(/got date column `d` and string '2013-01-01'/);
  });
});

describe('IN, BETWEEN, LIKE', () => {
  it.each([
    ['2 IN (1, 2, 3)', true],
    ['4 IN (1, 2, 3)', false],
    ['4 IN (1, NULL)', null],
    ['1 IN (1, NULL)', true],
    ['NULL IN (1, 2)', null],
    ['4 NOT IN (1, 2)', true],
    ['4 NOT IN (1, NULL)', null],
    ['1 NOT IN (1, NULL)', false],
    ['2 IN (1.0, 2.0)', true],
    ["'b' IN ('a', 'b')", true],
    ['2 BETWEEN 1 AND 3', true],
    ['1 BETWEEN 1 AND 3', true],
    ['3 BETWEEN 1 AND 3', true],
    ['4 BETWEEN 1 AND 3', false],
    ['2 BETWEEN 3 AND 1', false],
    ['2 BETWEEN NULL AND 3', null],
    ['4 BETWEEN NULL AND 3', false],
    ['NULL BETWEEN 1 AND 3', null],
    ['4 NOT BETWEEN 1 AND 3', true],
    ["'b' BETWEEN 'a' AND 'c'", true],
    ["'hello' LIKE 'he%'", true],
    ["'hello' LIKE '%lo'", true],
    ["'hello' LIKE '%ell%'", true],
    ["'hello' LIKE 'h_llo'", true],
    ["'hello' LIKE 'h_lo'", false],
    ["'hello' LIKE 'hello'", true],
    ["'hello' LIKE 'Hello'", false],
    ["'hello' LIKE '%'", true],
    ["'' LIKE '%'", true],
    ["'a%b' LIKE 'a\\%b'", true],
    ["'axb' LIKE 'a\\%b'", false],
    ["'a_b' LIKE 'a\\_b'", true],
    ["'a.c' LIKE 'a.c'", true],
    ["'abc' LIKE 'a.c'", false],
    ["'a(b' LIKE 'a(%'", true],
    ["'line1\nline2' LIKE 'line1%'", true],
    ["'😀' LIKE '_'", true],
    ["'hello' NOT LIKE 'x%'", true],
    ["NULL LIKE 'x%'", null],
    ["'x' LIKE NULL", null],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected);
  });

  it('evaluates row-dependent IN lists and LIKE patterns', () => {
    expect(evaluate('i IN (j, 5)', { i: 3, j: 3 })).toBe(true);
    expect(evaluate('i IN (j, 5)', { i: 3, j: null })).toBeNull();
    expect(evaluate('s LIKE t', { s: 'abc', t: 'a%' })).toBe(true);
    expect(evaluate('s LIKE t', { s: 'abc', t: '_' })).toBe(false);
    expect(evaluate('i BETWEEN j AND 10', { i: 3, j: 1 })).toBe(true);
  });

  it('type-checks the items against the operand', () => {
    expect(() => checkExpression(parseExpression("i IN (1, 'x')"), COLUMNS)).toThrow(/comparable with integer column `i` in `IN`, got string 'x'/);
    expect(() => checkExpression(parseExpression("i BETWEEN 'a' AND 2"), COLUMNS)).toThrow(/in `BETWEEN`, got string 'a'/);
    expect(() => checkExpression(parseExpression("i LIKE 'a%'"), COLUMNS)).toThrow(/expected a string before `LIKE`, got integer column `i`/);
  });
});

describe('CASE', () => {
  it.each([
    ["CASE WHEN i > 2 THEN 'big' WHEN i > 1 THEN 'mid' ELSE 'small' END", { i: 3 }, 'big'],
    ["CASE WHEN i > 2 THEN 'big' WHEN i > 1 THEN 'mid' ELSE 'small' END", { i: 2 }, 'mid'],
    ["CASE WHEN i > 2 THEN 'big' WHEN i > 1 THEN 'mid' ELSE 'small' END", { i: null }, 'small'],
    ["CASE WHEN i > 2 THEN 'big' END", { i: 1 }, null],
    ["CASE i WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", { i: 2 }, 'two'],
    ["CASE i WHEN 1 THEN 'one' ELSE 'many' END", { i: null }, 'many'],
    ["CASE i WHEN NULL THEN 'null' ELSE 'other' END", { i: null }, 'other'],
    ['CASE WHEN b THEN 1 ELSE 2.5 END', { b: true }, 1],
    ["CASE d WHEN DATE '2013-01-01' THEN 'new year' END", { d: new Date('2013-01-01T00:00:00Z') }, 'new year'],
  ])('%s over %j is %s', (text, row, expected) => {
    expect(evaluate(text, row)).toBe(expected);
  });

  it('types the result as the common type of the branches', () => {
    expect(checkExpression(parseExpression('CASE WHEN b THEN 1 ELSE 2.5 END'), COLUMNS)).toEqual({ type: 'double', nullable: false });
    expect(checkExpression(parseExpression("CASE WHEN b THEN 'x' END"), COLUMNS)).toEqual({ type: 'string', nullable: true });
  });

  it('refuses branches of different types and non-boolean conditions', () => {
    const error = expressionErrorOf(() => checkExpression(parseExpression("CASE WHEN b THEN 1 ELSE 'x' END"), COLUMNS));
    expect(error.message).toContain("expected an integer result like the earlier branches of `CASE`, got string 'x'");
    expect(error.offset).toBe(24);
    expect(() => checkExpression(parseExpression("CASE WHEN i THEN 1 END"), COLUMNS)).toThrow(/expected a boolean condition after `WHEN`, got integer column `i`/);
    expect(() => checkExpression(parseExpression("CASE i WHEN 'a' THEN 1 END"), COLUMNS)).toThrow(/comparable with integer column `i` after `WHEN`/);
  });
});

describe('CAST', () => {
  const ts = (iso: string): Date => new Date(iso);
  it.each([
    ["CAST('12' AS int)", 12],
    ["CAST(' 12 ' AS integer)", 12],
    ["CAST('1.9' AS int)", 1],
    ["CAST('-1.9' AS bigint)", -1],
    ["CAST('abc' AS int)", null],
    ["CAST('' AS int)", null],
    ["CAST('3000000000' AS int)", null],
    ["CAST('3000000000' AS long)", 3000000000],
    ["CAST('1e3' AS double)", 1000],
    ["CAST('1.5' AS float)", 1.5],
    ["CAST('0x10' AS double)", null],
    ["CAST('NaN' AS double)", NaN],
    ["CAST('yes' AS boolean)", true],
    ["CAST('F' AS boolean)", false],
    ["CAST('maybe' AS boolean)", null],
    ["CAST('2013-05-17' AS date)", ts('2013-05-17T00:00:00Z')],
    ["CAST('2013-05-17T10:00:00' AS date)", ts('2013-05-17T00:00:00Z')],
    ["CAST('2013-5' AS date)", ts('2013-05-01T00:00:00Z')],
    ["CAST('2013-13-01' AS date)", null],
    ["CAST('2013-05-17 10:30:00' AS timestamp)", ts('2013-05-17T10:30:00Z')],
    ["CAST('2013-05-17T10:30:00.123Z' AS timestamp)", ts('2013-05-17T10:30:00.123Z')],
    ["CAST('yesterday' AS timestamp)", null],
    ['CAST(1.9 AS int)', 1],
    ['CAST(-1.9 AS int)', -1],
    ['CAST(3e9 AS int)', null],
    ['CAST(3e9 AS long)', 3000000000],
    ['CAST(1 AS double)', 1],
    ['CAST(TRUE AS int)', 1],
    ['CAST(0 AS boolean)', false],
    ['CAST(2.5 AS boolean)', true],
    ['CAST(12 AS string)', '12'],
    ['CAST(1.0 AS string)', '1.0'],
    ['CAST(0.25 AS string)', '0.25'],
    ['CAST(1e7 AS string)', '1.0E7'],
    ['CAST(1.5e-4 AS string)', '1.5E-4'],
    ['CAST(FALSE AS string)', 'false'],
    ["CAST(DATE '2013-05-17' AS string)", '2013-05-17'],
    ["CAST(TIMESTAMP '2013-05-17T10:30:00Z' AS string)", '2013-05-17 10:30:00'],
    ["CAST(TIMESTAMP '2013-05-17T10:30:00.5Z' AS string)", '2013-05-17 10:30:00.500'],
    ["CAST(TIMESTAMP '2013-05-17T10:30:00Z' AS date)", ts('2013-05-17T00:00:00Z')],
    ["CAST(DATE '2013-05-17' AS timestamp)", ts('2013-05-17T00:00:00Z')],
    ["CAST(TIMESTAMP '1970-01-01T00:01:00Z' AS long)", 60],
    ['CAST(60 AS timestamp)', ts('1970-01-01T00:01:00Z')],
  ])('%s is %s', (text, expected) => {
    expect(evaluate(text)).toEqual(expected);
  });

  it('refuses conversions that do not exist, at the operand', () => {
    const error = expressionErrorOf(() => checkExpression(parseExpression('CAST(d AS int)'), COLUMNS));
    expect(error.message).toContain('expected a value that converts to integer in `CAST`, got date column `d`');
    expect(error.offset).toBe(5);
    expect(() => checkExpression(parseExpression('CAST(b AS date)'), COLUMNS)).toThrow(/converts to date/);
  });
});

describe('string concatenation with ||', () => {
  it('prints non-strings as CAST does, and is NULL when a side is NULL', () => {
    expect(evaluate("'n=' || i || ', x=' || x", { i: 1, x: 2 })).toBe('n=1, x=2.0');
    expect(evaluate("'a' || s", { s: null })).toBeNull();
  });
});

describe('compiled closures', () => {
  it('compute constant sub-expressions once, without reading the row', () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('the row was read'); } });
    expect(evaluate("UPPER('a') || CAST(1 + 2 AS string) || CASE WHEN 1 < 2 THEN 'y' END", untouchable)).toBe('A3y');
    expect(() => evaluate("UPPER(s) || 'a'", untouchable)).toThrow('the row was read');
  });

  it('can be reused across rows whose LIKE patterns differ', () => {
    const f = compileExpression(parseExpression("s LIKE t AND TO_DATE(s || '-01') IS NULL"), COLUMNS);
    expect([{ s: 'ab', t: 'a%' }, { s: 'ab', t: 'b%' }, { s: '2013-01', t: '%' }, { s: 'ab', t: null }].map(f)).toEqual([true, false, false, null]);
  });
});
