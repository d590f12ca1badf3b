/**
 * Evaluators of the operators, one closure per operator and operand type so that the per-row path
 * does no dispatch and allocates nothing. NULL in gives NULL out, except for the three-valued `AND`
 * and `OR` (FALSE AND NULL is FALSE, TRUE OR NULL is TRUE).
 */
import type { ArithmeticOperator, ComparisonOperator } from './ast.js';
import type { Evaluator } from './function-def.js';
import { modulo } from './math-functions.js';
import { familyOf, type ExprType } from './types.js';
import { compareStrings } from './values.js';

/** `l op r` for numbers; `integer` results wrap to 32 bits as Spark's do; `/` and `%` by 0 give NULL. */
export function arithmetic(op: ArithmeticOperator, result: ExprType, l: Evaluator, r: Evaluator): Evaluator {
  const int = result === 'integer';
  switch (op) {
    case '+':
      return int ? numeric(l, r, (a, b) => (a + b) | 0) : numeric(l, r, (a, b) => a + b);
    case '-':
      return int ? numeric(l, r, (a, b) => (a - b) | 0) : numeric(l, r, (a, b) => a - b);
    case '*':
      return int ? numeric(l, r, Math.imul) : numeric(l, r, (a, b) => a * b);
    case '/':
      return numeric(l, r, (a, b) => (b === 0 ? null : a / b));
    case '%':
      return numeric(l, r, modulo);
  }
}

function numeric(l: Evaluator, r: Evaluator, f: (a: number, b: number) => number | null): Evaluator {
  return (row) => {
    const a = l(row);
    if (a === null) return null;
    const b = r(row);
    return b === null ? null : f(a as number, b as number);
  };
}

/** `-x` (wrapping for `integer`) and `+x`. */
export function negate(result: ExprType, operand: Evaluator): Evaluator {
  const int = result === 'integer';
  return (row) => {
    const v = operand(row);
    return v === null ? null : int ? -(v as number) | 0 : -(v as number);
  };
}

/** `l op r` for two values of one family (numbers, strings, booleans, dates/timestamps). */
export function comparison(op: ComparisonOperator, type: ExprType, l: Evaluator, r: Evaluator): Evaluator {
  switch (familyOf(type)) {
    case 'temporal':
      return ordered(op, time(l), time(r));
    case 'string':
      if (op === '=' || op === '!=') return ordered(op, l, r);
      return ordered(op, stringOrder(l, r), () => 0);
    default:
      return ordered(op, l, r);
  }
}

/** The time of a date or timestamp, so that it compares as a number. */
function time(e: Evaluator): Evaluator {
  return (row) => {
    const v = e(row);
    return v === null ? null : (v as Date).getTime();
  };
}

/** `compareStrings(l, r)`, compared with 0 by {@link ordered}. */
function stringOrder(l: Evaluator, r: Evaluator): Evaluator {
  return (row) => {
    const a = l(row);
    if (a === null) return null;
    const b = r(row);
    return b === null ? null : compareStrings(a as string, b as string);
  };
}

/** JS operators on numbers, booleans and strings compared only for (in)equality. */
function ordered(op: ComparisonOperator, l: Evaluator, r: Evaluator): Evaluator {
  type V = number;
  const make = (f: (a: V, b: V) => boolean): Evaluator => (row) => {
    const a = l(row);
    if (a === null) return null;
    const b = r(row);
    return b === null ? null : f(a as V, b as V);
  };
  switch (op) {
    case '=':
      return make((a, b) => a === b);
    case '!=':
      return make((a, b) => a !== b);
    case '<':
      return make((a, b) => a < b);
    case '<=':
      return make((a, b) => a <= b);
    case '>':
      return make((a, b) => a > b);
    case '>=':
      return make((a, b) => a >= b);
  }
}

/** Three-valued `AND`: FALSE wins, then NULL. */
export function and(l: Evaluator, r: Evaluator): Evaluator {
  return (row) => {
    const a = l(row);
    if (a === false) return false;
    const b = r(row);
    if (b === false) return false;
    return a === null || b === null ? null : true;
  };
}

/** Three-valued `OR`: TRUE wins, then NULL. */
export function or(l: Evaluator, r: Evaluator): Evaluator {
  return (row) => {
    const a = l(row);
    if (a === true) return true;
    const b = r(row);
    if (b === true) return true;
    return a === null || b === null ? null : false;
  };
}

/** Three-valued `NOT`. */
export function not(operand: Evaluator): Evaluator {
  return (row) => {
    const v = operand(row);
    return v === null ? null : !(v as boolean);
  };
}

/** `NOT` of a three-valued result when `negated`, else the result itself. */
export function maybeNot(negated: boolean, e: Evaluator): Evaluator {
  return negated ? not(e) : e;
}

/**
 * `column op constant` for numbers, the most common filter: reads the column directly instead of
 * through two nested closures.
 */
export function columnVersusNumber(op: ComparisonOperator, name: string, c: number): Evaluator {
  const make = (f: (v: number) => boolean): Evaluator => (row) => {
    const v = row[name];
    return v === null || v === undefined ? null : f(v as number);
  };
  switch (op) {
    case '=':
      return make((v) => v === c);
    case '!=':
      return make((v) => v !== c);
    case '<':
      return make((v) => v < c);
    case '<=':
      return make((v) => v <= c);
    case '>':
      return make((v) => v > c);
    case '>=':
      return make((v) => v >= c);
  }
}
