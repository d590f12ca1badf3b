/**
 * `relation` target: writes a mapping into a relation — the whole relation or one partition — in
 * the build phase; creates the relation in the create phase, checks the written data is there in
 * the verify phase, and truncates or destroys it in the teardown phases.
 */
import { z } from 'zod';
import { ProjectError } from '../errors.js';
import type { Phase } from '../phases.js';
import { typePartitionValues } from '../relations/partitions.js';
import type { PartitionValues } from '../relations/relation.js';
import type { Resource } from '../resources.js';
import { nameSpec, partitionValuesSpec } from '../spec/common.js';
import type { Target, TargetContext, TargetKind, TargetSetup } from './target.js';

const spec = z.strictObject({
  mapping: nameSpec,
  relation: nameSpec,
  partition: partitionValuesSpec.optional(),
  mode: z.enum(['overwrite', 'append', 'error_if_exists', 'ignore_if_exists']).default('overwrite'),
  /** Number of files per write: the mapping's rows are spread over this many tasks first. */
  parallelism: z.int().min(1).optional(),
});

const PHASES: ReadonlySet<Phase> = new Set(['create', 'build', 'verify', 'truncate', 'destroy']);

/** The `relation` target kind. */
export const relationTargetKind: TargetKind<z.infer<typeof spec>> = {
  kind: 'relation',
  summary: 'writes a mapping into a relation (or one partition of it)',
  spec,
  create: (s, setup) => new RelationTarget(s, setup),
};

class RelationTarget implements Target {
  readonly kind = 'relation';
  readonly name: string;
  readonly location: TargetSetup['location'];
  readonly description: string | undefined;
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly phases = PHASES;
  readonly mappings: readonly string[];
  readonly relations: readonly string[];
  readonly partitionKey: string;
  readonly #spec: z.infer<typeof spec>;
  readonly #setup: TargetSetup;
  readonly #partition: PartitionValues | undefined;

  constructor(s: z.infer<typeof spec>, setup: TargetSetup) {
    this.#spec = s;
    this.#setup = setup;
    this.name = setup.name;
    this.location = setup.location;
    this.description = setup.description;
    this.before = setup.before;
    this.after = setup.after;
    this.mappings = [s.mapping];
    this.relations = [s.relation];
    this.#partition = s.partition;
    this.partitionKey = Object.entries(s.partition ?? {})
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(',');
  }

  provides(phase: Phase, ctx: TargetContext): Resource[] {
    const relation = this.#relation(ctx);
    return phase === 'create' || phase === 'destroy' ? relation.provides() : relation.provides(this.#partition);
  }

  requires(phase: Phase, ctx: TargetContext): Resource[] {
    return phase === 'build' ? ctx.mappingRequires(this.#spec.mapping) : [];
  }

  async outputExists(phase: Phase, ctx: TargetContext): Promise<boolean | undefined> {
    if (phase !== 'build' && phase !== 'create') return undefined;
    return this.#relation(ctx).exists(ctx.relationContext, phase === 'build' ? this.#partition : undefined);
  }

  async execute(phase: Phase, ctx: TargetContext): Promise<{ rows?: number; message?: string }> {
    const relation = this.#relation(ctx);
    const rc = ctx.relationContext;
    switch (phase) {
      case 'create':
        await relation.create(rc);
        return { message: `created ${relation.describe()}` };
      case 'build': {
        const output = await ctx.mapping(this.#spec.mapping);
        const data = this.#spec.parallelism === undefined ? output.dataset : output.dataset.repartition(this.#spec.parallelism);
        const rows = await relation.write(rc, data, { mode: this.#spec.mode, ...(this.#partition ? { partition: this.#partition } : {}) });
        return { rows, message: `wrote ${rows} rows` };
      }
      case 'verify':
        if (!(await relation.exists(rc, this.#partition))) {
          const what = this.partitionKey === '' ? `relation \`${relation.name}\`` : `partition ${this.partitionKey} of relation \`${relation.name}\``;
          throw new ProjectError(`target \`${this.name}\`: verify failed: ${what} holds no data; build the target first`, { location: this.location, code: 'WEFT_VERIFY_FAILED' });
        }
        return { message: 'data present' };
      case 'truncate':
        await relation.truncate(rc, this.#partition);
        return { message: this.partitionKey === '' ? 'truncated' : `truncated ${this.partitionKey}` };
      case 'destroy':
        await relation.destroy(rc);
        return { message: 'destroyed' };
      default:
        return {};
    }
  }

  /** The relation written, its `partition` checked against the relation's partition columns (at the field's position). */
  #relation(ctx: TargetContext) {
    const relation = ctx.relation(this.#spec.relation, this.#setup.locate(['relation']));
    if (this.#partition !== undefined) {
      try {
        typePartitionValues(relation.partitionColumns, this.#partition, { complete: true, relation: relation.name });
      } catch (error) {
        if (!(error instanceof ProjectError)) throw error;
        throw new ProjectError(`target \`${this.name}\`: ${error.message}`, { location: this.#setup.locate(['partition']), cause: error });
      }
    }
    return relation;
  }
}
