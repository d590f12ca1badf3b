/**
 * The context of one job instance: its variables and config, and its relations, mappings and
 * targets, each instantiated once and shared by every target of the instance (Flowman's execution
 * context). Mappings are planned — instantiated, their schemas inferred — at most
 * `weft.execution.mapping.parallelism` at a time; a mapping waits for its inputs WITHOUT holding a
 * planning place, so deep mapping chains cannot deadlock, and a failure fails every mapping that
 * needs it, once.
 */
import type { ResolvedConfig } from '../../config/index.js';
import type { ExecutionEnvironment } from '../../dataflow/index.js';
import { closest } from '../../config/suggest.js';
import { digestOf } from '../digest.js';
import type { EntitySetup } from '../entity-setup.js';
import { ProjectError } from '../errors.js';
import { prepare, type Kinds } from '../instantiate.js';
import type { Variables } from '../load/variables.js';
import type { SourceLocation } from '../location.js';
import type { Mapping, MappingContext, MappingOutput, RelationRead } from '../mappings/mapping.js';
import type { Project, RawEntity, Section } from '../project.js';
import { singular } from '../project.js';
import type { Relation, RelationContext } from '../relations/relation.js';
import type { Resource } from '../resources.js';
import type { Target, TargetContext } from '../targets/target.js';
import { Limiter } from './limiter.js';

/** What an instance context is built from. */
export interface InstanceOptions {
  readonly project: Project;
  readonly kinds: Kinds;
  readonly variables: Variables;
  readonly config: ResolvedConfig;
  readonly env: ExecutionEnvironment;
  readonly relationContext: RelationContext;
  /** Where console targets and reports write. @default stdout */
  readonly print?: (text: string) => void;
}

interface Built<T> {
  readonly value: T;
  readonly digest: string;
}

/** One job instance's world. */
export class InstanceContext implements MappingContext, TargetContext {
  readonly project: Project;
  readonly variables: Variables;
  readonly config: ResolvedConfig;
  readonly env: ExecutionEnvironment;
  readonly relationContext: RelationContext;
  readonly #kinds: Kinds;
  readonly #print: (text: string) => void;
  readonly #relations = new Map<string, Built<Relation>>();
  readonly #mappings = new Map<string, Built<Mapping>>();
  readonly #targets = new Map<string, Built<Target>>();
  readonly #plans = new Map<string, Promise<MappingOutput>>();
  readonly #requires = new Map<string, Resource[]>();
  /** Bounds planning; its `peak` says how many mappings were planned at once. */
  readonly planner: Limiter;

  constructor(options: InstanceOptions) {
    this.project = options.project;
    this.#kinds = options.kinds;
    this.variables = options.variables;
    this.config = options.config;
    this.env = options.env;
    this.relationContext = options.relationContext;
    this.#print = options.print ?? ((text) => process.stdout.write(`${text}\n`));
    this.planner = new Limiter(options.config.get('weft.execution.mapping.parallelism'));
  }

  get projectDir(): string {
    return this.project.dir;
  }

  print(text: string): void {
    this.#print(text);
  }

  /** Relation `name`, built on first use. */
  relation(name: string, at?: SourceLocation): Relation {
    return this.#built('relations', name, at).value as Relation;
  }

  /** The definition of mapping `name` (not yet instantiated). */
  mappingDefinition(name: string, at?: SourceLocation): Mapping {
    return this.#built('mappings', name, at).value as Mapping;
  }

  /** Target `name`, built on first use. */
  target(name: string, at?: SourceLocation): Target {
    return this.#built('targets', name, at).value as Target;
  }

  /** The output of mapping `name`: planned once per instance, its inputs first. */
  mapping(name: string): Promise<MappingOutput> {
    return this.#plan(name, []);
  }

  /** The resources reading mapping `name` needs, transitively. */
  mappingRequires(name: string): Resource[] {
    return this.#requiresOf(name, []);
  }

  /**
   * Builds targets and every mapping and relation they read — definitions only, no data — so a
   * name that does not exist or a mapping that reads itself fails before any target runs, at the
   * position of what names it.
   */
  checkDefinitions(targets: readonly string[]): Target[] {
    return targets.map((name) => {
      const target = this.target(name);
      for (const mapping of target.mappings) {
        this.#mustExist('mappings', mapping, `target \`${name}\` reads mapping \`${mapping}\``, target.location);
        this.mappingRequires(mapping);
      }
      return target;
    });
  }

  /** Every relation read (with its filter) below mapping `name`, transitively, in a stable order. */
  relationReads(name: string): RelationRead[] {
    const out: RelationRead[] = [];
    const seen = new Set<string>();
    const visit = (mapping: string): void => {
      if (seen.has(mapping)) return;
      seen.add(mapping);
      const definition = this.mappingDefinition(mapping);
      out.push(...definition.reads);
      for (const input of definition.inputs) visit(input);
    };
    visit(name);
    return out;
  }

