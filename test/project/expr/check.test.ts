import { describe, expect, it } from 'vitest';
import { ExpressionError, ProjectError } from '../../../src/project/errors.js';
import { checkExpression, compileExpression, parseExpression } from '../../../src/project/expr/index.js';
import { deserializeError, serializeError, UsageError } from '../../../src/errors.js';
import { COLUMNS, expressionErrorOf } from './helpers.js';

const STATIONS = { usaf: 'string', wban: 'string', wind_speed: 'double', air_temperature: 'double' } as const;
const at = { file: '/p/mappings.yml', line: 12, column: 23 };

describe('checkExpression: unknown names', () => {
  it('names the closest column and lists the columns, with file:line:column and a caret', () => {
    const error = expressionErrorOf(() => checkExpression(parseExpression('wind_sped > 3 AND usaf IS NOT NULL', { location: at }), STATIONS));
    expect(error.message).toBe(
      [
        '/p/mappings.yml:12:23: unknown column `wind_sped`; did you mean `wind_speed`? Columns: usaf, wban, wind_speed, air_temperature',
        '    wind_sped > 3 AND usaf IS NOT NULL',
        '    ^',
      ].join('\n'),
    );
    expect(error.location).toEqual(at);
    expect(error.offset).toBe(0);
    expect(error).toBeInstanceOf(ProjectError);
    expect(error).toBeInstanceOf(UsageError);
  });

  it('points into the middle of a one-line text', () => {
    const error = expressionErrorOf(() => checkExpression(parseExpression('wind_speed > 3 AND usf IS NOT NULL', { location: at }), STATIONS));
    expect(error.location).toEqual({ file: '/p/mappings.yml', line: 12, column: 42 });
    expect(error.message).toContain('unknown column `usf`; did you mean `usaf`?');
    expect(error.message.split('\n').slice(1)).toEqual(['    wind_speed > 3 AND usf IS NOT NULL', `    ${' '.repeat(19)}^`]);
  });

  it('points into a later line of a multi-line (block scalar) text', () => {
    const text = 'wind_speed > 3\n  AND air_temprature < 30\n  AND usaf IS NOT NULL';
    const error = expressionErrorOf(() => checkExpression(parseExpression(text, { location: { file: '/p/m.yml', line: 5, column: 7 }, indent: 6 }), STATIONS));
    expect(error.offset).toBe(21);
    expect(error.location).toEqual({ file: '/p/m.yml', line: 6, column: 13 });
    expect(error.message).toBe(
      [
        '/p/m.yml:6:13: unknown column `air_temprature`; did you mean `air_temperature`? Columns: usaf, wban, wind_speed, air_temperature',
        '      AND air_temprature < 30',
        '          ^',
      ].join('\n'),
    );
  });

  it('points into a later line for syntax errors too', () => {
    const error = expressionErrorOf(() => parseExpression("usaf = '1'\nAND (wban = '2'", { location: { file: '/p/m.yml', line: 2, column: 10 }, indent: 4 }));
    expect(error.location).toEqual({ file: '/p/m.yml', line: 3, column: 20 });
    expect(error.message).toContain("expected `)` to close the parenthesis, found the end of the expression\n    AND (wban = '2'\n                   ^");
  });

  it('says when a column differs only in case', () => {
    expect(() => checkExpression(parseExpression('Wind_Speed > 1'), STATIONS)).toThrow('unknown column `Wind_Speed`; did you mean `wind_speed`? (column names are case-sensitive)');
  });

  it('lists the columns even when none is close', () => {
    expect(() => checkExpression(parseExpression('zzz'), STATIONS)).toThrow('unknown column `zzz`. Columns: usaf, wban, wind_speed, air_temperature');
  });

  it('accepts a ProjectSchema and honours its nullability', () => {
    const schema = { fields: [{ name: 'id', type: 'long' as const, nullable: false }, { name: 'name', type: 'string' as const }] };
    expect(checkExpression(parseExpression('id * 2'), schema)).toEqual({ type: 'long', nullable: false });
    expect(checkExpression(parseExpression('UPPER(name)'), schema)).toEqual({ type: 'string', nullable: true });
    expect(() => checkExpression(parseExpression('nam'), schema)).toThrow('did you mean `name`?');
  });
});

