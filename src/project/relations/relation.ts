/**
 * A relation: a place where data lives — files (CSV, JSON, Parquet, text) with partition columns
 * mapped to folders, or a PostgreSQL table — that can create, read, write (overwrite or append, per
 * partition), truncate and destroy itself, and says which resources it provides and requires so
 * the target executor can order targets by their data (Flowman's relations).
 *
 * Relations do not run work themselves: `read` returns a lazy dataset and `write` runs one dataflow
 * job on the environment's engine, so every leaf task goes through the one scheduler.
 */
import type { ZodType } from 'zod';
import type { Dataset, ExecutionEnvironment } from '../../dataflow/index.js';
import type { DataType, ProjectSchema } from '../data-types.js';
import type { SourceLocation } from '../location.js';
import type { Resource } from '../resources.js';

/** A row of a relation: column name → value (numbers, strings, booleans, `Date`, `null`). */
export type Row = Record<string, unknown>;

/** A partition column: its values name folders (`year=2013/`) or select rows of a table. */
export interface PartitionColumn {
  readonly name: string;
  readonly type: DataType;
  /** Step between consecutive values for ranges (integers: a number; dates: an ISO duration). */
  readonly granularity?: string | number;
  readonly description?: string;
}

/** One value per partition column (typed: number, string, boolean or `Date`). */
export type PartitionValues = Readonly<Record<string, unknown>>;

/**
 * A condition on one partition column when reading: a single value, a list of values, or a range
 * `[start, end)` (end exclusive, either side optional).
 */
export type PartitionCondition =
  | { readonly kind: 'values'; readonly values: readonly unknown[] }
  | { readonly kind: 'range'; readonly start?: unknown; readonly end?: unknown };

/** Conditions on some partition columns; columns left out are not filtered. */
export type PartitionFilter = Readonly<Record<string, PartitionCondition>>;

/** How a write treats data already there (for a partitioned write: in that partition). */
export type WriteMode = 'overwrite' | 'append' | 'error_if_exists' | 'ignore_if_exists';

/** What a relation operation may use. */
export interface RelationContext {
  /** The dataflow environment of the job instance: reads and writes run on its engine. */
  readonly env: ExecutionEnvironment;
  /** Aborted when the job instance is cancelled or times out. */
  readonly signal: AbortSignal;
  /** A unique id of this operation's run (a plain name: letters, digits, `.`, `_`, `-`), e.g. for staging directories. */
  readonly runId: string;
}

/** A relation of a project, ready to use. Build one with its kind's `create`. */
export interface Relation {
  readonly name: string;
  /** The kind written in the project file, e.g. `file` or `postgres`. */
  readonly kind: string;
  /** Where the relation is defined. */
  readonly location: SourceLocation | undefined;
  readonly partitionColumns: readonly PartitionColumn[];
  /** One line for plans and `weft project validate`, e.g. `parquet files at /data/out partitioned by year`. */
  describe(): string;
  /**
   * The columns of the relation, partition columns included (last). From the declared schema, or
   * inferred from the data (e.g. a CSV header) when none is declared; may read files or the catalog.
   */
  schema(ctx: RelationContext): Promise<ProjectSchema>;
  /** What writing (or creating, truncating, destroying) `partition` produces; no partition: the whole relation. */
  provides(partition?: PartitionValues): Resource[];
  /** What reading with `filter` needs; no filter: the whole relation. */
  requires(filter?: PartitionFilter): Resource[];
  /** Whether the relation — or one partition of it — exists and holds committed data. */
  exists(ctx: RelationContext, partition?: PartitionValues): Promise<boolean>;
  /**
   * A digest of the data a read with `filter` would see (e.g. file names, sizes and modification
   * times; a table's row count and last change): equal digests mean unchanged inputs.
   */
  fingerprint(ctx: RelationContext, filter?: PartitionFilter): Promise<string>;
  /** The rows matching `filter`, partition columns included, as a lazy dataset of `ctx.env`. */
  read(ctx: RelationContext, filter?: PartitionFilter): Promise<Dataset<Row>>;
  /**
   * Writes `data` into the relation (or into one partition), atomically: a failed write leaves the
   * previous data intact. Resolves to the number of rows written.
   */
  write(ctx: RelationContext, data: Dataset<Row>, options: { partition?: PartitionValues; mode: WriteMode }): Promise<number>;
  /** Creates the relation (directory, table) if it does not exist; an existing one is left as it is. */
  create(ctx: RelationContext): Promise<void>;
  /** Removes the data of one partition or of the whole relation, keeping the relation itself. */
  truncate(ctx: RelationContext, partition?: PartitionValues): Promise<void>;
  /** Removes the relation and its data; a missing relation is not an error. */
  destroy(ctx: RelationContext): Promise<void>;
}

/** What a relation kind's `create` gets besides the validated spec. */
export interface RelationSetup {
  readonly name: string;
  /** The project's directory: relative paths in the spec are resolved against it. */
  readonly projectDir: string;
  /** Where the relation is defined. */
  readonly location: SourceLocation | undefined;
  /** The location of a value inside the spec by its path (e.g. `['partitions', 0, 'type']`), for errors. */
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
  /**
   * The URL of a shared connection of the project by name (a PostgreSQL relation's `connection`),
   * or undefined when the project has none of that name. Absent when the project defines none.
   */
  connection?(name: string): string | undefined;
}

/**
 * A kind of relation: its name in project files, the schema of its spec (validated with positions
 * by the project loader), and how to build a relation from a valid spec.
 */
export interface RelationKind<S = unknown> {
  readonly kind: string;
  /** One line for `weft project validate --kinds` and errors that list the known kinds. */
  readonly summary: string;
  readonly spec: ZodType<S>;
  create(spec: S, setup: RelationSetup): Relation;
}
