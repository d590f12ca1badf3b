// The per-backend factory of the state-store suites: every suite runs once on SQLite (a file in a
// temp dir) and once on PostgreSQL (a fresh schema per test file, dropped at the end).
//
//   for (const backend of await storeBackends('conformance')) {
//     describe.skipIf(!backend.available)(`${backend.name} store`, () => {
//       useBackend(backend);
//       it('…', async () => { const store = await backend.open(); … });
//     });
//   }
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect } from 'vitest';
import { openStateStore, type OpenStoreOptions } from '../../../src/project/store/open-store.js';
import type { StateStore } from '../../../src/project/store/state-store.js';
import pg from 'pg';
import { TEST_PG_URL, adminQuery, createTestSchema, postgresForTests, type TestSchema } from '../../helpers/postgres.js';

/** One backend of the state store under test. */
export interface StoreBackend {
  readonly name: 'sqlite' | 'postgres';
  readonly available: boolean;
  /** `weft.store.url` of this file's store; valid inside the suite (see {@link useBackend}). */
  url(): string;
  /** Opens the store (tests close what they open). */
  open(options?: OpenStoreOptions): Promise<StateStore>;
  /** Fails unless the database is intact (SQLite: `PRAGMA integrity_check`). */
  checkIntact(): Promise<void>;
  /** Runs raw SQL (no parameters) on the store's tables with a connection of its own; returns the rows. */
  raw(sql: string): Promise<Array<Record<string, unknown>>>;
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

function sqliteBackend(label: string): StoreBackend {
  let dir = '';
  const file = (): string => join(dir, 'state.db');
  return {
    name: 'sqlite',
    available: true,
    url: () => `sqlite:${file()}`,
    open: (options = {}) => openStateStore(`sqlite:${file()}`, dir, options),
    checkIntact: () => {
      const db = new Database(file(), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
      return Promise.resolve();
    },
    raw: (sql) => {
      const db = new Database(file());
      try {
        const statement = db.prepare(sql);
        return Promise.resolve(statement.reader ? (statement.all() as Array<Record<string, unknown>>) : (statement.run(), []));
      } finally {
        db.close();
      }
    },
    setup: () => {
      dir = mkdtempSync(join(tmpdir(), `weft-store-${label}-`));
      return Promise.resolve();
    },
    teardown: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function postgresBackend(label: string, available: boolean): StoreBackend {
  let schema: TestSchema | undefined;
  const url = (): string => {
    if (schema === undefined) throw new Error('the PostgreSQL schema is created in beforeAll');
    return schema.url;
  };
  return {
    name: 'postgres',
    available,
    url,
    open: (options = {}) => openStateStore(url(), tmpdir(), options),
    checkIntact: async () => {
      const name = schema?.name ?? '';
      const result = await adminQuery(`SELECT count(*)::int AS n FROM "${name}".batches b LEFT JOIN "${name}".owners o ON o.token = b.owner WHERE o.token IS NULL`);
      expect(result.rows[0]).toEqual({ n: 0 });
    },
    raw: async (sql) => {
      const client = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${schema?.name ?? ''}` });
      await client.connect();
      try {
        return (await client.query(sql)).rows as Array<Record<string, unknown>>;
      } finally {
        await client.end();
      }
    },
    setup: async () => {
      schema = await createTestSchema(label);
    },
    teardown: async () => {
      await schema?.drop();
    },
  };
}

/** SQLite, and PostgreSQL marked unavailable when the test server cannot be reached (outside CI). */
export async function storeBackends(label: string): Promise<StoreBackend[]> {
  const server = await postgresForTests();
  return [sqliteBackend(label), postgresBackend(label, server.available)];
}

/** Registers the backend's setup and teardown around the enclosing suite. */
export function useBackend(backend: StoreBackend): void {
  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());
}

let projects = 0;
/** A project name no other test of this process uses, so tests sharing one store do not see each other. */
export function freshProject(): string {
  return `p${process.pid}-${++projects}`;
}

const writer = fileURLToPath(new URL('../../fixtures/store/writer.ts', import.meta.url));

/** Starts `test/fixtures/store/writer.ts` in a child process. */
export function spawnWriter(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', writer, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Reads a child's stdout line by line: each call resolves with the next line, or rejects with the
 * child's stderr when it exits first.
 */
export function lineReader(child: ChildProcess): () => Promise<string> {
  const lines: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (let end = out.indexOf('\n'); end >= 0; end = out.indexOf('\n')) {
      lines.push(out.slice(0, end));
      out = out.slice(end + 1);
    }
    while (lines.length > 0 && waiting.length > 0) waiting.shift()?.resolve(lines.shift() ?? '');
  });
  child.on('exit', (code, signal) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`writer exited (${code ?? signal}): ${err}`));
  });
  return () => {
    const line = lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`writer exited: ${err}`));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

/** The first line the child prints. */
export function firstLine(child: ChildProcess): Promise<string> {
  return lineReader(child)();
}

/** Resolves when the child has exited, with its exit code and signal. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}
