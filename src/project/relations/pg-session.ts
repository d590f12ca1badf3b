/**
 * Running statements of a PostgreSQL relation: a pooled connection (or a transaction on one) for
 * the duration of an operation, and errors that say which relation, which table and which server —
 * with the password redacted — instead of a bare driver message. A server that cannot be reached
 * is reported as such, naming `host:port`.
 */
import type pg from 'pg';
import { RelationError } from '../errors.js';
import { pgPools, type PgPools } from './pg-pools.js';
import { pgEndpoint, qualified, redactPassword, type PgEndpoint, type TableName } from './pg-sql.js';

/** One PostgreSQL relation's table, where it lives, and the pools it connects through. */
export interface PgTarget {
  readonly relation: string;
  readonly url: string;
  readonly endpoint: PgEndpoint;
  readonly table: TableName;
  /** `"schema"."table"`. */
  readonly sql: string;
  readonly pools: PgPools;
}

/** A target for a relation's table at `url`. */
export function pgTarget(relation: string, url: string, table: TableName, pools: PgPools = pgPools): PgTarget {
  return { relation, url, endpoint: pgEndpoint(url), table, sql: qualified(table), pools };
}

/** `postgres://host:port/db/schema.table`: the resource name of a table (no credentials). */
export function tableResourceName(target: PgTarget): string {
  return `postgres://${target.endpoint.hostPort}/${target.endpoint.database}/${target.table.schema}.${target.table.table}`;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', '28P01', '28000', '3D000']);

/** True for errors of connecting (refused, unknown host, timeout, authentication, no such database). */
function isConnectError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECT_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /connect|Connection terminated/i.test(message) && !(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code));
}

/** The error of a failed operation, naming the relation, the table and the server. */
export function pgError(target: PgTarget, action: string, error: unknown): RelationError {
  if (error instanceof RelationError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message || (typeof code === 'string' ? code : error.name) : String(error);
  const detail = redactPassword(message, target.url);
  const where = `${target.endpoint.redacted}`;
  if (isConnectError(error)) {
    return new RelationError(target.relation, `cannot connect to PostgreSQL at ${target.endpoint.hostPort} (${where}) for relation ${target.relation}: ${detail}. Check that the server runs and the URL is right.`, {
      code: 'WEFT_RELATION_UNREACHABLE',
      cause: error,
    });
  }
  return new RelationError(target.relation, `cannot ${action} relation ${target.relation} (table ${target.table.schema}.${target.table.table} at ${where}): ${detail}`, { cause: error });
}

/** Runs `body` on a pooled connection, released afterwards; errors become {@link pgError}s. */
export async function withClient<T>(target: PgTarget, action: string, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await target.pools.get(target.url).connect();
  } catch (error) {
    throw pgError(target, action, error);
  }
  let broken = false;
  try {
    return await body(client);
  } catch (error) {
    broken = isConnectError(error);
    throw pgError(target, action, error);
  } finally {
    client.release(broken);
  }
}

/** Runs `body` in one transaction: committed when it resolves, rolled back when it throws. */
export function inTransaction<T>(target: PgTarget, action: string, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(target, action, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** The columns of the table in order, with their `information_schema` types; empty when it does not exist. */
export async function tableColumns(client: pg.ClientBase, target: PgTarget): Promise<Array<{ name: string; type: string }>> {
  const result = await client.query<{ name: string; type: string }>(
    'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [target.table.schema, target.table.table],
  );
  return result.rows;
}

/** True when the table exists. */
export async function tableExists(client: pg.ClientBase, target: PgTarget): Promise<boolean> {
  const result = await client.query<{ oid: string | null }>('SELECT to_regclass($1)::text AS oid', [target.sql]);
  return result.rows[0]?.oid !== null && result.rows[0]?.oid !== undefined;
}
