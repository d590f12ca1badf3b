/**
 * Validates a materialised spec with its zod schema and turns every issue into a message at the
 * `file:line:column` where the user wrote the offending value: what was expected, what arrived,
 * and for an unknown field the close known names.
 */
import type { ZodType, core } from 'zod';
import { closest } from '../../config/suggest.js';
import { describeValue } from '../../errors.js';
import { ProjectError } from '../errors.js';
import { formatLocation } from '../location.js';
import type { Located, ValuePath } from './materialize.js';

const MAX_REPORTED = 8;

/**
 * Parses `located.value` with `schema`.
 * @param what names the entity in messages, e.g. "relation `stations`".
 * @throws ProjectError listing every issue (up to 8) with its position; the first one's is the error's location.
 */
export function parseSpec<T>(schema: ZodType<T>, located: Located, what: string): T {
  const result = schema.safeParse(located.value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => describeIssue(issue, schema, located));
  const [first, ...rest] = issues;
  const more = rest.slice(0, MAX_REPORTED - 1).map((i) => `\n  ${formatLocation(i.location)}: ${i.text}`);
  const hidden = rest.length >= MAX_REPORTED ? `\n  … and ${rest.length - MAX_REPORTED + 1} more` : '';
  throw new ProjectError(`${what}: ${first!.text}${more.join('')}${hidden}`, { location: first!.location, code: 'WEFT_PROJECT_SPEC' });
}

interface Described {
  text: string;
  location: ReturnType<Located['locate']>;
}

function describeIssue(issue: core.$ZodIssue, schema: ZodType, located: Located): Described {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'invalid_union') {
    const branch = deepestBranch(issue.errors);
    if (branch) return describeIssue({ ...branch, path: [...path, ...branch.path] }, schema, located);
  }
  const at = pathText(path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const known = knownKeys(schema, path);
    const near = closest(key, known, 2);
    const hint = near.length > 0 ? ` Did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : '';
    const list = known.length > 0 ? ` Known fields${at ? ` of ${at}` : ''}: ${known.join(', ')}.` : '';
    return { text: `unknown field \`${key}\`.${hint}${list}`, location: located.locateKey([...path, key]) };
  }
  const got = describeValue(valueAt(located.value, path));
  const where = at ? `\`${at}\`: ` : '';
  if (issue.code === 'invalid_type') {
    const missing = got === 'undefined';
    const text = missing ? `missing required field \`${at}\` (${issue.expected})` : `${where}expected ${issue.expected}, got ${got}`;
    return { text, location: missing ? located.locate(path.slice(0, -1)) : located.locate(path) };
  }
  if (issue.code === 'invalid_value') {
    const choices = issue.values.map(String);
    const near = typeof valueAt(located.value, path) === 'string' ? closest(String(valueAt(located.value, path)), choices, 1) : [];
    const hint = near.length > 0 ? `; did you mean \`${near[0]}\`?` : '';
    return { text: `${where}expected one of ${choices.join(', ')}, got ${got}${hint}`, location: located.locate(path) };
  }
  const message = issue.message.replace(/^Invalid input: /, '');
  return { text: `${where}${message}${/got /.test(message) ? '' : `, got ${got}`}`, location: located.locate(path) };
}

/** The union branch that got furthest into the value (longest issue path), preferring fewer issues. */
function deepestBranch(branches: readonly (readonly core.$ZodIssue[])[]): core.$ZodIssue | undefined {
  let best: core.$ZodIssue | undefined;
  let bestScore = -1;
  for (const issues of branches) {
    const first = issues[0];
    if (!first) continue;
    const score = first.path.length * 100 - issues.length + (first.code === 'invalid_type' && first.path.length === 0 ? -50 : 0);
    if (score > bestScore) [best, bestScore] = [first, score];
  }
  return best;
}

function pathText(path: ValuePath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function valueAt(value: unknown, path: ValuePath): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

interface DefLike {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: readonly unknown[];
}

/** The field names an object schema accepts at `path`, when the schema says (best effort). */
function knownKeys(schema: unknown, path: ValuePath): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, rest: ValuePath, depth: number): void => {
    const def = (node as { _zod?: { def?: DefLike } } | undefined)?._zod?.def;
    if (!def || depth > 40) return;
    const next = (inner: unknown, remaining: ValuePath): void => visit(inner, remaining, depth + 1);
    switch (def.type) {
      case 'object':
        if (rest.length === 0) Object.keys(def.shape ?? {}).forEach((k) => found.add(k));
        else next(def.shape?.[String(rest[0])], rest.slice(1));
        return;
      case 'array':
        if (rest.length > 0) next(def.element, rest.slice(1));
        return;
      case 'record':
        if (rest.length > 0) next(def.valueType, rest.slice(1));
        return;
      case 'union':
        for (const option of def.options ?? []) next(option, rest);
        return;
      case 'pipe':
        next(def.in, rest);
        return;
      default:
        if (def.innerType) next(def.innerType, rest);
    }
  };
  visit(schema, path, 0);
  return [...found].sort();
}
