/**
 * The static check that lets an inline lambda travel to a worker as source (DESIGN.md principle 3).
 *
 * A lambda is safe to recompile elsewhere only if it reads nothing from its enclosing scopes: the
 * check parses `fn.toString()` with acorn, resolves every identifier with eslint-scope and fails on
 * any reference that is neither declared inside the lambda nor a standard global available in
 * every worker. Reads through the global object (`globalThis.secret`, `global.x`, `self.x`) are
 * held to the same rule: a worker has its own globals, so only standard ones may be read that way.
 * The result is cached per function object: this runs on the hot path.
 */
import { parse } from 'acorn';
import type { Node as AcornNode } from 'acorn';
import { analyze } from 'eslint-scope';
import type { Program } from 'estree';
import type { BackendKind } from '../events.js';
import type { FunctionRef, UserFunction } from './function-ref.js';
import { ALLOWED_GLOBALS } from './allowed-globals.js';
import { CapturedVariableError, UnsupportedFunctionError } from './errors.js';
import type { Capture } from './errors.js';
import { functionRefOf } from './registry.js';

type SourceRef = Extract<FunctionRef, { kind: 'source' }>;

const sourceCache = new WeakMap<UserFunction, SourceRef>();
const localCache = new WeakMap<UserFunction, FunctionRef>();
let nextSourceId = 0;

/**
 * The reference a worker uses to find `fn`: the `module` ref of a registered function; on the
 * `async` backend a `local` ref to the closure itself; otherwise a `source` ref after
 * {@link checkSelfContained} proved the lambda self-contained.
 *
 * @throws CapturedVariableError when the lambda reads an outer variable.
 * @throws UnsupportedFunctionError for classes, native and bound functions, and `this`.
 */
export function toFunctionRef(fn: UserFunction, label: string, backend: BackendKind): FunctionRef {
  const registered = functionRefOf(fn);
  if (registered) return registered;
  if (backend === 'async') {
    let ref = localCache.get(fn);
    if (!ref) {
      ref = { kind: 'local', fn, id: `local:${fn.name || 'anonymous'}` };
      localCache.set(fn, ref);
    }
    return ref;
  }
  const cached = sourceCache.get(fn);
  if (cached) return cached;
  const ref: SourceRef = { kind: 'source', source: checkSelfContained(fn, label), id: `src${nextSourceId++}:${fn.name}` };
  sourceCache.set(fn, ref);
  return ref;
}

/**
 * Proves `fn` self-contained and returns a JavaScript expression that evaluates to it.
 * Failures are not cached, so a fixed function is re-checked.
 */
export function checkSelfContained(fn: UserFunction, label: string): string {
  const text = fn.toString();
  if (/^class[\s{]/.test(text)) {
    throw new UnsupportedFunctionError(label, 'it is a class; pass a function, or define it with step() at the top level of its module');
  }
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    throw new UnsupportedFunctionError(
      label,
      `${fn.name || 'the function'} is a native or bound function, whose source cannot be sent; wrap it in an arrow ` +
        'function or define it with step() at the top level of its module',
    );
  }
  const { program, expression } = parseFunction(text, label);
  checkThis(program, label);
  checkReferences(program, label);
  return expression;
}

/**
 * The names `fn` reads from outside itself (free variables), found by the same parse as the lambda
 * check: every reference that no scope inside the function declares. Standard globals are included
 * (a caller that knows the enclosing scopes decides what they name); `undefined` when the source
 * cannot be parsed (a native or bound function).
 */
export function freeVariables(fn: UserFunction | (abstract new (...args: never[]) => unknown)): ReadonlySet<string> | undefined {
  const text = fn.toString();
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) return undefined;
  let program: AcornNode;
  try {
    ({ program } = parseFunction(text, 'function'));
  } catch {
    return undefined;
  }
  const global = analyze(program as unknown as Program, { ecmaVersion: 2022, sourceType: 'script' }).globalScope;
  return new Set(global ? global.through.map((reference) => reference.identifier.name) : []);
}

function parseFunction(text: string, label: string): { program: AcornNode; expression: string } {
  const options = { ecmaVersion: 'latest', sourceType: 'script', locations: true, ranges: true } as const;
  try {
    return { program: parse(`(${text})`, options), expression: `(${text})` };
  } catch {
    // Method shorthand (`foo(x) { … }`) only parses as an object member.
  }
  try {
    const program = parse(`({${text}})`, options);
    return {
      program,
      expression: `(function () { const o = {${text}}; return o[Reflect.ownKeys(o)[0]]; })()`,
    };
  } catch (error) {
    throw new UnsupportedFunctionError(label, `its source could not be parsed (${(error as Error).message}); define it with step() at the top level of its module`);
  }
}

