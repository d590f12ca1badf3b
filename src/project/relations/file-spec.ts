/**
 * The spec of a `file` relation as a project file holds it:
 *
 * ```yaml
 * relations:
 *   measurements:
 *     kind: file
 *     format: csv
 *     location: data/measurements      # relative to the project directory
 *     pattern: ${year}/${station}      # optional; default Hive folders year=2013/station=…
 *     partitions: [{ name: year, type: integer }, { name: station, type: string }]
 *     schema: { id: integer, value: double }
 *     options: { header: true, delimiter: ';', onError: skip }
 * ```
 *
 * Format-specific options are checked against the format, so a CSV option on a Parquet relation
 * is an error at its position rather than silently ignored.
 */
import { z } from 'zod';
import type { DataType, ProjectField } from '../data-types.js';
import { fieldsSpec, partitionColumnsSpec } from '../spec/common.js';
import type { PartitionColumn } from './relation.js';

/** The formats of file relations. `json` is JSON lines (one object per line). */
export const FILE_FORMATS = ['csv', 'json', 'parquet', 'text'] as const;

/** A format of a file relation. */
export type FileFormat = (typeof FILE_FORMATS)[number];

/** What to do with a row that does not parse (CSV and JSON). */
export const ON_ERROR_POLICIES = ['fail', 'skip', 'quarantine'] as const;

/** Options of a file relation, per format (see docs/relations.md). */
export interface FileOptions {
  /** CSV: the first line names the columns (read), and a header line is written. @default true */
  readonly header?: boolean;
  /** CSV: the field delimiter, one character. @default ',' */
  readonly delimiter?: string;
  /** CSV (read): the quote character. @default '"' */
  readonly quote?: string;
  /** CSV (read): newlines inside quoted fields (each file is then one split). @default false */
  readonly multiline?: boolean;
  /** CSV and JSON (read): what a malformed row does. @default 'fail' */
  readonly onError?: (typeof ON_ERROR_POLICIES)[number];
  /** CSV and JSON (read): where `onError: quarantine` puts bad rows, relative to the project directory. */
  readonly quarantinePath?: string;
  /** CSV, JSON and text (read): bytes per split. @default 33554432 */
  readonly splitSize?: number;
}

/** A validated `file` relation spec. */
export interface FileRelationSpec {
  readonly kind?: 'file';
  readonly description?: string;
  readonly format: FileFormat;
  readonly location: string;
  readonly pattern?: string;
  readonly partitions?: PartitionColumn[];
  readonly schema?: ProjectField[];
  readonly options?: FileOptions;
}

/** Which formats each option applies to. */
const OPTION_FORMATS: Record<keyof FileOptions, readonly FileFormat[]> = {
  header: ['csv'],
  delimiter: ['csv'],
  quote: ['csv'],
  multiline: ['csv'],
  onError: ['csv', 'json'],
  quarantinePath: ['csv', 'json'],
  splitSize: ['csv', 'json', 'text'],
};

const oneChar = (name: string): z.ZodType<string> =>
  z.string().refine((s) => s.length === 1 && s !== '\n' && s !== '\r', { message: `expected \`${name}\` to be one character other than a newline` });

const optionsSpec = z.strictObject({
  header: z.boolean().optional(),
  delimiter: oneChar('delimiter').optional(),
  quote: oneChar('quote').optional(),
  multiline: z.boolean().optional(),
  onError: z.enum(ON_ERROR_POLICIES, { error: (iss) => `expected onError to be one of ${ON_ERROR_POLICIES.join(', ')}, got ${JSON.stringify(iss.input)}` }).optional(),
  quarantinePath: z.string().min(1).optional(),
  splitSize: z.number().int().positive().optional(),
});

/** The zod schema of a `file` relation spec. */
export const fileRelationSpec: z.ZodType<FileRelationSpec> = z
  .strictObject({
    kind: z.literal('file').optional(),
    description: z.string().optional(),
    format: z.enum(FILE_FORMATS, {
      error: (iss) => (iss.input === undefined ? `missing \`format\`: one of ${FILE_FORMATS.join(', ')}` : `unknown format ${JSON.stringify(iss.input)}: expected one of ${FILE_FORMATS.join(', ')}`),
    }),
    location: z
      .string({ error: (iss) => (iss.input === undefined ? 'missing `location`: the folder (or file) of the relation, relative to the project directory' : 'expected `location` to be a path') })
      .min(1, 'expected `location` to be a path, got an empty string'),
    pattern: z.string().optional(),
    partitions: partitionColumnsSpec.optional(),
    schema: fieldsSpec.optional(),
    options: optionsSpec.optional(),
  })
  .superRefine((spec, ctx) => {
    for (const key of Object.keys(spec.options ?? {}) as Array<keyof FileOptions>) {
      if (!OPTION_FORMATS[key].includes(spec.format)) {
        ctx.addIssue({ code: 'custom', path: ['options', key], message: `option ${key} applies to ${OPTION_FORMATS[key].join(' and ')} relations, not ${spec.format}; remove it` });
      }
    }
    if (spec.options?.onError === 'quarantine' && spec.options.quarantinePath === undefined) {
      ctx.addIssue({ code: 'custom', path: ['options', 'onError'], message: 'onError: quarantine needs `quarantinePath`, the folder that receives the bad rows' });
    }
  }) as unknown as z.ZodType<FileRelationSpec>;

/** The declared column types as `[name, type]` pairs, for row functions' `with` data. */
export function columnPairs(fields: readonly ProjectField[]): Array<[string, DataType]> {
  return fields.map((f) => [f.name, f.type]);
}
