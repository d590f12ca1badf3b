/** Checks of mapping specs against their inputs' schemas, with errors that list what exists. */
import { closest } from '../../config/suggest.js';
import type { ProjectSchema } from '../data-types.js';
import { ProjectError } from '../errors.js';
import type { SourceLocation } from '../location.js';

/**
 * Throws when `schema` lacks one of `columns`, naming it, suggesting a close name and listing the
 * columns there are.
 */
export function requireColumns(schema: ProjectSchema, columns: readonly string[], what: string, location: SourceLocation | undefined): void {
  const names = schema.fields.map((f) => f.name);
  for (const column of columns) {
    if (names.includes(column)) continue;
    const near = closest(column, names, 1);
    throw new ProjectError(`${what} has no column \`${column}\`${near.length > 0 ? `; did you mean \`${near[0]}\`?` : ''} (columns: ${names.join(', ') || 'none'})`, { location });
  }
}
