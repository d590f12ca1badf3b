/**
 * The `file` relation kind: CSV, JSON lines, Parquet or text files in a folder, optionally
 * partitioned into sub-folders by partition columns (Hive's `year=2013/…`, or a custom `pattern`
 * such as `${year}/${month}`). Reads list only the partitions a filter selects and add their values
 * as typed columns; writes replace one partition atomically or append new part files. Resources
 * are `file` resources named by the absolute location, with the partition values as text.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Dataset } from '../../dataflow/index.js';
import type { ProjectSchema } from '../data-types.js';
import { ProjectError } from '../errors.js';
import type { SourceLocation } from '../location.js';
import type { Resource } from '../resources.js';
import type { FileRelationConfig } from './file-config.js';
import { FileLayout, dataFiles } from './file-layout.js';
import { fileRelationSchema, readFileRelation } from './file-read.js';
import { fileRelationSpec, type FileRelationSpec } from './file-spec.js';
import { hasData, writeFileRelation } from './file-write.js';
import { filterOfValues, typePartitionFilter, typePartitionValues } from './partitions.js';
import { providedResources, requiredResources } from './relation-resources.js';
import type { PartitionColumn, PartitionFilter, PartitionValues, Relation, RelationContext, RelationKind, RelationSetup, Row, WriteMode } from './relation.js';

/** A relation over files; build it with {@link FILE_RELATION_KIND}. */
export class FileRelation implements Relation {
  readonly name: string;
  readonly kind = 'file';
  readonly location: SourceLocation | undefined;
  readonly partitionColumns: readonly PartitionColumn[];
  readonly #config: FileRelationConfig;

  constructor(spec: FileRelationSpec, setup: RelationSetup) {
    this.name = setup.name;
    this.location = setup.location;
    this.partitionColumns = spec.partitions ?? [];
    const root = resolve(setup.projectDir, spec.location);
    const fields = spec.schema;
    const clash = fields?.find((f) => this.partitionColumns.some((c) => c.name === f.name));
    if (clash !== undefined) {
      throw new ProjectError(`schema of relation ${setup.name} lists ${clash.name}, which is a partition column: partition columns live in the folder names, so leave ${clash.name} out of the schema`, {
        location: setup.locate(['schema']) ?? setup.location,
      });
    }
    this.#config = {
      name: setup.name,
      format: spec.format,
      root,
      layout: new FileLayout(root, this.partitionColumns, spec.pattern, setup.locate(['pattern']) ?? setup.location),
      columns: this.partitionColumns,
      fields,
      options: spec.options ?? {},
      quarantinePath: spec.options?.quarantinePath === undefined ? undefined : resolve(setup.projectDir, spec.options.quarantinePath),
    };
  }

  /** The absolute location of the files. */
  get path(): string {
    return this.#config.root;
  }

  describe(): string {
    const by = this.partitionColumns.length === 0 ? '' : ` partitioned by ${this.partitionColumns.map((c) => c.name).join(', ')}`;
    return `${this.#config.format} files at ${this.#config.root}${by}`;
  }

  schema(ctx: RelationContext): Promise<ProjectSchema> {
    ctx.signal.throwIfAborted();
    return fileRelationSchema(this.#config);
  }

  provides(partition?: PartitionValues): Resource[] {
    const typed = partition === undefined ? undefined : this.#values(partition);
    return providedResources('file', this.#config.root, this.partitionColumns, typed);
  }

  requires(filter?: PartitionFilter): Resource[] {
    return requiredResources('file', this.#config.root, this.partitionColumns, this.#filter(filter));
  }

  async exists(ctx: RelationContext, partition?: PartitionValues): Promise<boolean> {
    ctx.signal.throwIfAborted();
    const filter = partition === undefined ? undefined : filterOfValues(this.#values(partition));
    if (this.partitionColumns.length === 0) return hasData(this.#config.root);
    for (const found of await this.#config.layout.list(filter)) if (await hasData(found.path)) return true;
    return false;
  }

  async fingerprint(ctx: RelationContext, filter?: PartitionFilter): Promise<string> {
    ctx.signal.throwIfAborted();
    const hash = createHash('sha256');
    for (const partition of await this.#config.layout.list(this.#filter(filter))) {
      for (const file of await dataFiles(partition.path)) hash.update(`${relative(this.#config.root, file.path)}\0${file.size}\0${file.mtimeMs}\n`);
    }
    return `sha256:${hash.digest('hex')}`;
  }

  read(ctx: RelationContext, filter?: PartitionFilter): Promise<Dataset<Row>> {
    return readFileRelation(this.#config, ctx, this.#filter(filter));
  }

  write(ctx: RelationContext, data: Dataset<Row>, options: { partition?: PartitionValues; mode: WriteMode }): Promise<number> {
    return writeFileRelation(this.#config, ctx, data, options);
  }

  async create(ctx: RelationContext): Promise<void> {
    ctx.signal.throwIfAborted();
    await mkdir(this.#config.root, { recursive: true });
  }

  async truncate(ctx: RelationContext, partition?: PartitionValues): Promise<void> {
    ctx.signal.throwIfAborted();
    const root = this.#config.root;
    if (this.partitionColumns.length === 0 || partition === undefined || Object.keys(partition).length === 0) {
      const entries = await readdir(root).catch(() => [] as string[]);
      await Promise.all(entries.map((name) => rm(resolve(root, name), { recursive: true, force: true })));
      return;
    }
    for (const found of await this.#config.layout.list(filterOfValues(this.#values(partition)))) {
      await rm(found.path, { recursive: true, force: true });
      await removeEmptyParents(dirname(found.path), root);
    }
  }

  async destroy(ctx: RelationContext): Promise<void> {
    ctx.signal.throwIfAborted();
    await rm(this.#config.root, { recursive: true, force: true });
  }

  #values(partition: PartitionValues): Record<string, unknown> {
    return typePartitionValues(this.partitionColumns, partition, { complete: false, relation: this.name });
  }

  #filter(filter: PartitionFilter | undefined): PartitionFilter | undefined {
    return filter === undefined ? undefined : typePartitionFilter(this.partitionColumns, filter, this.name);
  }
}

/** Removes the now empty folders from `dir` up to (not including) `root`. */
async function removeEmptyParents(dir: string, root: string): Promise<void> {
  for (let current = dir; current !== root && !relative(root, current).startsWith('..') && !isAbsolute(relative(root, current)); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
  }
}

/** The `file` relation kind. */
export const FILE_RELATION_KIND: RelationKind<FileRelationSpec> = {
  kind: 'file',
  summary: 'CSV, JSON lines, Parquet or text files in a folder, partitioned into sub-folders (year=2013/… or a custom pattern)',
  spec: fileRelationSpec,
  create: (spec, setup) => new FileRelation(spec, setup),
};
