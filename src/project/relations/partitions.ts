/**
 * Partitions: typed values per partition column, their folder names (`year=2013`, escaped as Hive
 * escapes them), filters of a read (`values` or a range `[start, end)`), the canonical key the
 * state store keeps, and the values of a range step by step (`year:start=2000 year:end=2020`,
 * or dates by an ISO duration). Every relation kind and the job layer share these rules, so a
 * partition written as `year=2013` is read, filtered, fingerprinted and recorded the same way.
 */
import { ProjectError } from '../errors.js';
import type { partitionFilterSpec, partitionValuesSpec } from '../spec/common.js';
import { addDuration, parseDuration } from '../jobs/duration.js';
import { comparePartitionValues, formatPartitionValue, parsePartitionValue, partitionValueError } from './partition-values.js';
import type { PartitionColumn, PartitionCondition, PartitionFilter, PartitionValues } from './relation.js';
import type { z } from 'zod';

export { comparePartitionValues, formatPartitionValue, parsePartitionValue, parseTyped } from './partition-values.js';

/** Characters Hive escapes in partition folder names (besides control characters). */
const HIVE_ESCAPED = new Set(['"', '#', '%', "'", '*', '/', ':', '=', '?', '\\', '\x7f', '{', '[', ']', '^']);

/** Escapes a partition value for a folder name as Hive does: `/`, `=`, `%`, `:`, … and control characters as `%XX`. */
export function escapePathValue(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code < 0x20 || HIVE_ESCAPED.has(ch) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

/** Reverses {@link escapePathValue}; a `%` not followed by two hex digits stays as it is. */
export function unescapePathValue(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The folder segment of one value: `year=2013`. */
export function partitionSegment(column: PartitionColumn, value: unknown): string {
  return `${escapePathValue(column.name)}=${escapePathValue(formatPartitionValue(column.type, value))}`;
}

/**
 * Parses a Hive folder segment (`year=2013`) of `column`, or returns `undefined` when the name is
 * not one (another column, no `=`, or a value of the wrong type).
 */
export function parsePartitionSegment(column: PartitionColumn, segment: string): unknown {
  const eq = segment.indexOf('=');
  if (eq < 0 || unescapePathValue(segment.slice(0, eq)) !== column.name) return undefined;
  try {
    return parsePartitionValue(column, unescapePathValue(segment.slice(eq + 1)));
  } catch {
    return undefined;
  }
}

/** Values as text per column (`{ year: '2013' }`), for resources. */
export function partitionText(columns: readonly PartitionColumn[], values: PartitionValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const column of columns) if (values[column.name] !== undefined) out[column.name] = formatPartitionValue(column.type, values[column.name]);
  return out;
}

/**
 * The canonical key of a partition for the state store: its Hive path in column order
 * (`year=2013/month=1`); columns without a value are left out; the empty string for none.
 * @throws {ProjectError} for a value of an unknown column or of the wrong type.
 */
export function partitionKey(columns: readonly PartitionColumn[], values: PartitionValues): string {
  const typed = typePartitionValues(columns, values, { complete: false });
  return columns.filter((c) => typed[c.name] !== undefined).map((c) => partitionSegment(c, typed[c.name])).join('/');
}

/**
 * Types raw partition values by their columns. With `complete`, every column needs a value (a
 * write of a partitioned relation names its partition in full).
 * @throws {ProjectError} naming the missing or unknown column, or the value that does not fit.
 */
export function typePartitionValues(columns: readonly PartitionColumn[], values: PartitionValues, options: { complete: boolean; relation?: string }): Record<string, unknown> {
  const where = options.relation === undefined ? '' : ` of relation ${options.relation}`;
  const names = columns.map((c) => c.name);
  for (const key of Object.keys(values)) {
    if (!names.includes(key)) throw new ProjectError(`unknown partition column ${key}${where}: expected one of ${describeColumns(columns)}`, { code: 'WEFT_PARTITION_VALUE' });
  }
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const raw = values[column.name];
    if (raw === undefined) {
      if (!options.complete) continue;
      throw new ProjectError(
        `missing a value for partition column ${column.name}${where}: a write names every partition column (${describeColumns(columns)}), e.g. { ${columns.map((c) => `${c.name}: …`).join(', ')} }`,
        { code: 'WEFT_PARTITION_VALUE' },
      );
    }
    out[column.name] = parsePartitionValue(column, raw);
  }
  return out;
}

function describeColumns(columns: readonly PartitionColumn[]): string {
  return columns.length === 0 ? '(none: the relation is not partitioned)' : columns.map((c) => `${c.name} (${c.type})`).join(', ');
}

/**
 * Types the values of a filter and checks its columns. Conditions on unknown columns are errors;
 * `values` conditions with one value each stay `values`.
 * @throws {ProjectError} for an unknown column or a value that does not fit its column.
 */
