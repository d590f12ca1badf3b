/**
 * Digests for dirty checks: a stable hash of plain values (object keys sorted, dates as ISO text),
 * so the same spec and the same inputs always give the same digest, on every machine.
 */
import { createHash } from 'node:crypto';

/** Canonical JSON text of a plain value: object keys sorted, `Date` as ISO text, `undefined` left out. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return `"${value}n"`;
  return JSON.stringify(value) ?? 'null';
}

/** A hex SHA-256 of the canonical JSON of `parts`. */
export function digestOf(...parts: unknown[]): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}
