/**
 * Turns a step output into plain JSON data without losing it: `JSON.stringify` throws on a bigint
 * and silently prints `{}` for a Map, a Set or a typed array. Used by `PipelineResult.toJSON()`,
 * which is what `weft run --json` prints.
 *
 * Mapping: bigint → `"123n"`; Map → an object when every key is a string, else an array of
 * `[key, value]` entries; Set → an array; typed arrays, DataView and ArrayBuffer → arrays of numbers
 * (bigint elements as `"…n"` strings); Date → ISO string; Error → `{ name, message }`; a cycle → `"[Circular]"`;
 * functions and symbols → their description as a string.
 */

/** A JSON-compatible copy of `value` (see the module comment for the mapping). */
export function toJsonValue(value: unknown): unknown {
  return convert(value, new Set());
}

function convert(value: unknown, stack: Set<object>): unknown {
  switch (typeof value) {
    case 'bigint':
      return `${value.toString()}n`;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'function':
      return `[function ${value.name || 'anonymous'}]`;
    case 'symbol':
      return value.toString();
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (stack.has(value)) return '[Circular]';
  stack.add(value);
  try {
    return convertObject(value, stack);
  } finally {
    stack.delete(value);
  }
}

function convertObject(value: object, stack: Set<object>): unknown {
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView) return Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return Array.from(value as unknown as ArrayLike<number | bigint>, (n) => convert(n, stack));
  }
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
    return Array.from(new Uint8Array(value));
  }
  if (Array.isArray(value)) return value.map((item) => convert(item, stack));
  if (value instanceof Map) {
    const entries = [...(value as Map<unknown, unknown>)];
    if (entries.every(([key]) => typeof key === 'string')) {
      return Object.fromEntries(entries.map(([key, v]) => [key, convert(v, stack)]));
    }
    return entries.map(([key, v]) => [convert(key, stack), convert(v, stack)]);
  }
  if (value instanceof Set) return [...(value as Set<unknown>)].map((item) => convert(item, stack));
  if (value instanceof Error) return { name: value.name, message: value.message };
  const custom = (value as { toJSON?: unknown }).toJSON;
  if (typeof custom === 'function') return convert((custom as () => unknown).call(value), stack);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = convert(v, stack);
  return out;
}
