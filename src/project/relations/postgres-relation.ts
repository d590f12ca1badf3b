/**
 * The `postgres` relation kind: a PostgreSQL table whose partition columns are ordinary columns.
 * A read streams the rows that match the filter (parameterised `WHERE`, quoted identifiers) in
 * batches through a server-side cursor; a write replaces (`overwrite`) or adds to (`append`) one
 * partition's rows in ONE transaction, so a failure rolls back to the previous rows. The rows reach
 * it as CSV parts staged by the dataset's tasks and stream in with COPY (see `pg-write.ts`). Resources are
 * `table` resources named `postgres://host:port/db/schema.table` (never with credentials).
 */
import type pg from 'pg';
import type { Dataset } from '../../dataflow/index.js';
import type { ProjectField, ProjectSchema } from '../data-types.js';
import { ProjectError, RelationError } from '../errors.js';
import type { SourceLocation } from '../location.js';
import type { Resource } from '../resources.js';
import { filterOfValues, typePartitionFilter, typePartitionValues } from './partitions.js';
import { cursorRows } from './pg-read.js';
import { inTransaction, pgTarget, tableColumns, tableExists, tableResourceName, withClient, type PgTarget } from './pg-session.js';
import { dataTypeOfPg, parseTableName, quoteIdent, whereClause } from './pg-sql.js';
import { copyCsvParts, createTable, type PgColumn } from './pg-write.js';
import { postgresRelationSpec, type PostgresRelationSpec } from './postgres-spec.js';
import { providedResources, requiredResources } from './relation-resources.js';
import type { PartitionColumn, PartitionFilter, PartitionValues, Relation, RelationContext, RelationKind, RelationSetup, Row, WriteMode } from './relation.js';
import { readRow } from './row-functions.js';
import { stageCsv } from './staged-csv.js';
import { checkWriteMode } from './write-modes.js';

/** A relation over a PostgreSQL table; build it with {@link POSTGRES_RELATION_KIND}. */
export class PostgresRelation implements Relation {
  readonly name: string;
  readonly kind = 'postgres';
  readonly location: SourceLocation | undefined;
  readonly partitionColumns: readonly PartitionColumn[];
  readonly #target: PgTarget;
  readonly #fields: readonly ProjectField[] | undefined;

  constructor(spec: PostgresRelationSpec, setup: RelationSetup) {
    this.name = setup.name;
    this.location = setup.location;
    this.partitionColumns = spec.partitions ?? [];
    this.#fields = spec.schema?.filter((f) => !this.partitionColumns.some((c) => c.name === f.name));
    this.#target = pgTarget(setup.name, connectionUrl(spec, setup), parseTableName(spec.table));
  }

  describe(): string {
    const by = this.partitionColumns.length === 0 ? '' : ` partitioned by ${this.partitionColumns.map((c) => c.name).join(', ')}`;
    return `PostgreSQL table ${this.#target.table.schema}.${this.#target.table.table} at ${this.#target.endpoint.redacted}${by}`;
  }