interface Walkable {
  type: string;
  [key: string]: unknown;
}

/** Finds `this` outside nested non-arrow functions, and `super`, which a worker cannot provide. */
function findThis(node: Walkable, depth: number): Walkable | undefined {
  if (node.type === 'ThisExpression' || node.type === 'Super') return node;
  const opensThis = node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ClassBody';
  // depth 0 is the lambda itself: its own `this` is just as unavailable as the caller's.
  if (opensThis && depth > 0) return undefined;
  const nextDepth = opensThis ? depth + 1 : depth;
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const child of children) {
      if (child !== null && typeof child === 'object' && typeof (child as Walkable).type === 'string') {
        const found = findThis(child as Walkable, nextDepth);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function lineOf(node: unknown): number {
  return (node as { loc?: { start: { line: number } } }).loc?.start.line ?? 1;
}

function checkThis(program: AcornNode, label: string): void {
  let lambda = (program as unknown as { body: Array<{ expression: Walkable }> }).body[0]?.expression;
  if (lambda?.type === 'ObjectExpression') {
    const property = (lambda.properties as Walkable[])[0];
    if (property?.kind !== 'init') {
      throw new UnsupportedFunctionError(label, 'it is a getter or setter; pass a plain function');
    }
    lambda = property.value as Walkable;
  }
  const self = lambda ? findThis(lambda, 0) : undefined;
  if (self) {
    const word = self.type === 'Super' ? 'super' : 'this';
    throw new UnsupportedFunctionError(
      label,
      `it uses \`${word}\` (line ${lineOf(self)} of the function), which is not available in a worker; pass the ` +
        'value explicitly with `{ with: { … } }` and read `ctx.with`',
    );
  }
}

/** Names of the global object: a read through one of them reaches the globals of the thread that runs the code. */
const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(['globalThis', 'global', 'self']);

/** Maps each identifier that names the global object to the member expression it is the object of. */
function globalObjectMembers(node: Walkable, out: Map<unknown, Walkable>): Map<unknown, Walkable> {
  if (node.type === 'MemberExpression') {
    const object = node.object as Walkable;
    if (object.type === 'Identifier' && GLOBAL_OBJECTS.has(object.name as string)) out.set(object, node);
  }
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const child of children) {
      if (child !== null && typeof child === 'object' && typeof (child as Walkable).type === 'string') globalObjectMembers(child as Walkable, out);
    }
  }
  return out;
}

/**
 * What a reference to the global object reads, when that is not a standard global: `globalThis.secret`,
 * `global[key]`, a bare `globalThis` (which hands out every global). `undefined` when it is allowed.
 */
function globalObjectCapture(object: string, member: Walkable | undefined): Capture | undefined {
  if (member === undefined) return { name: object, line: 1 };
  const property = member.property as Walkable;
  const key = member.computed ? (property.type === 'Literal' && typeof property.value === 'string' ? property.value : undefined) : (property.name as string);
  // `self` is not a global of Node workers: whatever it names came from outside the function.
  if (key !== undefined && object !== 'self' && ALLOWED_GLOBALS.has(key)) return undefined;
  if (key === undefined) return { name: `${object}[…]`, line: 1 };
  return { name: member.computed ? `${object}[${JSON.stringify(key)}]` : `${object}.${key}`, line: 1, ...(/^[A-Za-z_$][\w$]*$/.test(key) ? { key } : {}) };
}

function checkReferences(program: AcornNode, label: string): void {
  const manager = analyze(program as unknown as Program, { ecmaVersion: 2022, sourceType: 'script' });
  const global = manager.globalScope;
  if (!global) return;
  const captures = new Map<string, Capture>();
  let members: Map<unknown, Walkable> | undefined;
  for (const reference of global.through) {
    const name = reference.identifier.name;
    if (GLOBAL_OBJECTS.has(name)) {
      members ??= globalObjectMembers(program as unknown as Walkable, new Map());
      const capture = globalObjectCapture(name, members.get(reference.identifier));
      if (capture && !captures.has(capture.name)) captures.set(capture.name, { ...capture, line: lineOf(reference.identifier) });
      continue;
    }
    if (name === 'arguments') {
      throw new UnsupportedFunctionError(
        label,
        `it is an arrow function that reads \`arguments\` (line ${lineOf(reference.identifier)}), which belongs to an outer function; declare the parameters you need`,
      );
    }
    if (ALLOWED_GLOBALS.has(name)) continue;
    if (!captures.has(name)) captures.set(name, { name, line: lineOf(reference.identifier) });
  }
  if (captures.size > 0) throw new CapturedVariableError(label, [...captures.values()]);
}
