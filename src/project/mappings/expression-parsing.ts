/** Parsing and checking the expressions of a spec at the positions where they are written. */
import type { DataType, ProjectField, ProjectSchema } from '../data-types.js';
import type { EntitySetup } from '../entity-setup.js';
import { checkExpression, parseExpression, type CheckOptions, type Expression, type ResultType } from '../expr/index.js';

/** Parses the expression text at `path` of the spec (an `ExpressionError` points into the file). */
export function parseAt(setup: EntitySetup, path: readonly (string | number)[], text: string): Expression {
  const start = setup.textStart(path);
  return parseExpression(text, start ? { location: start.location, indent: start.indent } : {});
}

/** Column name → type, for checking and compiling expressions. */
export function typesOf(schema: ProjectSchema): Record<string, DataType> {
  return Object.fromEntries(schema.fields.map((f) => [f.name, f.type]));
}

/** Checks `expression` against `schema` and returns the field it produces as `name`. */
export function fieldOf(name: string, expression: Expression, schema: ProjectSchema, options?: CheckOptions): ProjectField {
  const result: ResultType = checkExpression(expression, schema, options);
  return { name, type: result.type, nullable: result.nullable };
}
