/**
 * Where the partitions of a file relation live: a path pattern under the relation's location, one
 * `${column}` placeholder per partition column. The default is Hive's (`year=${year}/month=${month}`);
 * a custom `pattern` such as `${year}/${month}` or `data_${year}` describes raw-data layouts that
 * other tools wrote (Flowman's `pattern`).
 *
 * Listing walks the pattern one folder level at a time and prunes as it goes: a level whose
 * placeholders all have `values` conditions is not listed at all (the candidate folders are looked
 * up by name), and at other levels folders whose values fail the filter are not entered. So a read
 * of one partition never lists, let alone reads, the folders of the others. Names starting with
 * `.` or `_` (staging directories, `_SUCCESS` markers) are never partitions or data.
 */
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ProjectError } from '../errors.js';
import type { SourceLocation } from '../location.js';
import { comparePartitionValues, escapePathValue, filterMatches, formatPartitionValue, parseTyped, unescapePathValue } from './partitions.js';
import type { PartitionColumn, PartitionFilter, PartitionValues } from './relation.js';

/** One piece of a pattern segment: literal text or a partition column. */
type Piece = { readonly literal: string } | { readonly column: PartitionColumn };

/** One folder level of a pattern. */
interface Segment {
  readonly pieces: readonly Piece[];
  readonly columns: readonly PartitionColumn[];
  readonly regex: RegExp;
}

/** A partition found on disk: its typed values and its folder (or file). */
export interface PartitionLocation {
  readonly values: PartitionValues;
  readonly path: string;
}

/** A data file with what a fingerprint needs. */
export interface DataFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** True for names that are never data: hidden files, staging directories, `_SUCCESS`. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

/** The layout of one file relation. */
export class FileLayout {
  readonly root: string;
  readonly columns: readonly PartitionColumn[];
  /** The pattern as written, or the Hive pattern it defaults to. */
  readonly pattern: string;
  readonly #segments: readonly Segment[];

  /**
   * @param pattern - a custom pattern, or undefined for Hive's `col=${col}/…`.
   * @throws {ProjectError} (at `where`) for a pattern that is absolute, climbs out with `..`,
   *   names an unknown column, misses or repeats a partition column, or puts two placeholders side by side.
   */
  constructor(root: string, columns: readonly PartitionColumn[], pattern: string | undefined, where?: SourceLocation) {
    this.root = root;
    this.columns = columns;
    this.pattern = pattern ?? columns.map((c) => `${escapePathValue(c.name)}=\${${c.name}}`).join('/');
    this.#segments = this.pattern === '' ? [] : this.pattern.split('/').map((text) => compileSegment(text, columns, this.pattern, where));
    const used = this.#segments.flatMap((s) => s.columns.map((c) => c.name));
    for (const column of columns) {
      const n = used.filter((name) => name === column.name).length;
      if (n !== 1) throw patternError(this.pattern, `${n === 0 ? 'misses' : 'repeats'} the partition column ${column.name}: every partition column appears exactly once`, where);
    }
  }

  /** The path of the partition with these (complete, typed) values; the location itself when unpartitioned. */
  pathOf(values: PartitionValues): string {
    const names = this.#segments.map((s) => s.pieces.map((p) => ('literal' in p ? p.literal : escapePathValue(formatPartitionValue(p.column.type, values[p.column.name])))).join(''));
    return names.length === 0 ? this.root : join(this.root, ...names);
  }

  /** The partitions on disk that match a typed filter, sorted by their values in column order. */
  async list(filter?: PartitionFilter): Promise<PartitionLocation[]> {
    const found: PartitionLocation[] = [];
    await this.#walk(this.root, 0, {}, filter, found);
    return found.sort((a, b) => {
      for (const c of this.columns) {
        const order = comparePartitionValues(a.values[c.name], b.values[c.name]);
        if (order !== 0) return order;
      }
      return 0;
    });
  }

