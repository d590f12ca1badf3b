/**
 * Numeric functions. Results that are undefined in the reals (`SQRT(-1)`, `LN(0)`, `MOD(x, 0)`)
 * are NULL, never NaN, so a NULL check catches them.
 */
import { returns, sameAs, strict1, strict2, type FunctionDef } from './function-def.js';
import { commonType, isIntegralType, type ExprType } from './types.js';

/** `x` rounded to `digits` decimals, halves away from zero (Spark's HALF_UP). */
export function roundHalfUp(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  const scale = 10 ** Math.abs(digits);
  const y = digits >= 0 ? Math.abs(x) * scale : Math.abs(x) / scale;
  const floor = Math.floor(y);
  const fraction = y - floor;
  // Near a half, binary error decides (1.005 * 100 = 100.4999…): round the decimal text instead.
  const up = Math.abs(fraction - 0.5) < 1e-9 ? roundsUpInDecimal(Math.abs(x), digits) : fraction >= 0.5;
  const rounded = up ? floor + 1 : floor;
  return sign * (digits >= 0 ? rounded / scale : rounded * scale) || 0;
}

function roundsUpInDecimal(abs: number, digits: number): boolean {
  // The shortest text that reads back as `abs` is the decimal the user meant (Spark's BigDecimal).
  const shortest = String(abs);
  const text = shortest.includes('e') ? abs.toFixed(20) : shortest.includes('.') ? shortest : `${shortest}.`;
  const point = text.indexOf('.');
  const index = digits >= 0 ? point + digits + 1 : point + digits;
  const digit = index >= 0 && index < text.length ? text.charCodeAt(index) - 48 : 0;
  return digit >= 5;
}

const toDouble1 = (name: string, summary: string, f: (x: number) => number, signature = `${name}(x)`): FunctionDef => ({
  name,
  signature,
  summary,
  params: ['number'],
  result: returns('double'),
  nullable: 'always',
  compile: (args) => strict1<number>(args, (x) => nullIfNaN(f(x))),
});

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

const rounding = (name: 'FLOOR' | 'CEIL', f: (x: number) => number): FunctionDef => ({
  name,
  signature: `${name}(x)`,
  summary: `\`x\` rounded ${name === 'FLOOR' ? 'down' : 'up'} to a whole number (a \`long\` for a double)`,
  params: ['number'],
  result: (types) => (isIntegralType(types[0] ?? 'null') ? (types[0] ?? 'null') : types[0] === 'null' ? 'null' : 'long'),
  compile: (args) => strict1<number>(args, (x) => f(x) || 0),
});

/** The type of `%`/`MOD`: integral when both are, else double. */
export function moduloType(types: readonly ExprType[]): ExprType {
  return commonType(types[0] ?? 'null', types[1] ?? 'null') ?? 'double';
}

/** `a % b` with the dividend's sign (as Java and Spark), NULL for a zero divisor. */
export function modulo(a: number, b: number): number | null {
  return b === 0 ? null : a % b || 0;
}

const power: (name: string) => FunctionDef = (name) => ({
  name,
  signature: `${name}(x, y)`,
  summary: '`x` to the power `y`, a double',
  params: ['number', 'number'],
  result: returns('double'),
  nullable: 'always',
  compile: (args) => strict2<number, number>(args, (x, y) => nullIfNaN(x ** y)),
});

/** The numeric functions. */
export const MATH_FUNCTIONS: readonly FunctionDef[] = [
  {
    name: 'ABS',
    signature: 'ABS(x)',
    summary: 'the absolute value of `x`, of the same type',
    params: ['number'],
    result: sameAs(0),
    compile: (args) => strict1<number>(args, Math.abs),
  },
  {
    name: 'ROUND',
    signature: 'ROUND(x[, digits])',
    summary: '`x` rounded to `digits` decimals (default 0; negative rounds to tens, hundreds…), halves away from zero; same type as `x`',
    params: ['number', 'integer'],
    required: 1,
    result: sameAs(0),
    compile: (args) => (args.length === 1 ? strict1<number>(args, (x) => roundHalfUp(x, 0)) : strict2<number, number>(args, roundHalfUp)),
  },
  rounding('FLOOR', Math.floor),
  rounding('CEIL', Math.ceil),
  toDouble1('SQRT', 'the square root of `x`; NULL when `x` is negative', Math.sqrt),
  toDouble1('LN', 'the natural logarithm of `x`; NULL when `x` ≤ 0', (x) => (x <= 0 ? NaN : Math.log(x))),
  toDouble1('EXP', '*e* to the power `x`', Math.exp),
  power('POWER'),
  power('POW'),
  {
    name: 'MOD',
    signature: 'MOD(a, b)',
    summary: 'the remainder of `a / b`, with the sign of `a` (as `a % b`); NULL when `b` is 0',
    params: ['number', 'number'],
    result: moduloType,
    nullable: 'always',
    compile: (args) => strict2(args, modulo),
  },
];
