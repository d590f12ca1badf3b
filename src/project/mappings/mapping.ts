/**
 * A mapping: one transformation of a project's data flow (read a relation, filter, select,
 * aggregate, join, …) that turns the outputs of its input mappings into a lazy dataset of the
 * dataflow engine, with the schema of its rows. Mappings are instantiated once per job instance,
 * possibly many at a time (`weft.execution.mapping.parallelism`), by the planner of the instance
 * context; nothing runs until a target's action runs the dataset.
 */
import type { ZodType } from 'zod';
import type { Dataset, ExecutionEnvironment } from '../../dataflow/index.js';
import type { ProjectSchema } from '../data-types.js';
import type { EntitySetup } from '../entity-setup.js';
import type { SourceLocation } from '../location.js';
import type { PartitionFilter, Relation, RelationContext, Row } from '../relations/relation.js';

/** A mapping's result: rows as a lazy dataset, and their columns. */
export interface MappingOutput {
  readonly dataset: Dataset<Row>;
  readonly schema: ProjectSchema;
}

/** What instantiating a mapping may use. */
export interface MappingContext {
  readonly env: ExecutionEnvironment;
  readonly relationContext: RelationContext;
  readonly projectDir: string;
  /** A relation of the project, instantiated for this job instance; `at` is where it is named (for errors). */
  relation(name: string, at?: SourceLocation): Relation;
}

/** A relation a mapping reads directly, and with which partition filter. */
export interface RelationRead {
  readonly relation: string;
  readonly filter?: PartitionFilter;
  /** Where the relation is named, for errors. */
  readonly location?: SourceLocation;
}

/** A mapping of a project, built from its spec. */
export interface Mapping {
  readonly name: string;
  readonly kind: string;
  readonly location: SourceLocation | undefined;
  /** Names of the mappings it reads, in order. */
  readonly inputs: readonly string[];
  /** Relations it reads directly (read mappings). */
  readonly reads: readonly RelationRead[];
  /** Builds its output from its inputs' outputs (keyed by input name). */
  instantiate(ctx: MappingContext, inputs: ReadonlyMap<string, MappingOutput>): Promise<MappingOutput>;
}

/** A kind of mapping: its name in project files, its spec, and how to build one. */
export interface MappingKind<S = unknown> {
  readonly kind: string;
  readonly summary: string;
  readonly spec: ZodType<S>;
  create(spec: S, setup: EntitySetup): Mapping;
}