describe('checkExpression: operand types', () => {
  it.each([
    ['name + 1', 0, 'expected a number on the left of `+`, got string column `name`'],
    ['1 + name', 4, 'expected a number on the right of `+`, got string column `name`'],
    ["x * 'a'", 4, "expected a number on the right of `*`, got string 'a'"],
    ['-name', 1, 'expected a number after `-`, got string column `name`'],
    ['NOT x', 4, 'expected a boolean after `NOT`, got double column `x`'],
    ['x AND TRUE', 0, 'expected a boolean on the left of `AND`, got double column `x`'],
    ['TRUE OR UPPER(name)', 8, 'expected a boolean on the right of `OR`, got string `UPPER(name)`'],
    ["x > 'a'", 2, "expected values of the same kind on both sides of `>`, got double column `x` and string 'a'"],
    ['flag = 1', 5, 'got boolean column `flag` and integer 1'],
    ['day > 20130101', 4, 'got date column `day` and integer 20130101'],
  ])('%s fails at %i', (text, offset, message) => {
    const columns = { name: 'string', x: 'double', flag: 'boolean', day: 'date' } as const;
    const error = expressionErrorOf(() => checkExpression(parseExpression(text), columns));
    expect(error.message.split('\n')[0]).toContain(message);
    expect(error.offset).toBe(offset);
  });

  it('lets NULL stand for any type', () => {
    expect(checkExpression(parseExpression('i + NULL'), COLUMNS)).toEqual({ type: 'integer', nullable: true });
    expect(checkExpression(parseExpression('NULL'), COLUMNS)).toEqual({ type: 'string', nullable: true });
    expect(checkExpression(parseExpression("s = NULL OR NOT NULL"), COLUMNS).type).toBe('boolean');
  });

  it('gives literal and non-null expressions a non-nullable type', () => {
    expect(checkExpression(parseExpression("'a' || 'b'"), COLUMNS)).toEqual({ type: 'string', nullable: false });
    expect(checkExpression(parseExpression('i IS NULL'), COLUMNS)).toEqual({ type: 'boolean', nullable: false });
    expect(checkExpression(parseExpression('1 / 1'), COLUMNS)).toEqual({ type: 'double', nullable: true });
  });
});

describe('checkExpression: aggregates', () => {
  it('refuses an aggregate where a value per row is expected', () => {
    const error = expressionErrorOf(() => checkExpression(parseExpression('x + SUM(x)'), COLUMNS));
    expect(error.message).toContain('expected a value per row here, found the aggregate function `SUM`');
    expect(error.offset).toBe(4);
  });

  it('types aggregations and refuses bare columns outside the grouping columns', () => {
    expect(checkExpression(parseExpression('SUM(i)'), COLUMNS, { aggregate: true })).toEqual({ type: 'long', nullable: true });
    expect(checkExpression(parseExpression('COUNT(*)'), COLUMNS, { aggregate: true })).toEqual({ type: 'long', nullable: false });
    expect(checkExpression(parseExpression('ROUND(AVG(CAST(i AS double)), 2)'), COLUMNS, { aggregate: true }).type).toBe('double');
    expect(checkExpression(parseExpression('MAX(d)'), COLUMNS, { aggregate: true }).type).toBe('date');
    expect(checkExpression(parseExpression('s || COUNT(DISTINCT t)'), COLUMNS, { aggregate: true, groupBy: ['s'] }).type).toBe('string');
    const error = expressionErrorOf(() => checkExpression(parseExpression('SUM(i) + j'), COLUMNS, { aggregate: true, groupBy: ['s'] }));
    expect(error.message).toContain('expected column `j` inside an aggregate function such as `SUM(j)` or `FIRST(j)`, found it bare in an aggregation (grouping columns: s)');
    expect(error.offset).toBe(9);
  });

  it('refuses nested aggregates, DISTINCT outside COUNT and wrong argument types', () => {
    expect(() => checkExpression(parseExpression('SUM(COUNT(i))'), COLUMNS, { aggregate: true })).toThrow('expected a value per row inside `SUM`, found the aggregate function `COUNT`; aggregates cannot be nested');
    expect(() => checkExpression(parseExpression('SUM(DISTINCT i)'), COLUMNS, { aggregate: true })).toThrow('expected `DISTINCT` only in `COUNT(DISTINCT x)`');
    expect(() => checkExpression(parseExpression('AVG(s)'), COLUMNS, { aggregate: true })).toThrow('expected a number as the argument of AVG, got string column `s`');
    expect(() => checkExpression(parseExpression('MIN(i, j)'), COLUMNS, { aggregate: true })).toThrow('expected 1 argument for MIN(x), got 2');
  });

  it('refuses to compile an aggregation directly', () => {
    expect(() => compileExpression(parseExpression('SUM(i)'), COLUMNS)).toThrow(/aggregate function `SUM`/);
  });
});

describe('ExpressionError across a worker boundary', () => {
  it('is rebuilt by name with its offset and text', () => {
    const error = expressionErrorOf(() => checkExpression(parseExpression('nope', { location: at }), COLUMNS));
    const rebuilt = deserializeError(structuredClone(serializeError(error)));
    expect(rebuilt).toBeInstanceOf(ExpressionError);
    expect(rebuilt.message).toBe(error.message);
    expect((rebuilt as ExpressionError).offset).toBe(0);
    expect((rebuilt as ExpressionError).expression).toBe('nope');
  });
});
