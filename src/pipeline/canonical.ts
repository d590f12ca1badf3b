/**
 * Canonical encodings for the step cache: equal data gives equal bytes whatever the key order or
 * object identity, so that a hash of the encoding can key a cached output.
 *
 * Two policies share one walk. A step's arguments were sent to it as data: functions, symbols
 * and cycles are refused, and any object is encoded by its own enumerable keys. The values of the
 * bindings a step reads from its module are stricter: only plain data is encoded (primitives,
 * arrays, plain objects, Map, Set, Date, RegExp, typed arrays, ArrayBuffer); functions and module
 * exports stand for code, which the module fingerprint keys already; anything else (a class
 * instance, a socket, a promise) cannot be keyed stably and is reported to the caller.
 */
import type { Hash } from 'node:crypto';
import { UsageError } from '../errors.js';

/** How a walk treats what is not plain data. */
interface Policy {
  /** Marker for a function, or throws. */
  fn(path: string): string;
  /** Marker for a symbol, or throws. */
  symbol(value: symbol, path: string): string;
  /** Marker for an object already on the path (a cycle), or throws. */
  cycle(path: string, depth: number): string;
  /** Marker for an object that is not plain data, `undefined` to encode it by its keys, or throws. */
  other(value: object, path: string): string | undefined;
}

/** Feeds the canonical encoding of a step's arguments to `hash`. */
export function encodeArguments(value: unknown, hash: Hash, label: string): void {
  const refuse = (path: string, what: string): never => {
    throw new UsageError(`${label}: cannot cache a call whose argument ${path} ${what}; pass plain data or set cache: false`);
  };
  walk(value, hash, 'args', [], {
    fn: (path) => refuse(path, 'is a function'),
    symbol: (_value, path) => refuse(path, 'is a symbol'),
    cycle: (path) => refuse(path, 'contains a cycle'),
    other: () => undefined,
  });
}

/** Why a binding's value cannot be keyed: the path inside it and what was found there. */
export interface Unkeyable {
  path: string;
  found: string;
}

/**
 * Feeds the canonical encoding of a binding's value to `hash`. `isCode(value)` tells module exports
 * apart (they count as code). Returns what made the value unkeyable, or `undefined` when it was encoded.
 */
export function encodeBindingValue(value: unknown, hash: Hash, name: string, isCode: (value: object) => boolean): Unkeyable | undefined {
  let problem: Unkeyable | undefined;
  const stop = (path: string, found: string): string => {
    problem ??= { path, found };
    return '!';
  };
  walk(value, hash, name, [], {
    fn: () => 'f',
    symbol: (s, path) => {
      const key = Symbol.keyFor(s);
      return key === undefined ? stop(path, `a unique symbol (${s.toString()})`) : `y${key.length}:${key}`;
    },
    cycle: (_path, depth) => `^${depth};`,
    other: (obj, path) => {
      if (isCode(obj)) return 'm';
      const proto = Object.getPrototypeOf(obj) as object | null;
      if (proto === null || proto === Object.prototype) return undefined;
      if (obj instanceof RegExp) return `r${obj.source.length}:${obj.source}/${obj.flags};`;
      const kind = (proto.constructor as { name?: unknown } | undefined)?.name;
      return stop(path, typeof kind === 'string' && kind !== '' ? `a ${kind} instance` : 'an object with a custom prototype');
    },
  });
  return problem;
}

function walk(value: unknown, hash: Hash, path: string, stack: object[], policy: Policy): void {
  if (value === null) return void hash.update('n');
  switch (typeof value) {
    case 'undefined':
      return void hash.update('u');
    case 'boolean':
      return void hash.update(value ? 'T' : 'F');
    case 'number':
      return void hash.update(`d${Object.is(value, -0) ? '-0' : String(value)};`);
    case 'bigint':
      return void hash.update(`b${value.toString()};`);
    case 'string':
      return void hash.update(`s${value.length}:${value}`);
    case 'function':
      return void hash.update(policy.fn(path));
    case 'symbol':
      return void hash.update(policy.symbol(value, path));
  }
  const obj = value;
  const depth = stack.indexOf(obj);
  if (depth >= 0) return void hash.update(policy.cycle(path, depth));
  stack.push(obj);
  if (ArrayBuffer.isView(obj)) {
    hash.update(`v${obj.constructor.name}:${obj.byteLength}:`);
    hash.update(new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength));
  } else if (obj instanceof ArrayBuffer) {
    hash.update(`a${obj.byteLength}:`);
    hash.update(new Uint8Array(obj));
  } else if (obj instanceof Date) {
    hash.update(`t${obj.getTime()};`);
  } else if (Array.isArray(obj)) {
    hash.update(`[${obj.length}:`);
    obj.forEach((item, i) => walk(item, hash, `${path}[${i}]`, stack, policy));
    hash.update(']');
  } else if (obj instanceof Map) {
    hash.update(`M${obj.size}:`);
    for (const [k, v] of obj) {
      walk(k, hash, `${path}.<key>`, stack, policy);
      walk(v, hash, `${path}.get(…)`, stack, policy);
    }
  } else if (obj instanceof Set) {
    hash.update(`S${obj.size}:`);
    for (const v of obj) walk(v, hash, `${path}.<item>`, stack, policy);
  } else {
    const marker = policy.other(obj, path);
    if (marker !== undefined) {
      hash.update(marker);
    } else {
      const keys = Object.keys(obj).sort();
      hash.update(`{${keys.length}:`);
      for (const key of keys) {
        hash.update(`s${key.length}:${key}`);
        walk((obj as Record<string, unknown>)[key], hash, `${path}.${key}`, stack, policy);
      }
      hash.update('}');
    }
  }
  stack.pop();
}
