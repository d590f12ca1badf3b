import { describe, expect, it } from 'vitest';
import { parseExpression, type Expr } from '../../../src/project/expr/index.js';
import { expressionErrorOf, tree } from './helpers.js';

describe('parseExpression: precedence', () => {
  it.each([
    ['a OR b AND c', '(or a (and b c))'],
    ['a AND b OR c', '(or (and a b) c)'],
    ['NOT a AND b', '(and (not a) b)'],
    ['NOT a = b', '(not (= a b))'],
    ['NOT NOT a', '(not (not a))'],
    ['a = b AND c < d', '(and (= a b) (< c d))'],
    ["a || b = 'x'", "(= (|| a b) 'x')"],
    ['a + b || c', '(|| (+ a b) c)'],
    ['a + b * c', '(+ a (* b c))'],
    ['a * b + c', '(+ (* a b) c)'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b % c', '(% (/ a b) c)'],
    ['-a * b', '(* (- a) b)'],
    ['- -a', '(- (- a))'],
    ['+a', '(+ a)'],
    ['(a + b) * c', '(* (+ a b) c)'],
    ['a + b IS NULL', '(isnull (+ a b))'],
    ['a IS NOT NULL AND b IS NULL', '(and (notnull a) (isnull b))'],
    ['NOT a IS NULL', '(not (isnull a))'],
    ['a BETWEEN 1 AND 2 AND b', '(and (between a 1 2) b)'],
    ['a NOT BETWEEN b + 1 AND c * 2', '(notbetween a (+ b 1) (* c 2))'],
    ['a IN (1, 2 + 3) OR b NOT IN (4)', '(or (in a 1 (+ 2 3)) (notin b 4))'],
    ["a LIKE 'x%' AND b NOT LIKE '_'", "(and (like a 'x%') (notlike b '_'))"],
    ['a == b', '(= a b)'],
    ['a <> b', '(!= a b)'],
    ['a != b', '(!= a b)'],
    ['a <= b', '(<= a b)'],
    ['a >= b', '(>= a b)'],
  ])('%s', (text, expected) => {
    expect(tree(text)).toBe(expected);
  });
});

describe('parseExpression: primaries', () => {
  it('reads keywords in any case', () => {
    expect(tree('a is not null and not b or c between 1 and 2')).toBe('(or (and (notnull a) (not b)) (between c 1 2))');
    expect(tree("case when a then 'x' else 'y' end")).toBe("(case [a 'x'] else 'y')");
    expect(tree('cast(a as Int)')).toBe('(cast a integer)');
    expect(tree('upper(a)')).toBe('(UPPER a)');
  });

  it('types number literals: integer, long beyond 32 bits, double with a point or exponent', () => {
    const literal = (text: string): Expr => parseExpression(text).root;
    expect(literal('42')).toMatchObject({ kind: 'literal', type: 'integer', value: 42 });
    expect(literal('2147483648')).toMatchObject({ type: 'long', value: 2147483648 });
    expect(literal('1.5')).toMatchObject({ type: 'double', value: 1.5 });
    expect(literal('1e3')).toMatchObject({ type: 'double', value: 1000 });
    expect(literal('.5')).toMatchObject({ type: 'double', value: 0.5 });
    expect(literal('2.5E-1')).toMatchObject({ type: 'double', value: 0.25 });
  });

  it('reads SQL strings with doubled quotes, backtick names, booleans and NULL', () => {
    expect(parseExpression("'it''s'").root).toMatchObject({ type: 'string', value: "it's" });
    expect(parseExpression("''").root).toMatchObject({ type: 'string', value: '' });
    expect(parseExpression('`my col`').root).toEqual({ kind: 'column', at: 0, name: 'my col' });
    expect(parseExpression('`a``b`').root).toMatchObject({ kind: 'column', name: 'a`b' });
    expect(parseExpression('`end`').root).toMatchObject({ kind: 'column', name: 'end' });
    expect(parseExpression('TRUE').root).toMatchObject({ type: 'boolean', value: true });
    expect(parseExpression('false').root).toMatchObject({ type: 'boolean', value: false });
    expect(parseExpression('NULL').root).toMatchObject({ type: 'null', value: null });
  });

  it('reads DATE and TIMESTAMP literals into canonical ISO text, and `date` alone as a column', () => {
    expect(parseExpression("DATE '2013-01-01'").root).toEqual({ kind: 'literal', at: 0, type: 'date', value: '2013-01-01' });
    expect(parseExpression("TIMESTAMP '2013-01-01T10:00:00Z'").root).toMatchObject({ type: 'timestamp', value: '2013-01-01T10:00:00.000Z' });
    expect(parseExpression("timestamp '2013-01-01 10:00:00+02:00'").root).toMatchObject({ value: '2013-01-01T08:00:00.000Z' });
    expect(parseExpression('date').root).toEqual({ kind: 'column', at: 0, name: 'date' });
    expect(tree('year(date)')).toBe('(YEAR date)');
  });

  it('reads CASE with and without a subject, CAST with type parameters, COUNT(*) and DISTINCT', () => {
    expect(tree("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' END")).toBe("(case x [1 'a'] [2 'b'])");
    expect(tree('CAST(x AS DECIMAL(10, 2))')).toBe('(cast x double)');
    expect(tree('CAST(x AS varchar(20))')).toBe('(cast x string)');
    expect(tree('COUNT(*)')).toBe('(COUNT *)');
    expect(tree('count(DISTINCT a)')).toBe('(COUNT distinct a)');
    expect(tree('f()')).toBe('(F)');
  });

  it('records the offset of every node and of every operator', () => {
    const root = parseExpression('a  + f(b, `c d`) * 2').root;
    expect(root).toMatchObject({ kind: 'binary', at: 0, opAt: 3, left: { at: 0 }, right: { at: 5, opAt: 17 } });
    if (root.kind !== 'binary' || root.right.kind !== 'binary' || root.right.left.kind !== 'call') throw new Error('unexpected tree');
    expect(root.right.left.args.map((a) => a.at)).toEqual([7, 10]);
    expect(root.right.right.at).toBe(19);
    const between = parseExpression('x NOT BETWEEN 1 AND 2').root;
    expect(between).toMatchObject({ kind: 'between', at: 0, opAt: 2, low: { at: 14 }, high: { at: 20 } });
  });

  it('keeps the location and indent it was given', () => {
    const location = { file: '/p/m.yml', line: 3, column: 9 };
    expect(parseExpression('a', { location, indent: 4 })).toEqual({ text: 'a', root: { kind: 'column', at: 0, name: 'a' }, location, indent: 4 });
    expect(parseExpression('a')).toEqual({ text: 'a', root: { kind: 'column', at: 0, name: 'a' } });
  });
});

describe('parseExpression: syntax errors', () => {
  it.each([
    ['', 0, 'expected an expression, found an empty text'],
    ['a +', 3, 'expected an expression, found the end of the expression'],
    ['a b', 2, 'expected an operator or the end of the expression, found `b` (is an operator or a comma missing?)'],
    ['(a + b', 6, 'expected `)` to close the parenthesis'],
    ["'abc", 0, 'unterminated string'],
    ['`abc', 0, 'unterminated quoted column name'],
    ['"x" = 1', 0, 'write strings in single quotes'],
    ['a ! b', 2, 'write `NOT c` for negation'],
    ['a && b', 2, 'write `AND` / `OR`'],
    ['a # b', 2, 'unexpected character `#`'],
    ['12abc', 2, 'expected an operator after the number `12`'],
    ['a NOT b', 6, 'expected `IN`, `BETWEEN` or `LIKE` after `NOT`'],
    ['a IS 1', 5, 'expected `NULL` after `IS [NOT]`'],
    ['a BETWEEN 1 OR 2', 12, 'expected `AND` between the bounds of `BETWEEN`'],
    ['a IN 1', 5, 'expected `(` after `IN`'],
    ['a IN (1, 2', 10, 'expected `)` to close the IN list'],
    ['CASE END', 5, 'expected `WHEN` in `CASE`'],
    ['CASE WHEN a THEN 1', 18, 'expected `END` to close `CASE`'],
    ['CASE WHEN a 1 END', 12, 'expected `THEN` after the `WHEN` condition'],
    ['CAST(a, int)', 6, 'expected `AS` in `CAST(x AS type)`'],
    ['CAST(a AS strin)', 10, 'expected a type name after `AS`, found `strin`; did you mean `string`? Types: string, varchar'],
    ['CAST(a AS 1)', 10, 'expected a type name after `AS`, found `1`'],
    ['end + 1', 0, 'found the keyword `END`; a column of that name must be quoted: `end`'],
    ['SUM(*)', 4, 'only `COUNT(*)` takes `*`'],
    ["DATE '2013-02-30'", 5, "expected a valid date in the form DATE 'yyyy-MM-dd', found '2013-02-30'"],
    ["TIMESTAMP 'soon'", 10, 'expected a valid timestamp'],
    ['99999999999999999', 0, 'write a larger number as a decimal'],
    ['f(a,)', 4, 'expected an expression, found `)`'],
    ['``', 0, 'expected a column name between the backticks'],
  ])('%j fails at %i', (text, offset, message) => {
    const error = expressionErrorOf(() => parseExpression(text));
    expect(error.offset).toBe(offset);
    expect(error.expression).toBe(text);
    expect(error.message).toContain(message);
    expect(error.code).toBe('WEFT_EXPRESSION');
  });

  it('shows the text with a caret under the offending character', () => {
    const error = expressionErrorOf(() => parseExpression('a > 1 AND AND b'));
    expect(error.message).toBe('expected an expression, found `AND`\n    a > 1 AND AND b\n              ^');
  });
});
