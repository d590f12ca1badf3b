/**
 * Reading a file relation: the partitions that match the filter are found (pruned while listing,
 * see file-layout.ts), each partition's files become one dataflow source, and a map step adds the
 * partition's values to every row as typed columns; the partitions' datasets are then unioned.
 * Nothing is read before the job runs, and folders of other partitions are never opened.
 */
import { stat } from 'node:fs/promises';
import type { Dataset } from '../../dataflow/index.js';
import { planSplits } from '../../dataflow/sources/index.js';
import { dataTypeOf, type ProjectField, type ProjectSchema } from '../data-types.js';
import { RelationError } from '../errors.js';
import { describePath, nameOf, sourceFormat, sourceOptions, type FileRelationConfig } from './file-config.js';
import { dataFiles, type PartitionLocation } from './file-layout.js';
import { columnPairs } from './file-spec.js';
import type { PartitionFilter, RelationContext, Row } from './relation.js';
import { readRow, type ReadRowData } from './row-functions.js';

/** The partitions (with their data files) a read with this typed filter sees. */
export async function partitionsToRead(config: FileRelationConfig, filter: PartitionFilter | undefined): Promise<Array<PartitionLocation & { files: string[] }>> {
  const found = await config.layout.list(filter);
  const withFiles = await Promise.all(found.map(async (p) => ({ ...p, files: (await dataFiles(p.path)).map((f) => f.path) })));
  return withFiles.filter((p) => p.files.length > 0);
}

/** Fails with what is there when the relation's location does not exist. */
export async function requireLocation(config: FileRelationConfig, action: string): Promise<void> {
  try {
    await stat(config.root);
  } catch (error) {
    throw new RelationError(config.name, `cannot ${action} ${nameOf(config)}: there is no data at ${config.root}; ${await describePath(config.root)}. Write the relation first, or fix its location.`, {
      code: 'WEFT_RELATION_MISSING',
      cause: error,
    });
  }
}

/** The rows of the partitions matching a typed filter, partition columns last, as a lazy dataset. */
export async function readFileRelation(config: FileRelationConfig, ctx: RelationContext, filter: PartitionFilter | undefined): Promise<Dataset<Row>> {
  await requireLocation(config, 'read');
  ctx.signal.throwIfAborted();
  const partitions = await partitionsToRead(config, filter);
  if (partitions.length === 0) return ctx.env.fromCollection<Row>([]);
  const datasets = partitions.map((p) => partitionDataset(config, ctx, p.files, p.values));
  const [first, ...rest] = datasets;
  return rest.length === 0 ? first! : first!.union(...rest);
}

function partitionDataset(config: FileRelationConfig, ctx: RelationContext, files: string[], values: Readonly<Record<string, unknown>>): Dataset<Row> {
  const options = sourceOptions(config);
  const env = ctx.env;
  const source: Dataset<unknown> =
    config.format === 'csv' ? env.readCsv(files, options) : config.format === 'json' ? env.readJson(files, options) : config.format === 'parquet' ? env.readParquet(files, options) : env.readText(files, options);
  const text = config.format === 'text';
  const needsMap = text || config.columns.length > 0 || config.fields !== undefined;
  if (!needsMap) return source as Dataset<Row>;
  const data: ReadRowData = {
    partition: values,
    ...(config.fields === undefined ? {} : { columns: columnPairs(config.fields) }),
    ...(text ? { text: true } : {}),
  };
  const label = config.columns.length > 0 ? `add partition ${config.columns.map((c) => c.name).join(', ')}` : 'apply schema';
  return source.map(readRow, { with: data, label }).name(`${label} of ${config.name}`);
}

/**
 * The schema: the declared fields, else the columns of the first partition's data (CSV header and
 * inference from its first non-empty file, Parquet footers, JSON's first rows; text is one string column `value`), with the
 * partition columns last.
 */
export async function fileRelationSchema(config: FileRelationConfig): Promise<ProjectSchema> {
  const partitionFields: ProjectField[] = config.columns.map((c) => ({ name: c.name, type: c.type, nullable: false }));
  if (config.fields !== undefined) return { fields: [...config.fields, ...partitionFields] };
  if (config.format === 'text') return { fields: [{ name: 'value', type: 'string' }, ...partitionFields] };
  await requireLocation(config, 'infer the schema of');
  const first = (await partitionsToRead(config, undefined))[0]?.files;
  if (first === undefined) {
    throw new RelationError(config.name, `cannot infer the schema of ${nameOf(config)}: it holds no data files; ${await describePath(config.root)}. Declare a schema, or write data first.`, {
      code: 'WEFT_RELATION_SCHEMA',
    });
  }
  const { schema } = await planSplits(sourceFormat(config.format), first, sourceOptions(config), 1);
  const fields = schema.fields.filter((f) => !config.columns.some((c) => c.name === f.name)).map((f) => ({ name: f.name, type: dataTypeOf(f.type) }));
  return { fields: [...fields, ...partitionFields] };
}
