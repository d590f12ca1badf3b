/**
 * User functions whose whole body is a well-known expression, recognised from their source so
 * that a task can run them column-wise instead of calling them record by record — the way a SQL
 * engine runs `split_part` or a literal tuple itself rather than through a UDF. Only shapes whose
 * meaning is fixed by the language are recognised, and a task uses the columnar form only where
 * it gives exactly what calling the function would (see exec/token-count.ts); anywhere else the
 * function is simply called.
 *
 * | intrinsic | function shape (any parameter name; arrow or `function`) |
 * |-----------|-----------------------------------------------------------|
 * | `split`   | `(s) => s.split(' ')` — a one-character string literal    |
 * | `pair`    | `(x) => [x, 1]` — the value and a number literal          |
 */
import { parse } from 'acorn';
import type { UserFunction } from '../../runtime/index.js';

/** A recognised function: what it computes, as plain data a worker can act on. */
export type Intrinsic =
  /** `value.split(separator)` of a string value. */
  | { kind: 'split'; separator: string }
  /** `[value, second]`. */
  | { kind: 'pair'; second: number };

/** A node of acorn's ESTree output, as far as this module reads it. */
interface Node {
  type: string;
  [key: string]: unknown;
}

const cache = new WeakMap<UserFunction, Intrinsic | null>();

/** The intrinsic `fn` computes, or `undefined` when its body is anything else. Cached per function. */
export function intrinsicOf(fn: UserFunction): Intrinsic | undefined {
  let known = cache.get(fn);
  if (known === undefined) cache.set(fn, (known = recognise(fn.toString()) ?? null));
  return known ?? undefined;
}

function recognise(text: string): Intrinsic | undefined {
  // Both shapes are short; anything long is something else (and not worth parsing).
  if (text.length > 200 || !/split|\[/.test(text)) return undefined;
  let program: Node;
  try {
    program = parse(`(${text})`, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as Node;
  } catch {
    return undefined;
  }
  const statement = (program.body as Node[])[0];
  const fn = statement?.type === 'ExpressionStatement' ? (statement.expression as Node) : undefined;
  if (fn === undefined || (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') || fn.async === true || fn.generator === true) return undefined;
  const param = (fn.params as Node[])[0];
  if (param?.type !== 'Identifier') return undefined;
  const body = returned(fn.body as Node);
  return body === undefined ? undefined : (splitOf(body, param.name as string) ?? pairOf(body, param.name as string));
}

/** The expression a function body gives back: an arrow's expression, or a block's lone `return`. */
function returned(body: Node): Node | undefined {
  if (body.type !== 'BlockStatement') return body;
  const statements = body.body as Node[];
  return statements.length === 1 && statements[0]!.type === 'ReturnStatement' ? ((statements[0]!.argument as Node | null) ?? undefined) : undefined;
}

function isParam(node: Node | undefined, name: string): boolean {
  return node?.type === 'Identifier' && node.name === name;
}

/** `param.split('c')`. */
function splitOf(body: Node, name: string): Intrinsic | undefined {
  if (body.type !== 'CallExpression' || body.optional === true) return undefined;
  const callee = body.callee as Node;
  const args = body.arguments as Node[];
  if (callee.type !== 'MemberExpression' || callee.computed === true || callee.optional === true || !isParam(callee.object as Node, name)) return undefined;
  if ((callee.property as Node).name !== 'split' || args.length !== 1) return undefined;
  const separator = args[0]!;
  if (separator.type !== 'Literal' || typeof separator.value !== 'string' || separator.value.length !== 1) return undefined;
  return { kind: 'split', separator: separator.value };
}

/** `[param, number]`. */
function pairOf(body: Node, name: string): Intrinsic | undefined {
  if (body.type !== 'ArrayExpression') return undefined;
  const elements = body.elements as Array<Node | null>;
  const second = elements[1];
  if (elements.length !== 2 || !isParam(elements[0] ?? undefined, name) || second?.type !== 'Literal' || typeof second.value !== 'number') return undefined;
  return { kind: 'pair', second: second.value };
}