  /**
   * The digest of a target's definition: its spec and those of every mapping and relation it reads
   * (after variables), so a changed definition or parameter makes it dirty.
   */
  definitionDigest(target: string): string {
    const built = this.#built('targets', target);
    const t = built.value as Target;
    const mappings = new Set<string>();
    const visit = (name: string): void => {
      if (mappings.has(name)) return;
      mappings.add(name);
      for (const input of this.mappingDefinition(name).inputs) visit(input);
    };
    for (const m of t.mappings) visit(m);
    const relations = new Set<string>();
    for (const m of mappings) for (const read of this.mappingDefinition(m).reads) relations.add(read.relation);
    for (const r of t.relations) relations.add(r);
    return digestOf(
      built.digest,
      [...mappings].sort().map((m) => this.#built('mappings', m).digest),
      [...relations].sort().map((r) => this.#built('relations', r).digest),
    );
  }

  /** A digest of the data a target reads now (files' sizes and times, tables' counters). */
  async inputDigest(target: string): Promise<string> {
    const reads = this.target(target).mappings.flatMap((m) => this.relationReads(m));
    const prints = await Promise.all(reads.map((read) => this.relation(read.relation, read.location).fingerprint(this.relationContext, read.filter)));
    return digestOf(prints);
  }

  #plan(name: string, chain: readonly string[]): Promise<MappingOutput> {
    if (chain.includes(name)) {
      const location = this.project.mappings.get(name)?.location;
      return Promise.reject(new ProjectError(`mapping \`${name}\` reads itself: ${[...chain.slice(chain.indexOf(name)), name].join(' → ')}. Break the loop.`, { location }));
    }
    let plan = this.#plans.get(name);
    if (plan === undefined) {
      plan = this.#instantiate(name, chain);
      plan.catch(() => undefined);
      this.#plans.set(name, plan);
    }
    return plan;
  }

  async #instantiate(name: string, chain: readonly string[]): Promise<MappingOutput> {
    const definition = this.mappingDefinition(name);
    const outputs = await Promise.all(definition.inputs.map((input) => this.#plan(input, [...chain, name])));
    const inputs = new Map(definition.inputs.map((input, i) => [input, outputs[i]!]));
    return this.planner.run(() => definition.instantiate(this, inputs));
  }

  #requiresOf(name: string, chain: readonly string[]): Resource[] {
    const cached = this.#requires.get(name);
    if (cached) return cached;
    if (chain.includes(name)) throw new ProjectError(`mapping \`${name}\` reads itself: ${[...chain, name].join(' → ')}. Break the loop.`, { location: this.project.mappings.get(name)?.location });
    const definition = this.mappingDefinition(name);
    const own = definition.reads.flatMap((read) => this.relation(read.relation, read.location).requires(read.filter));
    const location = this.project.mappings.get(name)?.location;
    for (const input of definition.inputs) this.#mustExist('mappings', input, `mapping \`${name}\` reads mapping \`${input}\``, location);
    const out = [...own, ...definition.inputs.flatMap((input) => this.#requiresOf(input, [...chain, name]))];
    this.#requires.set(name, out);
    return out;
  }

  #built(section: Exclude<Section, 'jobs'>, name: string, at?: SourceLocation): Built<Relation | Mapping | Target> {
    const cache: Map<string, Built<Relation | Mapping | Target>> = section === 'relations' ? this.#relations : section === 'mappings' ? this.#mappings : this.#targets;
    const hit = cache.get(name);
    if (hit) return hit;
    const entity = this.#entity(section, name, at);
    const built = this.#create(section, entity);
    cache.set(name, built);
    return built;
  }

  /** Throws, saying who refers to it and where, when the project has no such entity. */
  #mustExist(section: Exclude<Section, 'jobs'>, name: string, reference: string, at: SourceLocation | undefined): void {
    if (!this.project[section].has(name)) throw this.#missing(section, name, `${reference}, which does not exist`, at);
  }

  #missing(section: Exclude<Section, 'jobs'>, name: string, lead: string, at: SourceLocation | undefined): ProjectError {
    const known = [...this.project[section].keys()];
    const near = closest(name, known, 1);
    return new ProjectError(`${lead}${near.length > 0 ? `; did you mean \`${near[0]}\`?` : ''} (${section}: ${known.join(', ') || 'none'})`, { location: at });
  }

  #entity(section: Exclude<Section, 'jobs'>, name: string, at?: SourceLocation): RawEntity {
    const entity = this.project[section].get(name);
    if (entity) return entity;
    throw this.#missing(section, name, `there is no ${singular(section)} \`${name}\``, at);
  }


  #create(section: Exclude<Section, 'jobs'>, entity: RawEntity): Built<Relation | Mapping | Target> {
    const dir = this.project.dir;
    if (section === 'relations') {
      const p = prepare(entity, this.variables, this.#kinds.relations, dir);
      // A relation's `connection` names a variable holding the URL (so a profile can switch it).
      const connection = (name: string): string | undefined => {
        const value = this.variables.definition(name) === undefined ? undefined : this.variables.get(name);
        return typeof value === 'string' ? value : undefined;
      };
      return { value: p.kind.create(p.spec, { ...p.setup, connection }), digest: p.digest };
    }
    if (section === 'mappings') {
      const p = prepare(entity, this.variables, this.#kinds.mappings, dir);
      return { value: p.kind.create(p.spec, p.setup), digest: p.digest };
    }
    const p = prepare(entity, this.variables, this.#kinds.targets, dir);
    for (const field of ['before', 'after'] as const) this.#checkTargetNames(entity.name, field, p.common[field] ?? [], p.setup);
    const setup = { ...p.setup, description: p.common.description, before: p.common.before ?? [], after: p.common.after ?? [] };
    return { value: p.kind.create(p.spec, setup), digest: p.digest };
  }

  /** `before` / `after` must name targets of the project (a typo would silently lose the order). */
  #checkTargetNames(target: string, field: 'before' | 'after', names: readonly string[], setup: EntitySetup): void {
    names.forEach((name, i) => {
      if (this.project.targets.has(name)) return;
      const known = [...this.project.targets.keys()].filter((n) => n !== target);
      const near = closest(name, known, 1);
      throw new ProjectError(
        `target \`${target}\`: \`${field}\` names \`${name}\`, which is not a target of the project${near.length > 0 ? ` (did you mean \`${near[0]}\`?)` : ''}; its targets: ${known.join(', ') || 'none'}`,
        { location: setup.locate([field, i]) },
      );
    });
  }
}
