/**
 * The text of `weft config --explain`: every setting with its resolved value, where the value came
 * from, and what it does — the "where did this come from" answer of DESIGN.md principle 5.
 */
import type { ResolvedConfig } from './resolved-config.js';
import type { ConfigSource } from './settings.js';

/** How a value reads in a table: strings bare, `null`, maps as compact JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** How a source reads: `default (built-in)`, `file /abs/weft.config.yaml:3:5`, `env WEFT_CONF_…`, `cli --conf`, `code`. */
export function formatSource(source: ConfigSource): string {
  if (source.kind === 'default') return `default (${source.where})`;
  return source.where === source.kind ? source.kind : `${source.kind} ${source.where}`;
}

/**
 * A plain-text table with one line per setting: KEY, VALUE, SOURCE, DESCRIPTION, columns aligned
 * and no trailing spaces.
 *
 * @example
 * ```text
 * KEY                    VALUE   SOURCE               DESCRIPTION
 * weft.execution.backend thread  default (built-in)   Where tasks run: …
 * ```
 */
export function formatExplain(config: ResolvedConfig): string {
  const rows = [
    ['KEY', 'VALUE', 'SOURCE', 'DESCRIPTION'],
    ...config.explain().map((row) => [row.key, formatValue(row.value), formatSource(row.source), row.description]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}
