/**
 * Functions that choose between values: `COALESCE`, `NULLIF`, `IF`, `LEAST`, `GREATEST`. Their
 * arguments must share a type (numbers widen, a date meets a timestamp), and they are the only
 * functions that do not simply return NULL for a NULL argument.
 */
import { arg, type Evaluator, type Fail, type FunctionDef } from './function-def.js';
import { commonType, type ExprType } from './types.js';
import { comparatorFor, equalityFor } from './values.js';

/** The common type of `types[from…]`; fails at the first argument that does not fit. */
export function unify(types: readonly ExprType[], fail: Fail, from = 0): ExprType {
  let result: ExprType = 'null';
  for (let i = from; i < types.length; i++) {
    const type = types[i] ?? 'null';
    const next = commonType(result, type);
    if (next === undefined) fail(i, `expected a value of the same type as the earlier arguments (${result}), got ${type}`);
    result = next ?? result;
  }
  return result;
}

/** LEAST/GREATEST over non-null values; NULL only when all are NULL (as Spark). */
function extreme(args: readonly Evaluator[], type: ExprType, sign: 1 | -1): Evaluator {
  const compare = comparatorFor(type);
  return (row) => {
    let best: unknown = null;
    for (let i = 0; i < args.length; i++) {
      const value = arg(args, i)(row);
      if (value !== null && (best === null || sign * compare(value, best) < 0)) best = value;
    }
    return best;
  };
}

const extremeFunction = (name: 'LEAST' | 'GREATEST', sign: 1 | -1): FunctionDef => ({
  name,
  signature: `${name}(a, b, …)`,
  summary: `the ${sign > 0 ? 'smallest' : 'largest'} non-NULL argument (NULL when all are NULL)`,
  params: ['any', 'any'],
  variadic: true,
  result: (types, fail) => unify(types, fail),
  nullable: 'all',
  compile: (args, { result }) => extreme(args, result, sign),
});

function coalesce(args: readonly Evaluator[]): Evaluator {
  return (row) => {
    for (let i = 0; i < args.length; i++) {
      const value = arg(args, i)(row);
      if (value !== null) return value;
    }
    return null;
  };
}

/** The conditional functions. */
export const CONDITIONAL_FUNCTIONS: readonly FunctionDef[] = [
  {
    name: 'COALESCE',
    signature: 'COALESCE(a, b, …)',
    summary: 'the first non-NULL argument (NULL when all are NULL)',
    params: ['any'],
    variadic: true,
    result: (types, fail) => unify(types, fail),
    nullable: 'all',
    compile: coalesce,
  },
  {
    name: 'NULLIF',
    signature: 'NULLIF(a, b)',
    summary: 'NULL when `a` equals `b`, else `a`',
    params: ['any', 'any'],
    result: (types, fail) => {
      unify(types, fail);
      return types[0] ?? 'null';
    },
    nullable: 'always',
    compile: (args, { types }) => {
      const equal = equalityFor(commonType(types[0] ?? 'null', types[1] ?? 'null') ?? 'null');
      const a = arg(args, 0);
      const b = arg(args, 1);
      return (row) => {
        const x = a(row);
        if (x === null) return null;
        const y = b(row);
        return y !== null && equal(x, y) ? null : x;
      };
    },
  },
  {
    name: 'IF',
    signature: 'IF(condition, a, b)',
    summary: '`a` when `condition` is TRUE, else (FALSE or NULL) `b`',
    params: ['boolean', 'any', 'any'],
    result: (types, fail) => unify(types, fail, 1),
    compile: (args) => {
      const [c, a, b] = [arg(args, 0), arg(args, 1), arg(args, 2)];
      return (row) => (c(row) === true ? a(row) : b(row));
    },
  },
  extremeFunction('LEAST', 1),
  extremeFunction('GREATEST', -1),
];
