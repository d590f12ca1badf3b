/** Rows as an aligned text table, for the console target and `weft mapping show`. */

/** How one value reads in a table cell. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return value.getUTCHours() + value.getUTCMinutes() + value.getUTCSeconds() + value.getUTCMilliseconds() === 0 ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** A table of `columns` over `rows` with a header and a rule; long cells are cut at 40 characters. */
export function formatRows(columns: readonly string[], rows: readonly unknown[]): string {
  const cells = rows.map((row) => columns.map((c) => cut(formatCell((row as Record<string, unknown>)[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]): string => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), `(${rows.length} row${rows.length === 1 ? '' : 's'})`].join('\n');
}

function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
