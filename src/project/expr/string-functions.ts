/**
 * String functions. Positions and lengths count Unicode code points, as Spark does; strings
 * without characters above U+FFFF (nearly all) take the fast UTF-16 path.
 */
import { arg, literalValue, returns, strict1, strict2, strict3, type Evaluator, type FunctionDef } from './function-def.js';
import { stringifierFor } from './values.js';

const ASTRAL = /[\uD800-\uDFFF]/;

/** Number of code points of `s`. */
function codePointLength(s: string): number {
  if (!ASTRAL.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Code points `start` (inclusive) to `end` (exclusive) of `s`. */
function codePointSlice(s: string, start: number, end: number): string {
  if (!ASTRAL.test(s)) return s.slice(start, end);
  return Array.from(s).slice(start, end).join('');
}

/** SQL `SUBSTR`: 1-based `pos`, negative counts from the end, 0 reads as 1. */
export function substr(s: string, pos: number, length = Number.MAX_SAFE_INTEGER): string {
  const n = codePointLength(s);
  const begin = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
  const end = Math.min(n, begin + length);
  const start = Math.max(begin, 0);
  return start >= end ? '' : codePointSlice(s, start, end);
}

function trimSpaces(s: string, left: boolean, right: boolean): string {
  let start = 0;
  let end = s.length;
  while (left && start < end && s.charCodeAt(start) === 32) start++;
  while (right && end > start && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(start, end);
}

/** Spark `LPAD`/`RPAD`: pads to `length` code points with repeats of `pad`, or cuts to `length`. */
function pad(s: string, length: number, fill: string, left: boolean): string {
  const n = codePointLength(s);
  if (length <= 0) return '';
  if (n >= length) return codePointSlice(s, 0, length);
  if (fill === '') return s;
  const fillLength = codePointLength(fill);
  const needed = length - n;
  const padding = codePointSlice(fill.repeat(Math.ceil(needed / fillLength)), 0, needed);
  return left ? padding + s : s + padding;
}

/** Spark `SPLIT_PART`: the `n`th part (1-based; negative from the end), `''` past the end, NULL for 0. */
function splitPart(s: string, separator: string, n: number): string | null {
  if (n === 0) return null;
  const parts = separator === '' ? [s] : s.split(separator);
  const part = n > 0 ? parts[n - 1] : parts[parts.length + n];
  return part ?? '';
}

const string1 = (name: string, summary: string, f: (s: string) => unknown, result: 'string' | 'integer' = 'string'): FunctionDef => ({
  name,
  signature: `${name}(s)`,
  summary,
  params: ['string'],
  result: returns(result),
  compile: (args) => strict1(args, f),
});

const predicate = (name: string, summary: string, f: (s: string, t: string) => boolean): FunctionDef => ({
  name,
  signature: `${name}(s, t)`,
  summary,
  params: ['string', 'string'],
  result: returns('boolean'),
  compile: (args) => strict2(args, f),
});

const padding = (name: 'LPAD' | 'RPAD', left: boolean): FunctionDef => ({
  name,
  signature: `${name}(s, length[, pad])`,
  summary: `pads \`s\` on the ${left ? 'left' : 'right'} to \`length\` characters with \`pad\` (default a space), or cuts it to \`length\``,
  params: ['string', 'integer', 'string'],
  required: 2,
  result: returns('string'),
  compile: (args) =>
    args.length === 2 ? strict2<string, number>(args, (s, n) => pad(s, n, ' ', left)) : strict3<string, number, string>(args, (s, n, f) => pad(s, n, f, left)),
});

const substring = (name: string): FunctionDef => ({
  name,
  signature: `${name}(s, pos[, length])`,
  summary: '`length` characters of `s` from the 1-based position `pos` (negative: from the end)',
  params: ['string', 'integer', 'integer'],
  required: 2,
  result: returns('string'),
  compile: (args) => (args.length === 2 ? strict2<string, number>(args, (s, p) => substr(s, p)) : strict3<string, number, number>(args, substr)),
});

/** `CONCAT(a, b, …)`: any types, printed as `CAST(x AS STRING)` does; NULL if any is NULL. */
const concat: FunctionDef = {
  name: 'CONCAT',
  signature: 'CONCAT(a, b, …)',
  summary: 'the arguments joined into one string (non-strings print as `CAST(x AS STRING)`)',
  params: ['any'],
  variadic: true,
  result: returns('string'),
  compile: (args, { types }) => concatenation(args, types.map((type) => stringifierFor(type))),
};

/** Joins the values of `args`, each printed by its stringifier; NULL when any is NULL. */
export function concatenation(args: readonly Evaluator[], print: ReadonlyArray<(value: unknown) => string>): Evaluator {
  return (row) => {
    let out = '';
    for (let i = 0; i < args.length; i++) {
      const value = arg(args, i)(row);
      if (value === null) return null;
      out += (print[i] ?? String)(value);
    }
    return out;
  };
}

/** `REGEXP_EXTRACT(s, pattern[, group])`: JavaScript regular expressions with the `u` flag. */
const regexpExtract: FunctionDef = {
  name: 'REGEXP_EXTRACT',
  signature: 'REGEXP_EXTRACT(s, pattern[, group])',
  summary: 'group `group` (default 1; 0 for the whole match) of the first match of `pattern` in `s`, `\'\'` when none',
  params: ['string', 'string', 'integer'],
  required: 2,
  result: returns('string'),
  nullable: 'always',
  validate: (nodes, fail) => {
    const pattern = literalValue(nodes[1]);
    if (typeof pattern !== 'string') return;
    let regex: RegExp;
    try {
      regex = new RegExp(`${pattern}|`, 'u');
    } catch (error) {
      return fail(1, `expected a valid regular expression, got ${JSON.stringify(pattern)}: ${(error as Error).message}`);
    }
    const groups = (regex.exec('')?.length ?? 1) - 1;
    const group = literalValue(nodes[2]);
    if (typeof group === 'number' && (group < 0 || group > groups)) fail(2, `expected a group from 0 to ${groups} of ${JSON.stringify(pattern)}, got ${group}`);
  },
  compile: (args, { nodes }) => {
    const cache = regexCache(literalValue(nodes[1]));
    const extract = (s: string, pattern: string, group: number): string | null => {
      const regex = cache(pattern);
      if (regex === null) return null;
      const match = regex.exec(s);
      if (match === null) return '';
      return group < 0 || group >= match.length ? null : (match[group] ?? '');
    };
    return args.length === 2 ? strict2<string, string>(args, (s, p) => extract(s, p, 1)) : strict3(args, extract);
  },
};

/**
 * The compiled pattern: once for a literal, else the last one seen (patterns rarely vary by row).
 * A pattern computed per row that is not a valid regular expression gives `null` (a NULL result).
 */
function regexCache(literal: unknown): (pattern: string) => RegExp | null {
  let last = typeof literal === 'string' ? literal : '';
  let regex: RegExp | null = new RegExp(last, 'u');
  return (pattern) => {
    if (pattern !== last) {
      last = pattern;
      try {
        regex = new RegExp(pattern, 'u');
      } catch {
        regex = null;
      }
    }
    return regex;
  };
}

/** The string functions. */
export const STRING_FUNCTIONS: readonly FunctionDef[] = [
  substring('SUBSTR'),
  substring('SUBSTRING'),
  string1('LENGTH', 'the number of characters of `s`', codePointLength, 'integer'),
  string1('UPPER', '`s` in upper case', (s) => s.toUpperCase()),
  string1('LOWER', '`s` in lower case', (s) => s.toLowerCase()),
  string1('TRIM', '`s` without leading and trailing spaces', (s) => trimSpaces(s, true, true)),
  string1('LTRIM', '`s` without leading spaces', (s) => trimSpaces(s, true, false)),
  string1('RTRIM', '`s` without trailing spaces', (s) => trimSpaces(s, false, true)),
  concat,
  {
    name: 'REPLACE',
    signature: 'REPLACE(s, search[, replacement])',
    summary: 'every `search` in `s` replaced by `replacement` (default `\'\'`)',
    params: ['string', 'string', 'string'],
    required: 2,
    result: returns('string'),
    compile: (args) => {
      const replace = (s: string, search: string, by: string): string => (search === '' ? s : s.replaceAll(search, by));
      return args.length === 2 ? strict2<string, string>(args, (s, search) => replace(s, search, '')) : strict3(args, replace);
    },
  },
  {
    name: 'SPLIT_PART',
    signature: 'SPLIT_PART(s, separator, n)',
    summary: 'the `n`th part of `s` split at `separator` (1-based, negative from the end; `\'\'` past the end, NULL for 0)',
    params: ['string', 'string', 'integer'],
    result: returns('string'),
    nullable: 'always',
    compile: (args) => strict3(args, splitPart),
  },
  predicate('STARTS_WITH', 'whether `s` starts with `t`', (s, t) => s.startsWith(t)),
  predicate('ENDS_WITH', 'whether `s` ends with `t`', (s, t) => s.endsWith(t)),
  predicate('CONTAINS', 'whether `s` contains `t`', (s, t) => s.includes(t)),
  padding('LPAD', true),
  padding('RPAD', false),
  regexpExtract,
];
