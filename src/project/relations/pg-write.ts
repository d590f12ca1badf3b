/**
 * Writing rows into a PostgreSQL table inside the caller's transaction: the rows arrive as CSV part
 * files (see `staged-csv.ts`; conformed to the columns' types and given the partition's values by
 * the dataset's tasks, in parallel) and stream into the table with `COPY … FROM STDIN (FORMAT csv)`
 * through pg-copy-streams, the server parsing them. Measured on 100,000 rows × 6 columns
 * (bench/relations-postgres.ts): COPY of CSV text is the fastest way in, ahead of one
 * `INSERT … SELECT * FROM unnest($1::type[], …)` per 5,000 rows and far ahead of multi-row
 * `INSERT … VALUES`; and a write never holds more than one part's buffer of rows.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { csvField } from '../../dataflow/sinks/csv-encoder.js';
import type { DataType } from '../data-types.js';
import { PG_COLUMN_TYPES, quoteIdent } from './pg-sql.js';
import type { PgTarget } from './pg-session.js';

/** A column of the table being written. */
export interface PgColumn {
  readonly name: string;
  readonly type: DataType;
}

/**
 * Creates the table if it does not exist, safely when several writers (e.g. `-j` instances) do it
 * at once: PostgreSQL's `CREATE TABLE IF NOT EXISTS` alone races on its catalog ("duplicate key …
 * pg_type"), so a transaction-scoped advisory lock on the table's name serialises the creators.
 * Inside a transaction (`inTransaction`) the lock lasts until it ends; otherwise one is opened.
 */
export async function createTable(client: pg.PoolClient, target: PgTarget, columns: readonly PgColumn[], inTransaction: boolean): Promise<void> {
  if (!inTransaction) await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [target.sql]);
    await client.query(createTableSql(target, columns));
    if (!inTransaction) await client.query('COMMIT');
  } catch (error) {
    if (!inTransaction) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** `CREATE TABLE IF NOT EXISTS` for the columns (partition columns are ordinary columns). */
export function createTableSql(target: PgTarget, columns: readonly PgColumn[]): string {
  return `CREATE TABLE IF NOT EXISTS ${target.sql} (${columns.map((c) => `${quoteIdent(c.name)} ${PG_COLUMN_TYPES[c.type]}`).join(', ')})`;
}

/**
 * Streams CSV part files into the table's `columns` (each file's header row must name exactly those,
 * in that order; it is checked, so a file can never fill the wrong columns) with COPY.
 */
export async function copyCsvParts(client: pg.ClientBase, target: PgTarget, columns: readonly string[], files: readonly string[], signal: AbortSignal): Promise<void> {
  if (columns.length === 0) return;
  const header = columns.map((c) => csvField(c, ',')).join(',');
  const sql = `COPY ${target.sql} (${columns.map(quoteIdent).join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`;
  for (const file of files) {
    signal.throwIfAborted();
    const first = await firstLine(file);
    if (first === undefined) continue;
    if (first !== header) throw new Error(`the staged rows in ${file} have the columns ${first}, expected ${header}`);
    await pipeline(createReadStream(file), client.query(copyFrom(sql)), { signal });
  }
}

/** The first line of a file (without its line end), or undefined for an empty file. */
async function firstLine(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    let text = '';
    const buffer = Buffer.alloc(1 << 14);
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return text === '' ? undefined : text;
      text += buffer.toString('utf8', 0, bytesRead);
      position += bytesRead;
      const end = text.indexOf('\n');
      if (end >= 0) return text.slice(0, end).replace(/\r$/, '');
    }
  } finally {
    await handle.close();
  }
}
