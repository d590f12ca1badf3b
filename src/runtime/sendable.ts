/**
 * Checks that a value survives the structured clone of `postMessage` / advanced IPC intact, before
 * it is posted. Structured clone silently turns a class instance into a plain object without its
 * methods and throws an unhelpful `DataCloneError` on functions; this walk fails instead with the
 * task label, the path of the bad value (`params.client`) and the fix.
 */
import { UnsendableValueError } from './errors.js';

/** Where a value is going, for error messages. */
export interface SendableContext {
  /** The task label, e.g. `step "load"`. */
  label: string;
  /** The path of the value's root, e.g. `input`, `params` or `output`. */
  path: string;
}

/** Prototypes whose instances structured clone rebuilds with the same prototype. */
const cloneable: ReadonlySet<object | null> = new Set<object | null>([
  null,
  Object.prototype,
  Array.prototype,
  Date.prototype,
  RegExp.prototype,
  Map.prototype,
  Set.prototype,
  ArrayBuffer.prototype,
  SharedArrayBuffer.prototype,
  DataView.prototype,
  Number.prototype,
  String.prototype,
  Boolean.prototype,
  BigInt.prototype,
]);

const FIX_CLASS =
  'Send plain data (the fields the function needs) and rebuild the object inside the function, ' +
  'or run this step on the async backend';

/**
 * Throws {@link UnsendableValueError} if `value` (or anything reachable from it) cannot be posted
 * to a thread or process unchanged. Primitives return at once; cycles are handled.
 */
export function assertSendable(value: unknown, context: SendableContext): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) return;
  visit(value, { root: context.path, label: context.label, at: [], seen: new Set() });
}

/**
 * One step from a value to a child: an array index, an object key, or a Map's keys / the entry of
 * a Map key. Steps are kept on a stack and turned into text only when a value fails, so checking
 * a large value creates no strings.
 */
type Step = number | string | { keys: true } | { get: unknown } | { values: true };

interface Walk {
  readonly root: string;
  readonly label: string;
  readonly at: Step[];
  readonly seen: Set<object>;
}

function pathOf(walk: Walk): string {
  let path = walk.root;
  for (const step of walk.at) {
    if (typeof step === 'number') path += `[${step}]`;
    else if (typeof step === 'string') path += /^[A-Za-z_$][\w$]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
    else if ('keys' in step) path += '.keys()';
    else if ('values' in step) path += '.values()';
    else path += `.get(${typeof step.get === 'string' ? JSON.stringify(step.get) : String(step.get)})`;
  }
  return path;
}

function fail(walk: Walk, problem: string, fix: string): never {
  throw new UnsendableValueError(walk.label, pathOf(walk), problem, fix);
}

function child(walk: Walk, step: Step, value: unknown): void {
  walk.at.push(step);
  visit(value, walk);
  walk.at.pop();
}

function visit(value: unknown, walk: Walk): void {
  if (typeof value === 'function') {
    fail(walk, `it is a function (${value.name || 'anonymous'}), and functions cannot be cloned`, 'Define the function with step() at the top level of its module and refer to it by id, or call it before sending its result');
  }
  if (typeof value === 'symbol') {
    fail(walk, `it is a symbol (${value.toString()}), and symbols cannot be cloned`, 'Send a string instead');
  }
  if (value === null || typeof value !== 'object') return;
  const seen = walk.seen;
  if (seen.has(value)) return;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return;
  if (value instanceof Error) return;
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) {
    fail(walk, `it is a ${value.constructor.name}, which cannot be cloned`, 'Await or copy its contents into plain data first');
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (!cloneable.has(proto)) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'an unknown class';
    fail(walk, `it is an instance of ${name}, and it would arrive as a plain object without its methods`, FIX_CLASS);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && (typeof item === 'object' || typeof item === 'function' || typeof item === 'symbol')) child(walk, i, item);
    }
    return;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) {
      child(walk, { keys: true }, key);
      child(walk, { get: key }, item);
    }
    return;
  }
  if (value instanceof Set) {
    for (const item of value) child(walk, { values: true }, item);
    return;
  }
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && (typeof item === 'object' || typeof item === 'function' || typeof item === 'symbol')) child(walk, key, item);
  }
}
