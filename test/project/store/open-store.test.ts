// weft.store.url → a store: the accepted spellings, and errors that say what was expected, what
// arrived and how to fix it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { StateStoreError } from '../../../src/project/errors.js';
import { openStateStore, parseStoreUrl } from '../../../src/project/store/open-store.js';
import { parsePostgresUrl, redactUrl } from '../../../src/project/store/postgres-store.js';
import { SCHEMA_VERSION } from '../../../src/project/store/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-open-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseStoreUrl', () => {
  it('defaults to .weft/state.db in the project directory and takes paths and sqlite: URLs', () => {
    expect(parseStoreUrl(null, '/proj')).toEqual({ kind: 'sqlite', file: '/proj/.weft/state.db' });
    expect(parseStoreUrl('runs/state.db', '/proj')).toEqual({ kind: 'sqlite', file: '/proj/runs/state.db' });
    expect(parseStoreUrl('/var/weft/state.db', '/proj')).toEqual({ kind: 'sqlite', file: '/var/weft/state.db' });
    expect(parseStoreUrl('sqlite:runs/state.db', '/proj')).toEqual({ kind: 'sqlite', file: '/proj/runs/state.db' });
    expect(parseStoreUrl('sqlite:/abs/state.db', '/proj')).toEqual({ kind: 'sqlite', file: '/abs/state.db' });
    expect(parseStoreUrl('sqlite:///abs/state.db', '/proj')).toEqual({ kind: 'sqlite', file: '/abs/state.db' });
    expect(parseStoreUrl('sqlite::memory:', '/proj')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseStoreUrl('postgres://u@db:5432/ops', '/proj')).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/ops' });
    expect(parseStoreUrl('postgresql://u@db/ops?schema=weft', '/proj').kind).toBe('postgres');
  });

  it.each([
    ['', /Expected weft.store.url to be null, a file path, sqlite:<path> or postgres:\/\/.* \(the SQLite store needs a file name\), got ""/],
    ['sqlite:', /needs a file name\), got "sqlite:"/],
    ['runs/', /needs a file name/],
    ['mysql://root@localhost/test', /\(unknown scheme "mysql:"\), got "mysql:\/\/root@localhost\/test"/],
    ['http://example.com/state', /unknown scheme "http:"/],
    ['postgres:/no-host', /\(a PostgreSQL URL starts with postgres:\/\/\), got "postgres:\/no-host"/],
    ['postgres://weft:s3cret@:5432/db', /Expected weft.store.url to be a URL such as postgres:\/\/user@host:5432\/db\?schema=weft, got "postgres:\/\/weft:\*\*\*@:5432\/db"/],
    ['postgresql://db/ops?schema=Runs', /Expected the schema parameter of weft.store.url to be a lower-case name/],
  ])('rejects %j with a UsageError that says what was expected', (url, message) => {
    let error: unknown;
    try {
      parseStoreUrl(url, '/proj');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('takes the schema out of a PostgreSQL URL, redacts passwords and rejects bad schema names', () => {
    expect(parsePostgresUrl('postgres://weft:pw@db.internal:6543/ops?schema=weft_runs&sslmode=disable')).toEqual({
      connectionString: 'postgres://weft:pw@db.internal:6543/ops?sslmode=disable',
      schema: 'weft_runs',
      redacted: 'postgres://weft:***@db.internal:6543/ops?schema=weft_runs&sslmode=disable',
      address: 'db.internal:6543',
    });
    expect(parsePostgresUrl('postgres://db/ops')).toMatchObject({ schema: 'public', address: 'db:5432' });
    expect(() => parsePostgresUrl('postgres://db/ops?schema=Bad-Name')).toThrow(/Expected the schema parameter of weft.store.url to be a lower-case name.*got "Bad-Name"/);
    expect(() => parsePostgresUrl('postgres://db/ops?schema=x;drop')).toThrow(UsageError);
    expect(redactUrl('postgres://u:p@h/d')).toBe('postgres://u:***@h/d');
    expect(redactUrl('not a url //u:p@h')).toBe('not a url //u:***@h');
  });
});

describe('openStateStore', () => {
  it('creates .weft/state.db in the project directory by default, in WAL mode', async () => {
    const project = join(dir, 'proj');
    const store = await openStateStore(null, project);
    await store.close();
    const db = new Database(join(project, '.weft/state.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: SCHEMA_VERSION }]);
    db.close();
  });

  it('opens an in-memory store', async () => {
    const store = await openStateStore('sqlite::memory:', dir);
    const batch = await store.beginBatch({ project: 'p', job: 'j', lifecycle: 'build', args: '', instances: [] });
    expect((await store.lastBatch({ project: 'p', job: 'j', lifecycle: 'build', args: '' }))?.id).toBe(batch);
    await store.close();
  });

  it('rejects a bad URL before touching anything', async () => {
    await expect(openStateStore('redis://localhost', dir)).rejects.toBeInstanceOf(UsageError);
  });

  it('names the file and the fix when a SQLite store cannot be opened', async () => {
    const notADb = join(dir, 'not-a-db.db');
    writeFileSync(notADb, 'this is not a database, just text that is long enough to have a header'.repeat(10));
    const error = await openStateStore(notADb, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    expect((error as Error).message).toMatch(new RegExp(`Cannot open the SQLite state store at ${notADb}: .*not a database.*set weft.store.url`));
    mkdirSync(join(dir, 'a-directory.db'));
    await expect(openStateStore(join(dir, 'a-directory.db'), dir)).rejects.toThrow(/Cannot open the SQLite state store at .*a-directory.db/);
  });

  it('refuses a store written by a newer weft', async () => {
    const file = join(dir, 'newer.db');
    await (await openStateStore(file, dir)).close();
    const db = new Database(file);
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    const error = await openStateStore(file, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    expect((error as Error).message).toBe(
      `The state store at ${file} has schema version 99, but this weft knows versions up to ${SCHEMA_VERSION}. Upgrade weft, or point weft.store.url at another store.`,
    );
  });

  it('names host:port (password redacted) and how to start a server when PostgreSQL is unreachable', async () => {
    const error = await openStateStore('postgres://weft:s3cret@127.0.0.1:1/ops?schema=weft', dir, { connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Cannot reach the PostgreSQL state store at 127\.0\.0\.1:1 \(postgres:\/\/weft:\*\*\*@127\.0\.0\.1:1\/ops\?schema=weft\)/);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).toMatch(/pg_ctlcluster <version> main start.*pg_ctl -D <data dir> start/);
    expect(message).not.toContain('s3cret');
    expect((error as StateStoreError).code).toBe('WEFT_STORE_UNREACHABLE');
  });
});
