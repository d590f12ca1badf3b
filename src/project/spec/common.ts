/**
 * Zod schemas shared by the specs of every kind of relation, mapping and target: data types (with
 * the aliases Spark and Flowman users write), schemas, partition columns and partition values.
 * The project loader validates each entity against its kind's spec and turns every zod issue into
 * an error at the `file:line:column` of the offending value.
 */
import { z } from 'zod';
import { DATA_TYPE_ALIASES, parseDataType, type DataType, type ProjectField } from '../data-types.js';
import type { PartitionColumn } from '../relations/relation.js';

/** A data type name: `string`, `integer`/`int`, `long`/`bigint`, `double`/`float`, `boolean`, `date`, `timestamp`. */
export const dataTypeSpec: z.ZodType<DataType> = z.string().transform((name, ctx) => {
  const type = parseDataType(name);
  if (type === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a data type (one of ${Object.keys(DATA_TYPE_ALIASES).join(', ')}), got ${JSON.stringify(name)}` });
    return z.NEVER;
  }
  return type;
});

/** A name of a column, relation, mapping, target or job: letters, digits, `_`, `-`, `.`; not empty. */
export const nameSpec = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'expected a name of letters, digits, `_`, `-` and `.`, starting with a letter or `_`');

const fieldObject = z.strictObject({
  name: z.string().min(1),
  type: dataTypeSpec,
  nullable: z.boolean().optional(),
  description: z.string().optional(),
});

/**
 * The columns of a schema, either as a list of `{ name, type, nullable?, description? }` or as a
 * map `name: type` (order kept).
 */
export const fieldsSpec: z.ZodType<ProjectField[]> = z.union([
  z.array(fieldObject),
  z.record(z.string().min(1), dataTypeSpec).transform((map) => Object.entries(map).map(([name, type]) => ({ name, type }))),
]) as unknown as z.ZodType<ProjectField[]>;

/** Partition columns: a list of `{ name, type, granularity?, description? }`. */
export const partitionColumnsSpec: z.ZodType<PartitionColumn[]> = z.array(
  z.strictObject({
    name: z.string().min(1),
    type: dataTypeSpec,
    granularity: z.union([z.string(), z.number()]).optional(),
    description: z.string().optional(),
  }),
) as unknown as z.ZodType<PartitionColumn[]>;

/** Partition values of a write: column → a scalar (typed later by the partition column's type). */
export const partitionValuesSpec = z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]));

/**
 * A partition condition of a read: a scalar, a list of scalars, or a range `{ start, end }` (end
 * exclusive).
 */
export const partitionConditionSpec = z.union([
  z.union([z.string(), z.number(), z.boolean()]),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
  z.strictObject({ start: z.union([z.string(), z.number()]).optional(), end: z.union([z.string(), z.number()]).optional() }),
]);

/** Partition conditions of a read: column → condition. */
export const partitionFilterSpec = z.record(z.string().min(1), partitionConditionSpec);