export function typePartitionFilter(columns: readonly PartitionColumn[], filter: PartitionFilter, relation?: string): PartitionFilter {
  const out: Record<string, PartitionCondition> = {};
  for (const [name, condition] of Object.entries(filter)) {
    const column = columns.find((c) => c.name === name);
    if (column === undefined) {
      throw new ProjectError(`unknown partition column ${name}${relation === undefined ? '' : ` of relation ${relation}`} in a filter: expected one of ${describeColumns(columns)}`, {
        code: 'WEFT_PARTITION_VALUE',
      });
    }
    out[name] =
      condition.kind === 'values'
        ? { kind: 'values', values: condition.values.map((v) => parsePartitionValue(column, v)) }
        : {
            kind: 'range',
            ...(condition.start === undefined ? {} : { start: parsePartitionValue(column, condition.start) }),
            ...(condition.end === undefined ? {} : { end: parsePartitionValue(column, condition.end) }),
          };
  }
  return out;
}

/** True when a typed value meets a typed condition. */
export function conditionMatches(condition: PartitionCondition, value: unknown): boolean {
  if (condition.kind === 'values') return condition.values.some((v) => comparePartitionValues(v, value) === 0);
  if (condition.start !== undefined && comparePartitionValues(value, condition.start) < 0) return false;
  return condition.end === undefined || comparePartitionValues(value, condition.end) < 0;
}

/** True when typed `values` meet every condition of a typed filter (columns without a value pass). */
export function filterMatches(filter: PartitionFilter | undefined, values: PartitionValues): boolean {
  if (filter === undefined) return true;
  for (const [name, condition] of Object.entries(filter)) {
    const value = values[name];
    if (value !== undefined && !conditionMatches(condition, value)) return false;
  }
  return true;
}

/** The filter that selects exactly one partition (or the partitions sharing some values). */
export function filterOfValues(values: PartitionValues): PartitionFilter {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { kind: 'values', values: [v] } satisfies PartitionCondition]));
}

/**
 * A typed filter from the spec of a read (`partitionFilterSpec`): a scalar or a list is `values`,
 * `{ start, end }` a range.
 * @throws {ProjectError} for an unknown column or a value that does not fit its column.
 */
export function partitionFilterFromSpec(columns: readonly PartitionColumn[], spec: z.output<typeof partitionFilterSpec>, relation?: string): PartitionFilter {
  const raw: Record<string, PartitionCondition> = {};
  for (const [name, condition] of Object.entries(spec)) {
    raw[name] = Array.isArray(condition)
      ? { kind: 'values', values: condition }
      : typeof condition === 'object'
        ? { kind: 'range', ...(condition.start === undefined ? {} : { start: condition.start }), ...(condition.end === undefined ? {} : { end: condition.end }) }
        : { kind: 'values', values: [condition] };
  }
  return typePartitionFilter(columns, raw, relation);
}

/** Typed partition values from the spec of a write (`partitionValuesSpec`); every column is needed. */
export function partitionValuesFromSpec(columns: readonly PartitionColumn[], spec: z.output<typeof partitionValuesSpec>, relation?: string): Record<string, unknown> {
  return typePartitionValues(columns, spec, { complete: true, ...(relation === undefined ? {} : { relation }) });
}

/**
 * The values of `column` from `start` (inclusive) to `end` (exclusive), one granularity apart:
 * integers by a number (default 1), dates and timestamps by an ISO-8601 duration (default `P1D`).
 * @throws {ProjectError} for a column type without steps (string, boolean) or a bad granularity.
 * @example
 * [...partitionRange({ name: 'day', type: 'date', granularity: 'P1M' }, '2013-01-31', '2013-04-01')]
 * // → 2013-01-31, 2013-02-28, 2013-03-31
 */
export function* partitionRange(column: PartitionColumn, start: unknown, end: unknown): Generator<unknown> {
  const from = parsePartitionValue(column, start);
  const to = parsePartitionValue(column, end);
  const what = `the granularity of partition column ${column.name}`;
  if (column.type === 'integer' || column.type === 'long' || column.type === 'double') {
    const step = column.granularity === undefined ? 1 : Number(column.granularity);
    if (!(step > 0) || !Number.isFinite(step)) throw partitionValueError({ ...column, name: `${column.name} (granularity)` }, column.granularity);
    for (let i = 0; (from as number) + i * step < (to as number); i++) yield (from as number) + i * step;
    return;
  }
  if (column.type === 'date' || column.type === 'timestamp') {
    const text = column.granularity === undefined ? 'P1D' : String(column.granularity);
    const duration = parseDuration(text);
    if (duration === undefined) {
      throw new ProjectError(`expected an ISO-8601 duration greater than zero for ${what} (e.g. P1D, P1M, P1Y, PT1H), got ${JSON.stringify(text)}`, { code: 'WEFT_PARTITION_VALUE' });
    }
    for (let i = 0; ; i++) {
      const value = addDuration(from as Date, duration, i);
      if (value.getTime() >= (to as Date).getTime()) return;
      yield value;
    }
  }
  throw new ProjectError(`cannot step through a range of partition column ${column.name}: its type ${column.type} has no order of steps; list the values instead`, {
    code: 'WEFT_PARTITION_VALUE',
  });
}
