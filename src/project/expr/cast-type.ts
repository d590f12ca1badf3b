/**
 * The type name of `CAST(x AS type)`: every name a project file may use for a data type
 * (`parseDataType`), with "did you mean" for a misspelt one.
 */
import { DATA_TYPE_ALIASES, parseDataType, type DataType } from '../data-types.js';
import { didYouMean, expressionError, type ExpressionSource } from './format-error.js';
import type { Token } from './lexer.js';

/** The canonical type named by `token`; throws `ExpressionError` listing the known names. */
export function parseCastType(source: ExpressionSource, token: Token): DataType {
  const type = parseDataType(token.value);
  if (type !== undefined) return type;
  const names = Object.keys(DATA_TYPE_ALIASES);
  const suggestion = didYouMean(token.value.toLowerCase(), names);
  throw expressionError(source, token.at, `expected a type name after \`AS\`, found \`${token.text}\`${suggestion || '.'} Types: ${names.join(', ')}`);
}
