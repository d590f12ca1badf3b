/**
 * A dataset spilled to CSV part files in a private temporary folder: the dataset's tasks shape and
 * encode their rows in parallel, each holding one part at a time, and a consumer that must take
 * every row in one place — one database transaction — streams the files, so a write of any size
 * holds a bounded number of rows (where `collect()` would hold them all). The parts follow the
 * CSV sink's conventions: a header row each, nulls as empty fields, empty strings as `""`,
 * timestamps as ISO-8601 — what PostgreSQL's `COPY … (FORMAT csv, HEADER true)` reads as it is.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '../../dataflow/index.js';
import { dataFiles } from './file-layout.js';
import type { Row } from './relation.js';

/** CSV parts on disk; `dispose()` them always. */
export interface StagedCsv {
  /** Rows written, over all parts. */
  readonly rows: number;
  /** The part files, in partition order. */
  readonly files: readonly string[];
  /** Removes the temporary folder. */
  dispose(): Promise<void>;
}

/** Writes `data` as CSV parts into a new folder under `base` (the system's temporary folder). */
export async function stageCsv(data: Dataset<Row>, signal: AbortSignal, base = tmpdir()): Promise<StagedCsv> {
  const dir = await mkdtemp(join(base, 'weft-staged-'));
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const parts = join(dir, 'rows');
    const rows = await data.writeCsv(parts, { overwrite: true, header: true, signal });
    return { rows, files: (await dataFiles(parts)).map((f) => f.path), dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
