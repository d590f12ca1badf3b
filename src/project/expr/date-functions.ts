/**
 * Date and timestamp functions, all in UTC. There is deliberately no `CURRENT_DATE()` or `NOW()`:
 * the same inputs must give the same outputs on every run (DESIGN.md principle 6), so "today" is
 * a job parameter.
 */
import type { Expr } from './ast.js';
import { compileDatePattern, DAY_MS, parseDateText, parseTimestampText, truncateToDay, type DatePatternParser } from './dates.js';
import { arg, literalValue, returns, strict1, strict2, type Evaluator, type Fail, type FunctionDef } from './function-def.js';
import { isTemporalType, type ExprType } from './types.js';

const field = (name: string, summary: string, f: (d: Date) => number): FunctionDef => ({
  name,
  signature: `${name}(d)`,
  summary,
  params: ['temporal'],
  result: returns('integer'),
  compile: (args) => strict1(args, f),
});

/** The first argument must be a string or already a date/timestamp. */
function stringOrTemporal(target: 'date' | 'timestamp'): (types: readonly ExprType[], fail: Fail) => ExprType {
  return (types, fail) => {
    const type = types[0] ?? 'null';
    if (type !== 'string' && type !== 'null' && !isTemporalType(type)) fail(0, `expected a string or a date/timestamp, got ${type}`);
    if (types.length > 1 && type !== 'string' && type !== 'null') fail(1, `expected no pattern: the first argument is already a ${type}`);
    return target;
  };
}

/** The pattern argument must be a string literal whose letters are known. */
function validatePattern(nodes: readonly Expr[], fail: Fail): void {
  if (nodes.length < 2) return;
  const pattern = literalValue(nodes[1]);
  if (typeof pattern !== 'string') return fail(1, "expected the pattern as a string literal, such as 'yyyyMMdd' or 'dd.MM.yyyy HH:mm'");
  try {
    compileDatePattern(pattern);
  } catch (error) {
    fail(1, `expected a valid date pattern: ${(error as Error).message}`);
  }
}

/** Text → time with the literal pattern, or the ISO reading when there is none. */
function timeParser(nodes: readonly Expr[], iso: (text: string) => number | null): DatePatternParser {
  const pattern = literalValue(nodes[1]);
  return typeof pattern === 'string' ? compileDatePattern(pattern) : iso;
}

function conversionFunction(name: 'TO_DATE' | 'TO_TIMESTAMP'): FunctionDef {
  const target = name === 'TO_DATE' ? 'date' : 'timestamp';
  return {
    name,
    signature: `${name}(s[, pattern])`,
    summary: `the ${target} written in \`s\` (ISO \`yyyy-MM-dd${target === 'date' ? '' : "['T'HH:mm:ss[.SSS]][Z]"}\`, or \`pattern\` such as \`'yyyyMMdd'\`); NULL when \`s\` does not fit`,
    params: ['any', 'string'],
    required: 1,
    result: stringOrTemporal(target),
    nullable: 'always',
    validate: validatePattern,
    compile: (args, { types, nodes }) => {
      const from = types[0];
      if (from !== 'string') return target === 'date' ? strict1<Date>(args, (d) => new Date(truncateToDay(d.getTime()))) : arg(args, 0);
      const parse = timeParser(nodes, target === 'date' ? parseDateText : parseTimestampText);
      return strict1<string>(args, (s) => {
        const time = parse(s);
        return time === null ? null : new Date(target === 'date' ? truncateToDay(time) : time);
      });
    },
  };
}

function addDays(name: 'DATE_ADD' | 'DATE_SUB', sign: 1 | -1): FunctionDef {
  return {
    name,
    signature: `${name}(d, days)`,
    summary: `the date \`days\` days ${sign > 0 ? 'after' : 'before'} \`d\``,
    params: ['temporal', 'integer'],
    result: returns('date'),
    compile: (args): Evaluator => strict2<Date, number>(args, (d, n) => new Date(truncateToDay(d.getTime()) + sign * n * DAY_MS)),
  };
}

/** The date and timestamp functions. */
export const DATE_FUNCTIONS: readonly FunctionDef[] = [
  field('YEAR', 'the year of `d`', (d) => d.getUTCFullYear()),
  field('MONTH', 'the month of `d`, 1–12', (d) => d.getUTCMonth() + 1),
  field('DAY', 'the day of the month of `d`, 1–31', (d) => d.getUTCDate()),
  field('HOUR', 'the hour of `d`, 0–23 (0 for a date)', (d) => d.getUTCHours()),
  conversionFunction('TO_DATE'),
  conversionFunction('TO_TIMESTAMP'),
  addDays('DATE_ADD', 1),
  addDays('DATE_SUB', -1),
  {
    name: 'DATEDIFF',
    signature: 'DATEDIFF(end, start)',
    summary: 'the number of days from `start` to `end` (negative when `end` is earlier)',
    params: ['temporal', 'temporal'],
    result: returns('integer'),
    compile: (args) => strict2<Date, Date>(args, (a, b) => Math.floor(a.getTime() / DAY_MS) - Math.floor(b.getTime() / DAY_MS)),
  },
];

/** Functions that are not there on purpose, with the reason. */
export const FORBIDDEN_FUNCTIONS: Readonly<Record<string, string>> = {
  CURRENT_DATE: 'results must be deterministic: the same inputs give the same outputs on every run. Pass the date in as a job parameter instead',
  CURRENT_TIMESTAMP: 'results must be deterministic: the same inputs give the same outputs on every run. Pass the time in as a job parameter instead',
  NOW: 'results must be deterministic: the same inputs give the same outputs on every run. Pass the time in as a job parameter instead',
  RAND: 'results must be deterministic: the same inputs give the same outputs on every run, whatever the parallelism',
  RANDOM: 'results must be deterministic: the same inputs give the same outputs on every run, whatever the parallelism',
  UUID: 'results must be deterministic: the same inputs give the same outputs on every run, whatever the parallelism',
};
