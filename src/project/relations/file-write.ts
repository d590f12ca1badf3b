/**
 * Writing a file relation, atomically, through the dataflow sinks:
 *
 * - `overwrite` writes the partition's folder (or the location) with the sinks' staged commit:
 *   parts go to a hidden staging folder that replaces the old folder by rename only when every
 *   task succeeded, so a failed job leaves the previous partition and all others as they were;
 * - `append` writes a complete set of parts into a hidden staging folder next to the target, then
 *   moves each part into the target under a fresh name (`part-<runId>-<token>-00000.csv`) with a
 *   no-clobber link, so existing files are never touched and every file appears whole;
 * - `error_if_exists` / `ignore_if_exists` refuse or skip a target that holds committed data.
 *
 * Partition columns are not written into the files: they are in the folder names.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Dataset } from '../../dataflow/index.js';
import { SUCCESS_MARKER, abortWrite, beginWrite, commitWrite } from '../../dataflow/sinks/index.js';
import { FileOutput } from '../../dataflow/sinks/file-output.js';
import type { ParquetTypeName } from '../../dataflow/sinks/sink-options.js';
import type { DataType, ProjectField } from '../data-types.js';
import { RelationError } from '../errors.js';
import { describePath, nameOf, type FileRelationConfig } from './file-config.js';
import { dataFiles, isHiddenName } from './file-layout.js';
import { columnPairs } from './file-spec.js';
import { typePartitionValues } from './partitions.js';
import type { PartitionValues, RelationContext, Row, WriteMode } from './relation.js';
import { writeRow, type WriteRowData } from './row-functions.js';
import { checkWriteMode } from './write-modes.js';

/** True when `path` holds committed data: data files, or a `_SUCCESS` marker. */
export async function hasData(path: string): Promise<boolean> {
  if ((await dataFiles(path)).length > 0) return true;
  return stat(join(path, SUCCESS_MARKER)).then(
    () => true,
    () => false,
  );
}

/** Writes `data` into one partition (or the whole relation) in `mode`; resolves to the rows written. */
export async function writeFileRelation(config: FileRelationConfig, ctx: RelationContext, data: Dataset<Row>, options: { partition?: PartitionValues; mode: WriteMode }): Promise<number> {
  const mode = checkWriteMode(options.mode, config.name);
  const values = typePartitionValues(config.columns, options.partition ?? {}, { complete: true, relation: config.name });
  const target = config.layout.pathOf(values);
  const present = await hasData(target);
  if (present && mode === 'ignore_if_exists') return 0;
  if (present && mode === 'error_if_exists') {
    throw new RelationError(config.name, `cannot write ${describeTarget(config, values)} with mode error_if_exists: ${target} already holds data; ${await describePath(target)}. Use mode overwrite or append, or truncate it first.`, {
      code: 'WEFT_RELATION_EXISTS',
    });
  }
  ctx.signal.throwIfAborted();
  const shaped = shapeRows(config, data);
  return present && mode === 'append' ? appendParts(config, ctx, shaped, target) : sinkWrite(config, ctx, shaped, target);
}

function describeTarget(config: FileRelationConfig, values: PartitionValues): string {
  const partition = config.columns.map((c) => `${c.name}=${String(values[c.name] instanceof Date ? (values[c.name] as Date).toISOString() : values[c.name])}`);
  return partition.length === 0 ? nameOf(config) : `partition ${partition.join(', ')} of ${nameOf(config)}`;
}

/** The rows as the files hold them: partition columns dropped, declared columns conformed. */
function shapeRows(config: FileRelationConfig, data: Dataset<Row>): Dataset<Row> {
  const text = config.format === 'text';
  if (!text && config.columns.length === 0 && config.fields === undefined) return data;
  const shape: WriteRowData = {
    drop: config.columns.map((c) => c.name),
    ...(config.fields === undefined ? {} : { columns: columnPairs(config.fields) }),
    ...(text ? { text: true } : {}),
  };
  return data.map(writeRow, { with: shape, label: 'shape rows' }).name(`shape rows for ${config.name}`);
}

