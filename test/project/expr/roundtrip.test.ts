import { describe, expect, it } from 'vitest';
import { compileExpression, formatExpression, parseExpression, referencedColumns, type Expr } from '../../../src/project/expr/index.js';
import { COLUMNS } from './helpers.js';

/** A small seeded PRNG (mulberry32), so that a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'int' | 'double' | 'string' | 'bool' | 'date';

/** Random well-typed expression texts, written with varied case, spacing and redundant parentheses. */
class Generator {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = random(seed);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#next() * items.length)] as T;
  }

  expr(kind: Kind, depth: number): string {
    const text = depth <= 0 || this.#next() < 0.25 ? this.#leaf(kind) : this.#compound(kind, depth - 1);
    return this.#next() < 0.1 ? `( ${text} )` : text;
  }

  #leaf(kind: Kind): string {
    switch (kind) {
      case 'int':
        return this.pick(['i', 'j', '0', '1', '3', '-2', 'NULL', '2147483647']);
      case 'double':
        return this.pick(['x', 'y', '1.5', '0.25', '2e-3', '1e3', '-0.5']);
      case 'string':
        return this.pick(['s', 't', "''", "'a'", "'it''s'", "'A😀'", "'ab%'", '`s`']);
      case 'bool':
        return this.pick(['b', 'c', 'TRUE', 'false', 'NULL']);
      case 'date':
        return this.pick(['d', "DATE '2013-01-01'", "date '2020-02-29'"]);
    }
  }

  #compound(kind: Kind, d: number): string {
    const e = (k: Kind): string => this.expr(k, d);
    const any = (): Kind => this.pick(['int', 'double', 'string', 'date'] as const);
    switch (kind) {
      case 'int':
        return this.pick([
          () => `${e('int')} ${this.pick(['+', '-', '*', '%'])} ${e('int')}`,
          () => `-${e('int')}`,
          () => `length(${e('string')})`,
          () => `CASE WHEN ${e('bool')} THEN ${e('int')} ELSE ${e('int')} END`,
          () => `case ${e('int')} when 1 then ${e('int')} when 2 then ${e('int')} end`,
          () => `COALESCE(${e('int')}, ${e('int')})`,
          () => `abs(${e('int')})`,
          () => `CAST(${e('double')} AS int)`,
          () => `YEAR(${e('date')})`,
          () => `if(${e('bool')}, ${e('int')}, ${e('int')})`,
          () => `DATEDIFF(${e('date')}, ${e('date')})`,
        ])();
      case 'double':
        return this.pick([
          () => `${e('double')} ${this.pick(['+', '-', '*', '/'])} ${e('int')}`,
          () => `${e('int')} / ${e('int')}`,
          () => `ROUND(${e('double')}, 2)`,
          () => `sqrt(${e('double')})`,
          () => `CAST(${e('int')} AS double)`,
          () => `POWER(${e('double')}, 2)`,
          () => `GREATEST(${e('double')}, ${e('int')})`,
          () => `- ${e('double')}`,
        ])();
      case 'string':
        return this.pick([
          () => `${e('string')} || ${e('string')}`,
          () => `UPPER(${e('string')})`,
          () => `substr(${e('string')}, ${e('int')}, ${e('int')})`,
          () => `CONCAT(${e('string')}, ${e('int')}, ${e('double')})`,
          () => `TRIM(${e('string')})`,
          () => `CAST(${e(any())} AS string)`,
          () => `LPAD(${e('string')}, 3, 'x')`,
          () => `replace(${e('string')}, 'a', 'b')`,
          () => `${e('string')} || ${e('int')}`,
        ])();
      case 'bool':
        return this.pick([
          () => {
            const k = any();
            return `${e(k)} ${this.pick(['=', '==', '!=', '<>', '<', '<=', '>', '>='])} ${e(k)}`;
          },
          () => `${e('bool')} AND ${e('bool')}`,
          () => `${e('bool')} or ${e('bool')}`,
          () => `NOT ${e('bool')}`,
          () => `${e(any())} IS ${this.pick(['', 'NOT '])}NULL`,
          () => `${e('int')} ${this.pick(['', 'NOT '])}IN (${e('int')}, 2, ${e('int')})`,
          () => `${e('double')} ${this.pick(['', 'not '])}BETWEEN ${e('int')} AND ${e('double')}`,
          () => `${e('string')} ${this.pick(['', 'NOT '])}LIKE ${this.pick(["'a%'", "'%b'", "'_'", "'%'", "'a\\%%'"])}`,
          () => `starts_with(${e('string')}, 'a')`,
        ])();
      case 'date':
        return this.pick([() => `DATE_ADD(${e('date')}, ${e('int')})`, () => `TO_DATE(${e('string')})`, () => `CASE WHEN ${e('bool')} THEN ${e('date')} END`])();
    }
  }

  row(): Record<string, unknown> {
    const maybe = <T>(items: readonly T[]): T | null => (this.#next() < 0.15 ? null : this.pick(items));
    return {
      i: maybe([-3, -1, 0, 1, 2, 5, 2147483647]),
      j: maybe([-2, 0, 1, 3]),
      l: maybe([0, 4294967296]),
      x: maybe([-1.5, 0, 0.1, 2.5, 1e6]),
      y: maybe([-2, 0.5, 3]),
      s: maybe(['', 'a', 'ab', "it's", 'A😀', 'abc%', 'b']),
      t: maybe(['', 'b', 'ab', '2013-01-05']),
      b: maybe([true, false]),
      c: maybe([true, false]),
      d: maybe([new Date('2013-01-01T00:00:00Z'), new Date('2020-02-29T00:00:00Z')]),
      ts: maybe([new Date('2013-01-01T10:00:00Z')]),
    };
  }
}

