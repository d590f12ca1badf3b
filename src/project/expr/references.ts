/**
 * Which input columns an expression reads, for dependency analysis and projection push-down.
 */
import { walk, type Expr, type Expression } from './ast.js';

/** The names of the columns `expression` reads, once each, in order of first appearance. */
export function referencedColumns(expression: Expression | Expr): string[] {
  const names = new Set<string>();
  for (const node of walk('root' in expression ? expression.root : expression)) {
    if (node.kind === 'column') names.add(node.name);
  }
  return [...names];
}