  async #walk(dir: string, level: number, values: Record<string, unknown>, filter: PartitionFilter | undefined, found: PartitionLocation[]): Promise<void> {
    if (level === this.#segments.length) {
      found.push({ values: { ...values }, path: dir });
      return;
    }
    const segment = this.#segments[level]!;
    for (const name of await this.#candidates(dir, segment, filter)) {
      const matched = segment.regex.exec(name);
      if (!matched) continue;
      const next = { ...values };
      const ok = segment.columns.every((column, i) => (next[column.name] = parseTyped(column.type, unescapePathValue(matched[i + 1]!))) !== undefined);
      if (ok && filterMatches(filter, next)) await this.#walk(join(dir, name), level + 1, next, filter, found);
    }
  }

  /** Names of `dir` that may match `segment`: looked up by name when the filter fixes every value, else listed. */
  async #candidates(dir: string, segment: Segment, filter: PartitionFilter | undefined): Promise<string[]> {
    const fixed = segment.columns.map((c) => filter?.[c.name]);
    if (fixed.every((cond) => cond?.kind === 'values')) {
      let names = [''];
      segment.pieces.forEach((piece) => {
        if ('literal' in piece) names = names.map((n) => n + piece.literal);
        else {
          const cond = filter![piece.column.name] as { values: readonly unknown[] };
          names = names.flatMap((n) => cond.values.map((v) => n + escapePathValue(formatPartitionValue(piece.column.type, v))));
        }
      });
      const present = await Promise.all(names.map(async (n) => ((await statOrUndefined(join(dir, n))) ? n : undefined)));
      return [...new Set(present.filter((n): n is string => n !== undefined))];
    }
    try {
      return (await readdir(dir)).filter((name) => !isHiddenName(name)).sort();
    } catch {
      return [];
    }
  }
}

function compileSegment(text: string, columns: readonly PartitionColumn[], pattern: string, where: SourceLocation | undefined): Segment {
  if (text === '' || text === '.' || text === '..') throw patternError(pattern, `has an empty, "." or ".." folder; write a relative path such as \${year}/\${month}`, where);
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) pieces.push({ literal: text.slice(last, m.index) });
    else if (pieces.length > 0 && 'column' in pieces[pieces.length - 1]!) throw patternError(pattern, 'puts two placeholders side by side; separate them with text such as "-" or "/"', where);
    const column = columns.find((c) => c.name === m[1]);
    if (column === undefined) throw patternError(pattern, `names \${${m[1]}}, which is not a partition column (expected ${columns.map((c) => `\${${c.name}}`).join(', ') || 'no placeholders: the relation is not partitioned'})`, where);
    pieces.push({ column });
    last = m.index + m[0].length;
  }
  if (last < text.length) pieces.push({ literal: text.slice(last) });
  const source = pieces.map((p) => ('literal' in p ? p.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '(.+?)')).join('');
  return { pieces, columns: pieces.flatMap((p) => ('column' in p ? [p.column] : [])), regex: new RegExp(`^${source}$`) };
}

function patternError(pattern: string, problem: string, where: SourceLocation | undefined): ProjectError {
  return new ProjectError(`the partition pattern ${JSON.stringify(pattern)} ${problem}`, { location: where, code: 'WEFT_PROJECT' });
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/**
 * The data files at `path`: the file itself, or every visible file below the folder (recursively,
 * sorted by code point); none when it does not exist.
 */
export async function dataFiles(path: string): Promise<DataFile[]> {
  const info = await statOrUndefined(path);
  if (info === undefined) return [];
  if (!info.isDirectory()) return [{ path, size: info.size, mtimeMs: info.mtimeMs }];
  const out: DataFile[] = [];
  let entries: string[];
  try {
    entries = (await readdir(path)).filter((n) => !isHiddenName(n)).sort();
  } catch {
    return [];
  }
  for (const name of entries) out.push(...(await dataFiles(join(path, name))));
  return out;
}
