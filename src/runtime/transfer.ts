/**
 * Finds the ArrayBuffers reachable from a value so that `postMessage` moves them instead of copying
 * them (DESIGN.md principle 4: batches travel as transferable buffers). Shared buffers are skipped
 * (they are shared, not moved) and every buffer is listed once.
 */

/**
 * Adds every transferable `ArrayBuffer` reachable from `value` to `into` (a set, so buffers seen
 * by earlier messages of the same batch are not listed twice) and returns it.
 */
export function collectTransferables(value: unknown, into: Set<ArrayBuffer> = new Set()): Set<ArrayBuffer> {
  if (value === null || typeof value !== 'object') return into;
  visit(value, into, new Set());
  return into;
}

function add(buffer: ArrayBufferLike, into: Set<ArrayBuffer>): void {
  if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) into.add(buffer);
}

function visit(value: object, into: Set<ArrayBuffer>, seen: Set<object>): void {
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof ArrayBuffer) return add(value, into);
  if (ArrayBuffer.isView(value)) {
    // A small Node Buffer is a view into a shared pool that must not be moved.
    if (Buffer.isBuffer(value) && value.byteLength !== value.buffer.byteLength) return;
    return add(value.buffer, into);
  }
  const children: Iterable<unknown> =
    value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? value : Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    if (child !== null && typeof child === 'object') visit(child, into, seen);
  }
}
