/**
 * The shape of one scalar function: its signature (for messages and docs), the types of its
 * parameters, its result type, when it may return NULL, and how it compiles. Keeping all of it in
 * one table entry means a function cannot be checked one way and run another.
 */
import type { Expr } from './ast.js';
import type { ExprType } from './types.js';

/** An input row: column name → value. */
export type Row = Readonly<Record<string, unknown>>;

/** A compiled expression: computes its value for one row (`null` for NULL). */
export type Evaluator = (row: Row) => unknown;

/**
 * What a parameter accepts: `number` (any numeric type), `integer` (`integer` or `long`),
 * `temporal` (`date` or `timestamp`), `any`, or one exact type.
 */
export type ParamKind = 'any' | 'string' | 'number' | 'integer' | 'boolean' | 'temporal';

/** Reports a type error at argument `index` (or at the call when `index` is -1). */
export type Fail = (index: number, message: string) => never;

/** What the compiler knows about a call when it compiles it. */
export interface CallContext {
  /** The checked types of the arguments. */
  readonly types: readonly ExprType[];
  /** The checked type of the call. */
  readonly result: ExprType;
  /** The argument nodes (for literal patterns and formats). */
  readonly nodes: readonly Expr[];
}

/** One scalar function. */
export interface FunctionDef {
  /** Upper-case name. */
  readonly name: string;
  /** How the docs and messages write it, e.g. `SUBSTR(s, pos[, len])`. */
  readonly signature: string;
  /** What it does, one line (docs). */
  readonly summary: string;
  /** The parameter kinds; with `variadic`, the last one repeats. */
  readonly params: readonly ParamKind[];
  /** How many arguments are required. @default params.length */
  readonly required?: number;
  /** The last parameter may repeat without limit. */
  readonly variadic?: boolean;
  /** The result type, given argument types that fit `params`; may call `fail` for mixes that do not fit. */
  readonly result: (types: readonly ExprType[], fail: Fail) => ExprType;
  /**
   * When the result may be NULL: `args` when any argument may be (the default: NULL in, NULL
   * out), `all` only when every argument may be (COALESCE), `always` whenever (e.g. a parse).
   */
  readonly nullable?: 'args' | 'all' | 'always';
  /** Checks literal arguments such as regular expressions and date patterns; calls `fail`. */
  readonly validate?: (nodes: readonly Expr[], fail: Fail) => void;
  /** Builds the evaluator from the arguments' evaluators. */
  readonly compile: (args: readonly Evaluator[], context: CallContext) => Evaluator;
}

/** The evaluator of argument `index`; the table guarantees it exists. */
export function arg(args: readonly Evaluator[], index: number): Evaluator {
  const evaluator = args[index];
  if (evaluator === undefined) throw new Error(`internal: argument ${index} missing`);
  return evaluator;
}

/** `f(a)`, NULL when `a` is NULL. */
export function strict1<A>(args: readonly Evaluator[], f: (a: A) => unknown): Evaluator {
  const a = arg(args, 0);
  return (row) => {
    const x = a(row);
    return x === null ? null : f(x as A);
  };
}

/** `f(a, b)`, NULL when either is NULL. */
export function strict2<A, B>(args: readonly Evaluator[], f: (a: A, b: B) => unknown): Evaluator {
  const a = arg(args, 0);
  const b = arg(args, 1);
  return (row) => {
    const x = a(row);
    if (x === null) return null;
    const y = b(row);
    return y === null ? null : f(x as A, y as B);
  };
}

/** `f(a, b, c)`, NULL when any is NULL. */
export function strict3<A, B, C>(args: readonly Evaluator[], f: (a: A, b: B, c: C) => unknown): Evaluator {
  const a = arg(args, 0);
  const b = arg(args, 1);
  const c = arg(args, 2);
  return (row) => {
    const x = a(row);
    if (x === null) return null;
    const y = b(row);
    if (y === null) return null;
    const z = c(row);
    return z === null ? null : f(x as A, y as B, z as C);
  };
}

/** The value of a literal node, or `undefined` when the node is not a literal. */
export function literalValue(node: Expr | undefined): unknown {
  return node?.kind === 'literal' ? node.value : undefined;
}

/** A result rule: always `type`. */
export function returns(type: ExprType): (types: readonly ExprType[]) => ExprType {
  return () => type;
}

/** A result rule: the type of argument `index` (`integer` for an always-NULL one). */
export function sameAs(index: number): (types: readonly ExprType[]) => ExprType {
  return (types) => types[index] ?? 'null';
}
