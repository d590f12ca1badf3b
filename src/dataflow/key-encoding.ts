/**
 * The one canonical text encoding of keys. Grouping (`groupBy`, `keyBy`, `reduce`, `distinct`,
 * `join`), hashing to key groups and ordering (`sortBy`) of non-primitive keys all go through it,
 * so two keys are equal exactly when their encodings are, and equal keys always hash alike.
 *
 * | key                          | encoding                                                 |
 * |------------------------------|----------------------------------------------------------|
 * | `null`, `undefined`          | `N`                                                      |
 * | `false`, `true`              | `F`, `T`                                                 |
 * | number                       | `D` + its shortest text (`-0` as `0`): `D1.5`, `DNaN`     |
 * | bigint                       | `I` + decimal digits: `I42` (never equal to the number 42)|
 * | string                       | `S` + its JSON text: `S"a"`                              |
 * | `Date`                       | `@` + epoch milliseconds: `@0`                           |
 * | array (tuple)                | `[` + elements, comma-separated + `]`                    |
 * | plain object                 | `{` + `"key":value` sorted by key (undefined values left out) + `}` |
 * | `Map`                        | `%{` + `key=>value` sorted by encoded key + `}`          |
 * | `Set`                        | `#{` + elements sorted by encoding + `}`                 |
 *
 * Anything else — class instances, typed arrays, functions, symbols — has no value identity a
 * worker can rebuild (a class instance arrives in another worker as a plain object), so it is
 * rejected with a {@link KeyTypeError} naming the operator instead of being silently merged.
 */
import { describeValue } from '../errors.js';
import { KeyTypeError } from './errors.js';

export { KeyTypeError };

const MAX_DEPTH = 64;

/**
 * The canonical encoding of a key (see the module comment).
 *
 * @param where - names the operator in the error, e.g. `groupBy(λ)`.
 * @throws KeyTypeError for a value that has no encoding.
 */
export function encodeKey(key: unknown, where = 'key'): string {
  return encode(key, where, 'key', 0);
}

function encode(value: unknown, where: string, path: string, depth: number): string {
  switch (typeof value) {
    case 'undefined':
      return 'N';
    case 'boolean':
      return value ? 'T' : 'F';
    case 'number':
      return `D${value === 0 ? 0 : value}`;
    case 'bigint':
      return `I${value}`;
    case 'string':
      return `S${JSON.stringify(value)}`;
    case 'object':
      if (value === null) return 'N';
      if (depth >= MAX_DEPTH) throw new KeyTypeError(`${where}: expected a key nested less than ${MAX_DEPTH} levels deep, got a deeper one at ${path} (a cycle?). Use a flat key.`);
      return encodeObject(value, where, path, depth + 1);
    default:
      throw rejected(value, where, path);
  }
}

function encodeObject(value: object, where: string, path: string, depth: number): string {
  if (Array.isArray(value)) return `[${value.map((v, i) => encode(v, where, `${path}[${i}]`, depth)).join(',')}]`;
  if (value instanceof Date) return `@${value.getTime()}`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => [encode(k, where, `${path} (a Map key)`, depth), encode(v, where, `${path}.get(…)`, depth)] as const);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `%{${entries.map(([k, v]) => `${k}=>${v}`).join(',')}}`;
  }
  if (value instanceof Set) {
    const items = [...value].map((v) => encode(v, where, `${path} (a Set element)`, depth)).sort();
    return `#{${items.join(',')}}`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw rejected(value, where, path);
  const parts: string[] = [];
  for (const name of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[name];
    if (v !== undefined) parts.push(`${JSON.stringify(name)}:${encode(v, where, `${path}.${name}`, depth)}`);
  }
  return `{${parts.join(',')}}`;
}

function rejected(value: unknown, where: string, path: string): KeyTypeError {
  const at = path === 'key' ? '' : ` at ${path}`;
  return new KeyTypeError(
    `${where}: expected a key that is a string, number, boolean, bigint, Date, array, Map, Set or plain object, got ${describeValue(value)}${at}. ` +
      'Keys are compared by value, and a worker cannot rebuild such a value: return plain values from the key function (e.g. `[p.x, p.y]` or `{ x: p.x, y: p.y }`).',
  );
}

/**
 * The value a `Map` groups equal keys under: strings, booleans, bigints and numbers as they are
 * (`-0` as `0`; a `Map` already treats `NaN` as equal to itself), `null` for null and undefined,
 * anything else (and a string starting with NUL) its canonical encoding behind a NUL prefix.
 */
export function groupKey(key: unknown, where?: string): unknown {
  if (key === null || key === undefined) return null;
  switch (typeof key) {
    case 'string':
      // A string that starts with NUL is encoded too, so it never equals an object's group key.
      return key.charCodeAt(0) === 0 ? `\u0000${encodeKey(key)}` : key;
    case 'boolean':
    case 'bigint':
      return key;
    case 'number':
      return key === 0 ? 0 : key;
    default:
      return `\u0000${encodeKey(key, where)}`;
  }
}
