/**
 * The spec of a `postgres` relation as a project file holds it:
 *
 * ```yaml
 * relations:
 *   daily_sales:
 *     kind: postgres
 *     url: postgres://etl@db.example.com:5432/warehouse   # or `connection: warehouse`
 *     table: reporting.daily_sales
 *     partitions: [{ name: day, type: date }]
 *     schema: { shop: string, revenue: double }
 * ```
 */
import { z } from 'zod';
import type { ProjectField } from '../data-types.js';
import { fieldsSpec, partitionColumnsSpec } from '../spec/common.js';
import type { PartitionColumn } from './relation.js';

/** A validated `postgres` relation spec. */
export interface PostgresRelationSpec {
  readonly kind?: 'postgres';
  readonly description?: string;
  /** `postgres://user[:password]@host[:port]/database`; required unless `connection` is given. */
  readonly url?: string;
  /** The name of a shared connection of the project (its URL), instead of `url`. */
  readonly connection?: string;
  /** `schema.table`, or `table` (schema `public`); names are used as written (quoted). */
  readonly table: string;
  readonly partitions?: PartitionColumn[];
  /** The data columns (partition columns are added as ordinary columns); needed by `create`. */
  readonly schema?: ProjectField[];
}

const TABLE = /^[^.\s"]+(?:\.[^.\s"]+)?$/;

/** The zod schema of a `postgres` relation spec. */
export const postgresRelationSpec: z.ZodType<PostgresRelationSpec> = z
  .strictObject({
    kind: z.literal('postgres').optional(),
    description: z.string().optional(),
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected `url` to be a PostgreSQL URL such as postgres://user@host:5432/database')
      .refine((url) => URL.canParse(url), 'expected `url` to be a valid URL such as postgres://user@host:5432/database')
      .optional(),
    connection: z.string().min(1).optional(),
    table: z
      .string({ error: (iss) => (iss.input === undefined ? 'missing `table`: the table as schema.table or table' : 'expected `table` to be a name') })
      .regex(TABLE, 'expected `table` to be schema.table or table, without spaces or quotes'),
    partitions: partitionColumnsSpec.optional(),
    schema: fieldsSpec.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.url === undefined && spec.connection === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'missing `url` (postgres://user@host:5432/database) or `connection` (the name of a shared connection)' });
    }
    if (spec.url !== undefined && spec.connection !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['connection'], message: 'give either `url` or `connection`, not both' });
    }
  }) as unknown as z.ZodType<PostgresRelationSpec>;
