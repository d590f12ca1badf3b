/**
 * NDJSON (one JSON value per line): schema inference from a sample of the first file, and reading
 * one split into typed batches (objects) or value batches (when the sample holds non-objects).
 * A line that is not valid JSON, or whose values do not fit the schema, is a malformed row.
 * Keys absent from the schema are ignored; absent keys are nulls.
 */
import { VALUE_SCHEMA, isValueBatch, valueBatch, type Batch, type ColumnType, type Schema } from '../batch/batch.js';
import { BatchBuilder, inferSchema } from '../batch/builder.js';
import { describeValue } from '../../errors.js';
import { ByteWindow, CHUNK_SIZE } from './byte-window.js';
import { parseIsoText } from './byte-values.js';
import { SourceError } from './errors.js';
import { DEFAULT_BATCH_ROWS, type FileSplit, type SourceOptions, type SplitStats } from './options.js';
import { RowErrors } from './row-errors.js';

const SAMPLE_LINES = 1000;

/** A non-blank line and its 0-based line number from the split's first owned line. */
interface Line {
  text: string;
  line: number;
}

/** The non-blank lines the window owns up to `end`, a buffer's worth at a time. */
async function* lineChunks(window: ByteWindow, end: number): AsyncGenerator<Line[]> {
  let line = 0;
  for (;;) {
    const { buf, limit } = window;
    const chunk: Line[] = [];
    while (window.pos < limit && window.base + window.pos < end) {
      const pos = window.pos;
      let nl = buf.indexOf(10, pos);
      if (nl >= limit) nl = -1;
      if (nl < 0 && !window.eof) break;
      const lineEnd = nl < 0 ? limit : nl;
      const text = buf.toString('utf8', pos, lineEnd > pos && buf[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd);
      window.pos = nl < 0 ? limit : nl + 1;
      if (text.trim() !== '') chunk.push({ text, line });
      line++;
    }
    if (chunk.length > 0) yield chunk;
    if (window.base + window.pos >= end || (window.pos >= window.limit && window.eof)) return;
    if (!(await window.fill()) && window.pos >= window.limit) return;
  }
}

/** The schema of an NDJSON source from a sample of its first file. */
export async function planNdjsonSchema(firstFile: string | undefined, options: SourceOptions, signal?: AbortSignal): Promise<Schema> {
  const rows: Array<Record<string, unknown>> = [];
  let objects = true;
  if (firstFile !== undefined) {
    const window = await ByteWindow.open(firstFile, 0, signal);
    try {
      sampling: for await (const chunk of lineChunks(window, Number.MAX_SAFE_INTEGER)) {
        for (const { text } of chunk) {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            continue;
          }
          if (value === null || typeof value !== 'object' || Array.isArray(value)) objects = false;
          else rows.push(value as Record<string, unknown>);
          if (!objects || rows.length >= SAMPLE_LINES) break sampling;
        }
      }
    } finally {
      await window.close();
    }
  }
  const explicit = options.schema === undefined || options.schema === 'infer' ? undefined : options.schema;
  if (!objects && explicit === undefined) return VALUE_SCHEMA;
  const inferred = inferSchema(rows).fields.map((f) => ({ name: f.name, type: explicit?.[f.name] ?? f.type, nullable: true }));
  for (const [name, type] of Object.entries(explicit ?? {})) if (!inferred.some((f) => f.name === name)) inferred.push({ name, type, nullable: true });
  return { fields: inferred };
}

/** The value converted to a column type, or an error text when it does not fit. */
function fit(value: unknown, type: ColumnType): { ok: true; value: unknown } | { ok: false } {
  if (value === null || value === undefined || type === 'any') return { ok: true, value };
  switch (type) {
    case 'float64':
      return typeof value === 'number' ? { ok: true, value } : { ok: false };
    case 'int32':
      return typeof value === 'number' && (value | 0) === value ? { ok: true, value } : { ok: false };
    case 'bool':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false };
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : { ok: false };
    case 'timestamp': {
      const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseIsoText(value) : NaN;
      return Number.isNaN(ms) ? { ok: false } : { ok: true, value: ms };
    }
  }
}

/** Why a parsed line does not fit the schema, or undefined (then `out` holds its converted values). */
function checkRow(value: unknown, schema: Schema, out: Record<string, unknown>): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `expected a JSON object, found ${describeValue(value)}`;
  const row = value as Record<string, unknown>;
  for (const field of schema.fields) {
    const fitted = fit(row[field.name], field.type);
    if (!fitted.ok) return `field ${JSON.stringify(field.name)} expects ${field.type}, found ${describeValue(row[field.name])}`;
    out[field.name] = fitted.value;
  }
  return undefined;
}

/** Reads the lines of an NDJSON split as batches. */
export async function* readNdjsonSplit(split: FileSplit, stats: SplitStats, signal?: AbortSignal): AsyncGenerator<Batch> {
  const schema = split.schema;
  if (schema === undefined) throw new SourceError(split.path, `NDJSON split ${split.index} of ${split.path} has no schema; plan NDJSON sources with planSplits(), which infers it.`);
  const batchRows = split.options.batchRows ?? DEFAULT_BATCH_ROWS;
  const values = isValueBatch({ schema, length: 0, columns: [] });
  const errors = new RowErrors(split, stats);
  const window = await ByteWindow.open(split.path, split.start, signal, CHUNK_SIZE, true);
  errors.setFirstLineOffset(window.offset);
  let builder = new BatchBuilder(schema, batchRows);
  let plain: unknown[] = [];
  const take = (): Batch => {
    const batch = values ? valueBatch(plain) : builder.finish();
    stats.rows += batch.length;
    plain = [];
    builder = new BatchBuilder(schema, batchRows);
    return batch;
  };
  const size = (): number => (values ? plain.length : builder.length);
  try {
    let stop = false;
    for await (const chunk of lineChunks(window, split.end)) {
      for (const { text, line } of chunk) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          stop = errors.add(line, `expected valid JSON, ${(error as Error).message}`, text);
          if (stop) break;
          continue;
        }
        if (values) plain.push(parsed);
        else {
          const row: Record<string, unknown> = {};
          const problem = checkRow(parsed, schema, row);
          if (problem !== undefined) {
            stop = errors.add(line, problem, text);
            if (stop) break;
            continue;
          }
          builder.appendRow(row);
        }
        if (size() >= batchRows) {
          await errors.settle();
          yield take();
        }
      }
      await errors.settle();
      if (stop) break;
    }
    await errors.settle();
    if (size() > 0) yield take();
  } finally {
    await window.close();
  }
}
