/**
 * How the PostgreSQL relation moves rows, head to head on one table of 100,000 rows × 6 columns:
 *
 * - writes: `COPY … FROM STDIN (FORMAT csv)` of CSV text streamed through pg-copy-streams (what the
 *   relation uses; the text is encoded once before the clock starts, as the dataset's tasks do it
 *   in parallel), against `INSERT … SELECT * FROM unnest($1::type[], …)` (one parameter per
 *   column) in batches of 5,000 and 20,000 rows, and multi-row `INSERT … VALUES` with one parameter
 *   per value (1,000 rows per statement);
 * - reads: a server-side cursor (`DECLARE` + `FETCH FORWARD n`, what the relation uses) with 10,000
 *   and 1,000 rows per fetch, against one plain `SELECT` that loads every row at once.
 *
 * Each figure is the best of 3 runs; ratios are against the relation's own strategy. Not part of
 * `npm run bench` because it needs a server.
 *
 * Run: WEFT_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/relations-postgres.ts
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const URL_ = process.env['WEFT_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = 100_000;
const TABLE = `weft_bench_${process.pid}`;
const COLUMNS = ['id bigint', 'shop text', 'amount double precision', 'paid boolean', 'day date', 'at timestamptz'];
const TYPES = COLUMNS.map((c) => c.slice(c.indexOf(' ') + 1));

const rows = Array.from({ length: ROWS }, (_, i) => [i, `shop ${i % 100}`, i / 7, i % 2 === 0, `2020-01-${String((i % 28) + 1).padStart(2, '0')}`, new Date(1_600_000_000_000 + i * 1000).toISOString()]);

async function best(label: string, client: pg.Client, run: () => Promise<void>, reset?: () => Promise<void>): Promise<{ label: string; ms: number }> {
  let ms = Infinity;
  for (let i = 0; i < 3; i++) {
    await reset?.();
    const start = performance.now();
    await run();
    ms = Math.min(ms, performance.now() - start);
  }
  void client;
  return { label, ms };
}

async function unnestInsert(client: pg.Client, batch: number): Promise<void> {
  const sql = `INSERT INTO ${TABLE} SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
  for (let s = 0; s < ROWS; s += batch) {
    const slice = rows.slice(s, s + batch);
    await client.query(sql, TYPES.map((_, c) => slice.map((r) => r[c])));
  }
}

/** The rows as CSV text, in chunks of 1,000 lines (the strings are already ISO text; none needs quotes). */
const csvChunks = Array.from({ length: Math.ceil(ROWS / 1000) }, (_, k) =>
  rows
    .slice(k * 1000, (k + 1) * 1000)
    .map((r) => r.join(','))
    .join('\n') + '\n',
);

async function copyCsv(client: pg.Client): Promise<void> {
  await pipeline(Readable.from(csvChunks), client.query(copyFrom(`COPY ${TABLE} FROM STDIN WITH (FORMAT csv)`)));
}

async function valuesInsert(client: pg.Client, batch: number): Promise<void> {
  for (let s = 0; s < ROWS; s += batch) {
    const slice = rows.slice(s, s + batch);
    const tuples = slice.map((_, r) => `(${TYPES.map((t, c) => `$${r * TYPES.length + c + 1}::${t}`).join(', ')})`);
    await client.query(`INSERT INTO ${TABLE} VALUES ${tuples.join(', ')}`, slice.flat());
  }
}

async function cursorRead(client: pg.Client, fetch: number): Promise<void> {
  await client.query('BEGIN READ ONLY');
  await client.query(`DECLARE c NO SCROLL CURSOR FOR SELECT * FROM ${TABLE}`);
  let n = 0;
  for (;;) {
    const { rows: got } = await client.query(`FETCH FORWARD ${fetch} FROM c`);
    n += got.length;
    if (got.length < fetch) break;
  }
  await client.query('COMMIT');
  if (n !== ROWS) throw new Error(`read ${n} rows, expected ${ROWS}`);
}

function table(title: string, results: Array<{ label: string; ms: number }>): void {
  const base = results[0]!.ms;
  console.log(`\n${title}`);
  for (const r of results) console.log(`  ${r.label.padEnd(44)} ${r.ms.toFixed(0).padStart(7)} ms  ${((ROWS / r.ms) * 1000).toFixed(0).padStart(9)} rows/s  ×${(r.ms / base).toFixed(2)}`);
}

const client = new pg.Client(URL_);
await client.connect();
try {
  await client.query(`CREATE TABLE ${TABLE} (${COLUMNS.join(', ')})`);
  const truncate = async (): Promise<void> => void (await client.query(`TRUNCATE ${TABLE}`));
  table('write 100,000 rows', [
    await best('COPY FROM STDIN, CSV (used)', client, () => copyCsv(client), truncate),
    await best('unnest arrays, 5,000 rows/statement', client, () => unnestInsert(client, 5000), truncate),
    await best('unnest arrays, 20,000 rows/statement', client, () => unnestInsert(client, 20_000), truncate),
    await best('multi-row VALUES, 1,000 rows/statement', client, () => valuesInsert(client, 1000), truncate),
  ]);
  await truncate();
  await unnestInsert(client, 5000);
  table('read 100,000 rows', [
    await best('cursor, FETCH 10,000 (used)', client, () => cursorRead(client, 10_000)),
    await best('cursor, FETCH 1,000', client, () => cursorRead(client, 1000)),
    await best('one SELECT, all rows in memory', client, async () => void (await client.query(`SELECT * FROM ${TABLE}`))),
  ]);
} finally {
  await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await client.end();
}
