/**
 * The table of scalar functions: every function's name, arity, type rules and implementation,
 * by name. Names are case-insensitive; the table holds them in upper case.
 */
import { CONDITIONAL_FUNCTIONS } from './conditional-functions.js';
import { DATE_FUNCTIONS, FORBIDDEN_FUNCTIONS } from './date-functions.js';
import type { FunctionDef } from './function-def.js';
import { MATH_FUNCTIONS } from './math-functions.js';
import { STRING_FUNCTIONS } from './string-functions.js';

/** Every scalar function, in the order the docs list them. */
export const SCALAR_FUNCTIONS: readonly FunctionDef[] = [...STRING_FUNCTIONS, ...CONDITIONAL_FUNCTIONS, ...MATH_FUNCTIONS, ...DATE_FUNCTIONS];

const BY_NAME: ReadonlyMap<string, FunctionDef> = new Map(SCALAR_FUNCTIONS.map((def) => [def.name, def]));

/** The scalar function called `name` (any case), or undefined. */
export function scalarFunction(name: string): FunctionDef | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** Why `name` is not available on purpose (e.g. `CURRENT_DATE`), or undefined. */
export function forbiddenReason(name: string): string | undefined {
  return FORBIDDEN_FUNCTIONS[name.toUpperCase()];
}

/** How many arguments `def` takes, for messages: `1`, `2 or 3`, `at least 1`. */
export function describeArity(def: FunctionDef): string {
  const min = def.required ?? def.params.length;
  if (def.variadic) return `at least ${min}`;
  if (min === def.params.length) return String(min);
  return min + 1 === def.params.length ? `${min} or ${def.params.length}` : `${min} to ${def.params.length}`;
}

/** True when `def` accepts `count` arguments. */
export function acceptsArity(def: FunctionDef, count: number): boolean {
  const min = def.required ?? def.params.length;
  return count >= min && (def.variadic === true || count <= def.params.length);
}