/** Replaces the folder `target` with the rows, atomically (the sinks' staged commit). */
async function sinkWrite(config: FileRelationConfig, ctx: RelationContext, rows: Dataset<Row>, target: string): Promise<number> {
  await mkdir(dirname(target), { recursive: true });
  const o = config.options;
  const csv = { overwrite: true, ...(o.header === undefined ? {} : { header: o.header }), ...(o.delimiter === undefined ? {} : { delimiter: o.delimiter }) };
  switch (config.format) {
    case 'csv':
      return rows.writeCsv(target, csv);
    case 'json':
      return rows.writeJson(target, { overwrite: true });
    case 'parquet':
      return rows.writeParquet(target, { overwrite: true, ...(config.fields === undefined ? {} : { columnTypes: parquetTypes(config.fields) }) });
    case 'text':
      return writeText(ctx, rows, target);
  }
}

/** The Parquet type of each declared column, so other tools read `integer` as INT32, `date` as DATE. */
function parquetTypes(fields: readonly ProjectField[]): Record<string, ParquetTypeName> {
  return Object.fromEntries(fields.map((f) => [f.name, PARQUET_TYPE_OF[f.type]]));
}

const PARQUET_TYPE_OF: Readonly<Record<DataType, ParquetTypeName>> = {
  string: 'string',
  integer: 'int32',
  long: 'int64',
  double: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};

/**
 * Text has no dataflow sink: the lines are written as NDJSON into the staging folder of a staged
 * commit, turned into text part files there, and the folder is committed as one.
 */
async function writeText(ctx: RelationContext, rows: Dataset<Row>, target: string): Promise<number> {
  const job = await beginWrite(target, ctx.runId, { overwrite: true });
  try {
    const json = join(job.stagingDir, '.json');
    const count = await rows.writeJson(json, { overwrite: true });
    const parts = (await readdir(json)).filter((n) => !isHiddenName(n)).sort();
    for (const [i, name] of parts.entries()) await jsonToText(join(json, name), join(job.stagingDir, `part-${String(i).padStart(5, '0')}.txt`));
    await rm(json, { recursive: true, force: true });
    await commitWrite(job, count);
    return count;
  } catch (error) {
    await abortWrite(job).catch(() => undefined);
    throw error;
  }
}

/** Streams one NDJSON part of `{ "value": line }` rows into a text file of the lines. */
async function jsonToText(from: string, to: string): Promise<void> {
  const out = await FileOutput.create(to);
  try {
    for await (const line of createInterface({ input: createReadStream(from), crlfDelay: Infinity })) {
      if (line === '') continue;
      const value = (JSON.parse(line) as { value?: unknown }).value;
      await out.write(`${typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value)}\n`);
    }
    await out.close();
  } catch (error) {
    await out.discard();
    throw error;
  }
}

/** Adds the rows as new part files of `target`, leaving its existing files as they are. */
async function appendParts(config: FileRelationConfig, ctx: RelationContext, rows: Dataset<Row>, target: string): Promise<number> {
  const staging = join(dirname(target), `.${basename(target)}.weft-append-${ctx.runId}`);
  await rm(staging, { recursive: true, force: true });
  try {
    const count = await sinkWrite(config, ctx, rows, staging);
    const token = `${ctx.runId}-${randomBytes(4).toString('hex')}`;
    const parts = (await readdir(staging)).filter((n) => !isHiddenName(n)).sort();
    for (const [i, name] of parts.entries()) {
      const fresh = join(target, `part-${token}-${String(i).padStart(5, '0')}${extname(name)}`);
      // link fails if the name exists, so no existing file is ever replaced.
      await link(join(staging, name), fresh);
    }
    return count;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
