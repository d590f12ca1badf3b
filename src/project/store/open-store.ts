/**
 * `weft.store.url` → a state store. Embedded by default (DESIGN.md principle 9): no setting means
 * the SQLite file `.weft/state.db` in the project directory; a shared history is one URL away.
 *
 * | `weft.store.url`                          | store                                        |
 * |-------------------------------------------|----------------------------------------------|
 * | `null`                                    | SQLite at `<projectDir>/.weft/state.db`      |
 * | `runs/state.db`, `/var/weft/state.db`     | SQLite at that path (relative to the project)|
 * | `sqlite:runs/state.db`, `sqlite:///abs.db`| the same, spelled as a URL                   |
 * | `sqlite::memory:`                         | SQLite in memory (tests)                     |
 * | `postgres://user@host:5432/db?schema=s`   | PostgreSQL (also `postgresql://`)            |
 */
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { openPostgresStore, parsePostgresUrl, redactUrl, type PostgresStoreOptions } from './postgres-store.js';
import { IN_MEMORY, openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import type { StateStore } from './state-store.js';

/** Where the state store is, as {@link parseStoreUrl} reads a `weft.store.url`. */
export type StoreLocation = { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };

/** Options passed to whichever backend the URL selects. */
export type OpenStoreOptions = SqliteStoreOptions & PostgresStoreOptions;

/** The default store file, relative to the project directory. */
export const DEFAULT_STORE_FILE = '.weft/state.db';

const EXPECTED = 'null, a file path, sqlite:<path> or postgres://user@host:5432/db?schema=name';
// A scheme, but not a Windows drive letter (`C:\…`).
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

function badUrl(url: string, why = ''): UsageError {
  return new UsageError(`Expected weft.store.url to be ${EXPECTED}${why}, got ${JSON.stringify(redactUrl(url))}`, { code: 'WEFT_STORE_URL' });
}

function sqlitePath(path: string, url: string, projectDir: string): StoreLocation {
  if (path === IN_MEMORY) return { kind: 'sqlite', file: IN_MEMORY };
  if (path.trim() === '' || path.endsWith('/')) throw badUrl(url, ' (the SQLite store needs a file name)');
  return { kind: 'sqlite', file: isAbsolute(path) ? path : resolve(projectDir, path) };
}

/**
 * Reads a `weft.store.url` value. Throws a `UsageError` (the CLI exits with 2) that says what was
 * expected and what arrived, for an empty value, a scheme other than `sqlite` or `postgres`, or a
 * PostgreSQL URL that does not parse.
 */
export function parseStoreUrl(url: string | null, projectDir: string): StoreLocation {
  if (url === null) return { kind: 'sqlite', file: join(resolve(projectDir), DEFAULT_STORE_FILE) };
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return sqlitePath(url, url, projectDir);
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!/^[A-Za-z]+:\/\//.test(url)) throw badUrl(url, ' (a PostgreSQL URL starts with postgres://)');
    parsePostgresUrl(url);
    return { kind: 'postgres', url };
  }
  if (scheme === 'sqlite') {
    const rest = url.slice('sqlite:'.length);
    return sqlitePath(rest.startsWith('//') ? rest.slice(2) : rest, url, projectDir);
  }
  throw badUrl(url, ` (unknown scheme "${scheme}:")`);
}

/**
 * Opens the state store that `url` (the value of `weft.store.url`) names; see the table above.
 * A bad URL throws a `UsageError`; a server that cannot be reached or a file that cannot be opened
 * throws a `StateStoreError` that names it and says how to fix it.
 *
 * @example
 * ```ts
 * const store = await openStateStore(settings['weft.store.url'], projectDir);
 * try { … } finally { await store.close(); }
 * ```
 */
export async function openStateStore(url: string | null, projectDir: string, options: OpenStoreOptions = {}): Promise<StateStore> {
  const location = parseStoreUrl(url, projectDir);
  return location.kind === 'sqlite' ? openSqliteStore(location.file, options) : openPostgresStore(location.url, options);
}
