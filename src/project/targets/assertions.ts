/**
 * Assertions of `validate` targets, each run as its own dataflow job over the mapping (they run
 * concurrently and share the slots): a row count in bounds, no nulls in columns, unique keys, and
 * (with the expression language) a condition every row meets. Each reports pass or fail with the
 * numbers behind it and a few offending rows.
 */
import { z } from 'zod';
import type { Dataset } from '../../dataflow/index.js';
import type { ProjectSchema } from '../data-types.js';
import type { Row } from '../relations/relation.js';
import { requireColumns } from '../mappings/schema-checks.js';
import { anyNull, repeated, withKey } from '../mappings/row-functions.js';
import { ProjectError } from '../errors.js';
import { checkExpression, referencedColumns, type Expression } from '../expr/index.js';
import { failsCondition } from '../mappings/expression-functions.js';
import { typesOf } from '../mappings/expression-parsing.js';
import { formatCell } from './format-rows.js';
import type { SourceLocation } from '../location.js';

const columns = z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (typeof v === 'string' ? [v] : v));

/** The spec of one assertion. */
export const assertionSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rows'), min: z.int().min(0).optional(), max: z.int().min(0).optional(), description: z.string().optional() }),
  z.strictObject({ kind: z.literal('notNull'), columns, description: z.string().optional() }),
  z.strictObject({ kind: z.literal('unique'), columns, description: z.string().optional() }),
  z.strictObject({ kind: z.literal('expression'), condition: z.string().min(1), description: z.string().optional() }),
]);

/** One assertion as written. */
export type AssertionSpec = z.infer<typeof assertionSpec>;

/** How one assertion came out. */
export interface AssertionResult {
  readonly name: string;
  readonly passed: boolean;
  /** What was found, e.g. `12 rows have a null in usaf`. */
  readonly detail: string;
}

/** How an assertion reads in a report: its description, or its kind and arguments. */
export function assertionName(a: AssertionSpec): string {
  if (a.description) return a.description;
  if (a.kind === 'rows') return `rows${a.min !== undefined ? ` ≥ ${a.min}` : ''}${a.max !== undefined ? ` ≤ ${a.max}` : ''}`;
  if (a.kind === 'expression') return a.condition;
  return `${a.kind}(${a.columns.join(', ')})`;
}

/** An assertion ready to run: its spec, and its condition parsed when it has one. */
export interface PreparedAssertion {
  readonly spec: AssertionSpec;
  readonly condition?: Expression;
}

/** Checks the assertion's columns (or condition) against the mapping's schema before any job runs. */
export function checkAssertion(a: PreparedAssertion, schema: ProjectSchema, what: string, location: SourceLocation | undefined): void {
  if (a.condition) {
    const type = checkExpression(a.condition, schema).type;
    if (type !== 'boolean') throw new ProjectError(`${what}: expected \`condition\` to be true or false per row, got a ${type} expression`, { location });
  } else if (a.spec.kind !== 'rows' && a.spec.kind !== 'expression') requireColumns(schema, a.spec.columns, what, location);
}

/** Runs one assertion over `data` (whose rows have `schema`). */
export async function runAssertion(prepared: PreparedAssertion, data: Dataset<Row>, schema: ProjectSchema): Promise<AssertionResult> {
  const a = prepared.spec;
  const name = assertionName(a);
  switch (a.kind) {
    case 'rows': {
      const rows = await data.count();
      const passed = (a.min === undefined || rows >= a.min) && (a.max === undefined || rows <= a.max);
      return { name, passed, detail: `${rows} rows` };
    }
    case 'notNull': {
      const bad = data.filter(anyNull, { with: { columns: a.columns }, label: 'null check' });
      const [count, sample] = await Promise.all([bad.count(), bad.first(3)]);
      return { name, passed: count === 0, detail: count === 0 ? 'no nulls' : `${count} rows have a null in ${a.columns.join(' or ')}, e.g. ${sample.map((r) => describeRow(r, a.columns)).join('; ')}` };
    }
    case 'unique': {
      const dupes = data
        .map(withKey, { with: { columns: a.columns, as: '__weft_key' }, label: 'unique key' })
        .groupBy('__weft_key')
        .count()
        .filter(repeated, { label: 'repeated keys' });
      const [count, sample] = await Promise.all([dupes.count(), dupes.first(3)]);
      return {
        name,
        passed: count === 0,
        detail: count === 0 ? 'all keys unique' : `${count} keys occur more than once, e.g. ${sample.map((r) => `${formatCell(r.__weft_key)} (${String(r.count)}×)`).join(', ')}`,
      };
    }
    case 'expression': {
      const bad = data.filter(failsCondition, { with: { condition: prepared.condition!, types: typesOf(schema) }, label: 'assertion' });
      const columns = referencedColumns(prepared.condition!);
      const [count, sample] = await Promise.all([bad.count(), bad.first(3)]);
      return { name, passed: count === 0, detail: count === 0 ? 'every row' : `${count} rows break it, e.g. ${sample.map((r) => describeRow(r, columns)).join('; ')}` };
    }
  }
}

function describeRow(row: Row, columns: readonly string[]): string {
  return `{${columns.map((c) => `${c}: ${formatCell(row[c])}`).join(', ')}}`;
}