/** A tree without offsets, to compare trees parsed from different texts. */
function shape(node: Expr): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'at' || key === 'opAt' ? undefined : value)));
}

describe('formatExpression', () => {
  it.each([
    ['a+b*c', 'a + b * c'],
    ['(a + b) * c', '(a + b) * c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', 'a - b - c'],
    ['not (a or b) and c', 'NOT (a OR b) AND c'],
    ['(NOT a) = b', '(NOT a) = b'],
    ['- (-a)', '-(-a)'],
    ['-(a + 1)', '-(a + 1)'],
    ["x in (1,2) or y not like 'a%'", "x IN (1, 2) OR y NOT LIKE 'a%'"],
    ['x between 1 and 2', 'x BETWEEN 1 AND 2'],
    ['`my col` + `end` + `a``b` + ok_1', '`my col` + `end` + `a``b` + ok_1'],
    ["'it''s'", "'it''s'"],
    ['1.0 + 1e3 + 1e21', '1.0 + 1000.0 + 1e+21'],
    ["date '2013-1-2'", "DATE '2013-01-02'"],
    ["case when a then 1 else 2 end", 'CASE WHEN a THEN 1 ELSE 2 END'],
    ['case a when 1 then 2 end', 'CASE a WHEN 1 THEN 2 END'],
    ['cast(a as bigint)', 'CAST(a AS LONG)'],
    ['count(*) + count(distinct a) + substr(s, 1)', 'COUNT(*) + COUNT(DISTINCT a) + SUBSTR(s, 1)'],
    ['a = (b = c)', 'a = (b = c)'],
    ['(a = b) IS NULL', 'a = b IS NULL'],
    ["a || (b || c)", 'a || (b || c)'],
  ])('%s → %s', (text, expected) => {
    const formatted = formatExpression(parseExpression(text));
    expect(formatted).toBe(expected);
    expect(shape(parseExpression(formatted).root)).toEqual(shape(parseExpression(text).root));
  });
});

describe('plain-data AST', () => {
  it('survives structuredClone and JSON, and compiles to the same results', () => {
    const text = "CASE WHEN d > DATE '2013-01-01' THEN UPPER(s) || CAST(i AS string) ELSE NULL END";
    const expression = parseExpression(text, { location: { file: '/p/m.yml', line: 1, column: 1 } });
    const cloned = structuredClone(expression);
    const json = JSON.parse(JSON.stringify(expression)) as typeof expression;
    expect(cloned).toEqual(expression);
    expect(json).toEqual(expression);
    const row = { d: new Date('2014-01-01T00:00:00Z'), s: 'ab', i: 7 };
    expect(compileExpression(cloned, COLUMNS)(row)).toBe('AB7');
    expect(compileExpression(json, COLUMNS)(row)).toBe('AB7');
  });
});

describe('referencedColumns', () => {
  it('lists each column once, in order of first appearance', () => {
    expect(referencedColumns(parseExpression('b + a * b + COALESCE(`c d`, a) + 1'))).toEqual(['b', 'a', 'c d']);
    expect(referencedColumns(parseExpression("CASE x WHEN y THEN z ELSE w END IN (v) AND u LIKE 'a'"))).toEqual(['x', 'y', 'z', 'w', 'v', 'u']);
    expect(referencedColumns(parseExpression('1 + 2'))).toEqual([]);
  });
});

describe('format round trip on random expressions', () => {
  it('compileExpression(parse(format(parse(t)))) agrees with compileExpression(parse(t)) on random rows', () => {
    const generator = new Generator(20_130_101);
    let compared = 0;
    for (let n = 0; n < 400; n++) {
      const text = generator.expr(generator.pick(['int', 'double', 'string', 'bool', 'date'] as const), 4);
      const original = parseExpression(text);
      const formatted = formatExpression(original);
      const reparsed = parseExpression(formatted);
      expect(shape(reparsed.root), text).toEqual(shape(original.root));
      expect(formatExpression(reparsed), text).toBe(formatted);
      const a = compileExpression(original, COLUMNS);
      const b = compileExpression(reparsed, COLUMNS);
      for (let r = 0; r < 20; r++) {
        const row = generator.row();
        expect(b(row), `${text} over ${JSON.stringify(row)}`).toEqual(a(row));
        compared++;
      }
    }
    expect(compared).toBe(8000);
  });
});
