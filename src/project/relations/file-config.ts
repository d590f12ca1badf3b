/**
 * What the parts of a file relation (reading, writing, its schema) share: the resolved settings of
 * one relation, and the messages that say what is on disk where something was expected.
 */
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { columnTypeOf, type ProjectField } from '../data-types.js';
import type { FileLayout } from './file-layout.js';
import type { FileFormat, FileOptions } from './file-spec.js';
import type { PartitionColumn } from './relation.js';

/** One file relation, resolved: absolute paths, its layout, declared schema and options. */
export interface FileRelationConfig {
  readonly name: string;
  readonly format: FileFormat;
  /** The absolute, normalised location. */
  readonly root: string;
  readonly layout: FileLayout;
  readonly columns: readonly PartitionColumn[];
  /** The declared data columns (partition columns excluded), if any. */
  readonly fields: readonly ProjectField[] | undefined;
  readonly options: FileOptions;
  /** `onError: quarantine`'s folder, absolute. */
  readonly quarantinePath: string | undefined;
}

/** The dataflow source format of a relation format. */
export function sourceFormat(format: FileFormat): 'csv' | 'ndjson' | 'parquet' | 'text' {
  return format === 'json' ? 'ndjson' : format;
}

/** The options a dataflow source of this relation gets (declared types as dataflow column types). */
export function sourceOptions(config: FileRelationConfig): Readonly<Record<string, unknown>> {
  const o = config.options;
  const schema = config.fields === undefined ? undefined : Object.fromEntries(config.fields.map((f) => [f.name, columnTypeOf(f.type)]));
  const pick = {
    header: o.header,
    delimiter: o.delimiter,
    quote: o.quote,
    multiline: o.multiline,
    onError: o.onError,
    quarantinePath: config.quarantinePath,
    splitSize: o.splitSize,
    schema: config.format === 'csv' || config.format === 'json' ? schema : undefined,
  };
  return Object.fromEntries(Object.entries(pick).filter(([, v]) => v !== undefined));
}

/**
 * What is at `path`, for messages: `it contains: a, b` or `it does not exist; the nearest existing
 * folder /x contains: y`.
 */
export async function describePath(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      const names = (await readdir(current)).sort();
      const shown = names.length === 0 ? 'nothing' : `${names.slice(0, 12).join(', ')}${names.length > 12 ? `, … (${names.length} entries)` : ''}`;
      return current === path ? `it contains: ${shown}` : `it does not exist; the nearest existing folder ${current} contains: ${shown}`;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOTDIR') return current === path ? 'it is a file' : `it does not exist; ${current} is a file`;
      const parent = dirname(current);
      if (parent === current) return 'it does not exist';
      current = parent;
    }
  }
}

/** `relation measurements (csv files at /data/m)`: how messages name a file relation. */
export function nameOf(config: FileRelationConfig): string {
  return `relation ${config.name} (${config.format} files at ${config.root})`;
}
