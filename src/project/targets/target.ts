/**
 * A target: something a job makes or checks — a relation written from a mapping, assertions on a
 * mapping, a file, rows on the console. A target acts in some phases, and for each phase says which
 * resources it provides and requires, from which the target executor infers the order of targets.
 */
import type { ZodType } from 'zod';
import type { EntitySetup } from '../entity-setup.js';
import type { SourceLocation } from '../location.js';
import type { MappingOutput } from '../mappings/mapping.js';
import type { Phase } from '../phases.js';
import type { Relation, RelationContext } from '../relations/relation.js';
import type { Resource } from '../resources.js';

/** What a target's phase work may use: the instance's mappings and relations. */
export interface TargetContext {
  readonly relationContext: RelationContext;
  /** The output of a mapping of this job instance (instantiated once, shared by every target). */
  mapping(name: string): Promise<MappingOutput>;
  /** A relation of the instance; `at` is where it is named (for errors). */
  relation(name: string, at?: SourceLocation): Relation;
  /** The resources reading a mapping needs: the relations (and partitions) its read mappings read, transitively. */
  mappingRequires(name: string): Resource[];
  /** Writes a line of output for the user (console targets, validation reports). */
  print(text: string): void;
}

/** What one phase of a target did. */
export interface TargetOutcome {
  /** Rows written or checked, when the phase counts rows. */
  readonly rows?: number;
  /** One line for the summary, e.g. `3 assertions passed`. */
  readonly message?: string;
}

/** A target of a project, built from its spec. */
export interface Target {
  readonly name: string;
  readonly kind: string;
  readonly location: SourceLocation | undefined;
  readonly description: string | undefined;
  /** Targets that must come before / after this one, whatever the resources say. */
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** The phases in which the target does something. */
  readonly phases: ReadonlySet<Phase>;
  /** The mappings it reads. */
  readonly mappings: readonly string[];
  /** The relations it writes or manages (a relation target's relation). */
  readonly relations: readonly string[];
  /** Canonical text of the partition it writes (`year=2013`), or '' — for the state store and progress. */
  readonly partitionKey: string;
  provides(phase: Phase, ctx: TargetContext): Resource[];
  requires(phase: Phase, ctx: TargetContext): Resource[];
  /**
   * Whether the output of `phase` is present now (e.g. the partition a build writes exists), used
   * with the state store to skip clean targets; resolve `undefined` when the target cannot tell.
   */
  outputExists(phase: Phase, ctx: TargetContext): Promise<boolean | undefined>;
  /** Does the phase's work. Rejects when the phase fails (for validations: an error listing each failed assertion). */
  execute(phase: Phase, ctx: TargetContext): Promise<TargetOutcome>;
}

/** A kind of target: its name in project files, its spec, and how to build one. */
export interface TargetKind<S = unknown> {
  readonly kind: string;
  readonly summary: string;
  readonly spec: ZodType<S>;
  create(spec: S, setup: TargetSetup): Target;
}

/** A target's setup: the entity setup plus the fields every target may have. */
export interface TargetSetup extends EntitySetup {
  readonly description: string | undefined;
  readonly before: readonly string[];
  readonly after: readonly string[];
}