  async schema(ctx: RelationContext): Promise<ProjectSchema> {
    return { fields: await this.#columns(ctx) };
  }

  provides(partition?: PartitionValues): Resource[] {
    const typed = partition === undefined ? undefined : this.#values(partition, false);
    return providedResources('table', tableResourceName(this.#target), this.partitionColumns, typed);
  }

  requires(filter?: PartitionFilter): Resource[] {
    return requiredResources('table', tableResourceName(this.#target), this.partitionColumns, this.#filter(filter));
  }

  async exists(ctx: RelationContext, partition?: PartitionValues): Promise<boolean> {
    ctx.signal.throwIfAborted();
    const filter = partition === undefined ? undefined : filterOfValues(this.#values(partition, false));
    return withClient(this.#target, 'check', async (client) => {
      if (!(await tableExists(client, this.#target))) return false;
      return filter === undefined || (await this.#hasRows(client, filter));
    });
  }

  async fingerprint(ctx: RelationContext, filter?: PartitionFilter): Promise<string> {
    ctx.signal.throwIfAborted();
    const where = whereClause(this.partitionColumns, this.#filter(filter));
    return withClient(this.#target, 'fingerprint', async (client) => {
      if (!(await tableExists(client, this.#target))) return 'absent';
      // xmin changes with every insert or update of a row: the newest one and the count catch any change.
      const sql = `SELECT count(*)::bigint AS n, coalesce(max(xmin::text::bigint), 0) AS x FROM ${this.#target.sql}${where.sql}`;
      const { rows } = await client.query<{ n: number; x: number }>(sql, where.params);
      return `rows=${rows[0]?.n ?? 0};xmin=${rows[0]?.x ?? 0}`;
    });
  }

  async read(ctx: RelationContext, filter?: PartitionFilter): Promise<Dataset<Row>> {
    const typed = this.#filter(filter);
    const columns = await this.#columns(ctx);
    const where = whereClause(this.partitionColumns, typed);
    const select = `SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${this.#target.sql}${where.sql}`;
    return ctx.env.fromIterable(cursorRows(this.#target, select, where.params, ctx.signal)).name(`read ${this.#target.table.schema}.${this.#target.table.table}`);
  }

  async write(ctx: RelationContext, data: Dataset<Row>, options: { partition?: PartitionValues; mode: WriteMode }): Promise<number> {
    const mode = checkWriteMode(options.mode, this.name);
    const values = this.#values(options.partition ?? {}, true);
    const filter = this.partitionColumns.length === 0 ? undefined : filterOfValues(values);
    if ((mode === 'error_if_exists' || mode === 'ignore_if_exists') && (await this.#targetHasRows(filter))) {
      if (mode === 'ignore_if_exists') return 0;
      throw new RelationError(this.name, `cannot write ${this.#describeTarget(values)} with mode error_if_exists: it already holds rows. Use mode overwrite or append, or truncate it first.`, {
        code: 'WEFT_RELATION_EXISTS',
      });
    }
    const columns = await withClient(this.#target, 'write', (client) => this.#writeColumns(client));
    const fixed = columns.filter((c) => Object.hasOwn(values, c.name));
    const free = columns.filter((c) => !Object.hasOwn(values, c.name));
    const partition = Object.fromEntries(fixed.map((c) => [c.name, values[c.name]]));
    // The tasks conform the rows and add the partition's values (in parallel) before the
    // transaction opens; the rows then stream into it.
    const shaped = data.map(readRow, { with: { partition, columns: free.map((c) => [c.name, c.type] as const) }, label: 'shape rows' }).name(`shape rows for ${this.name}`);
    const staged = await stageCsv(shaped, ctx.signal);
    try {
      return await inTransaction(this.#target, 'write', async (client) => {
        if (mode === 'overwrite') {
          const where = whereClause(this.partitionColumns, filter);
          await client.query(`DELETE FROM ${this.#target.sql}${where.sql}`, where.params);
        }
        await copyCsvParts(client, this.#target, [...free, ...fixed].map((c) => c.name), staged.files, ctx.signal);
        return staged.rows;
      });
    } finally {
      await staged.dispose();
    }
  }

  async create(ctx: RelationContext): Promise<void> {
    ctx.signal.throwIfAborted();
    await withClient(this.#target, 'create', async (client) => {
      if (this.#fields === undefined) {
        if (await tableExists(client, this.#target)) return;
        throw new RelationError(this.name, `cannot create relation ${this.name}: table ${this.#target.table.schema}.${this.#target.table.table} does not exist at ${this.#target.endpoint.redacted} and the relation declares no schema. Add a schema to the relation, or create the table.`);
      }
      await createTable(client, this.#target, this.#declaredColumns(), false);
    });
  }

  async truncate(ctx: RelationContext, partition?: PartitionValues): Promise<void> {
    ctx.signal.throwIfAborted();
    const values = partition === undefined ? {} : this.#values(partition, false);
    await withClient(this.#target, 'truncate', async (client) => {
      if (!(await tableExists(client, this.#target))) return;
      if (Object.keys(values).length === 0) {
        await client.query(`TRUNCATE TABLE ${this.#target.sql}`);
        return;
      }
      const where = whereClause(this.partitionColumns, filterOfValues(values));
      await client.query(`DELETE FROM ${this.#target.sql}${where.sql}`, where.params);
    });
  }

  async destroy(ctx: RelationContext): Promise<void> {
    ctx.signal.throwIfAborted();
    await withClient(this.#target, 'destroy', (client) => client.query(`DROP TABLE IF EXISTS ${this.#target.sql}`).then(() => undefined));
  }

  /** Declared data columns, then the partition columns. */
  #declaredColumns(): PgColumn[] {
    return [...(this.#fields ?? []), ...this.partitionColumns.map((c) => ({ name: c.name, type: c.type }))];
  }

  /** The columns to read: declared, else the table's, partition columns last. */
  async #columns(ctx: RelationContext): Promise<ProjectField[]> {
    ctx.signal.throwIfAborted();
    const partition = this.partitionColumns.map((c) => ({ name: c.name, type: c.type, nullable: false }));
    if (this.#fields !== undefined) return [...this.#fields, ...partition];
    const found = await withClient(this.#target, 'read the columns of', (client) => tableColumns(client, this.#target));
    if (found.length === 0) {
      throw new RelationError(this.name, `cannot read relation ${this.name}: table ${this.#target.table.schema}.${this.#target.table.table} does not exist at ${this.#target.endpoint.redacted}. Create it (weft creates it from a declared schema), or fix the table name.`, {
        code: 'WEFT_RELATION_MISSING',
      });
    }
    const data = found.filter((c) => !this.partitionColumns.some((p) => p.name === c.name)).map((c) => ({ name: c.name, type: dataTypeOfPg(c.type) }));
    return [...data, ...partition];
  }

  /** The columns a write fills: declared ones (creating the table if needed), else the table's. */
  async #writeColumns(client: pg.PoolClient): Promise<PgColumn[]> {
    if (this.#fields !== undefined) {
      if (!(await tableExists(client, this.#target))) await createTable(client, this.#target, this.#declaredColumns(), false);
      return this.#declaredColumns();
    }
    const found = await tableColumns(client, this.#target);
    if (found.length === 0) {
      throw new RelationError(this.name, `cannot write relation ${this.name}: table ${this.#target.table.schema}.${this.#target.table.table} does not exist at ${this.#target.endpoint.redacted} and the relation declares no schema to create it from.`, {
        code: 'WEFT_RELATION_MISSING',
      });
    }
    return found.map((c) => ({ name: c.name, type: this.partitionColumns.find((p) => p.name === c.name)?.type ?? dataTypeOfPg(c.type) }));
  }

  async #hasRows(client: pg.PoolClient, filter: PartitionFilter | undefined): Promise<boolean> {
    const where = whereClause(this.partitionColumns, filter);
    const { rows } = await client.query(`SELECT 1 FROM ${this.#target.sql}${where.sql} LIMIT 1`, where.params);
    return rows.length > 0;
  }

  #targetHasRows(filter: PartitionFilter | undefined): Promise<boolean> {
    return withClient(this.#target, 'check', async (client) => (await tableExists(client, this.#target)) && (await this.#hasRows(client, filter)));
  }

  #describeTarget(values: PartitionValues): string {
    const table = `table ${this.#target.table.schema}.${this.#target.table.table} at ${this.#target.endpoint.redacted}`;
    const partition = this.partitionColumns.map((c) => `${c.name}=${String(values[c.name] instanceof Date ? (values[c.name] as Date).toISOString().slice(0, 10) : values[c.name])}`);
    return partition.length === 0 ? `relation ${this.name} (${table})` : `partition ${partition.join(', ')} of relation ${this.name} (${table})`;
  }

  #values(partition: PartitionValues, complete: boolean): Record<string, unknown> {
    return typePartitionValues(this.partitionColumns, partition, { complete, relation: this.name });
  }

  #filter(filter: PartitionFilter | undefined): PartitionFilter | undefined {
    return filter === undefined ? undefined : typePartitionFilter(this.partitionColumns, filter, this.name);
  }
}

/** The URL of the spec: its own, or the shared connection it names. */
function connectionUrl(spec: PostgresRelationSpec, setup: RelationSetup): string {
  if (spec.url !== undefined) return spec.url;
  const name = spec.connection ?? '';
  const url = setup.connection?.(name);
  if (url === undefined) {
    throw new ProjectError(`relation ${setup.name} names the connection ${JSON.stringify(name)}, which the project does not define; define it, or give the relation a url`, {
      location: setup.locate(['connection']) ?? setup.location,
    });
  }
  return url;
}

/** The `postgres` relation kind. */
export const POSTGRES_RELATION_KIND: RelationKind<PostgresRelationSpec> = {
  kind: 'postgres',
  summary: 'a PostgreSQL table; partition columns are ordinary columns selected by WHERE clauses',
  spec: postgresRelationSpec,
  create: (spec, setup) => new PostgresRelation(spec, setup),
};
