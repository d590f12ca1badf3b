/**
 * Type checking of function calls: the name (with "did you mean"), the number of arguments, each
 * argument's type against the function table, literal patterns, and where aggregates may appear.
 */
import type { CallNode } from './ast.js';
import { AGGREGATE_FUNCTIONS, aggregateFunction, aggregateKind, aggregateNullable, aggregateResultType, type AggregateDef } from './aggregate-functions.js';
import type { CheckScope, NodeType } from './check.js';
import { describeKind, describeOperand, fitsKind } from './describe.js';
import { didYouMean } from './format-error.js';
import type { Fail, FunctionDef } from './function-def.js';
import { acceptsArity, describeArity, forbiddenReason, scalarFunction, SCALAR_FUNCTIONS } from './functions.js';
import type { ExprType } from './types.js';

const ALL_NAMES = [...SCALAR_FUNCTIONS, ...AGGREGATE_FUNCTIONS].map((def) => def.name);

/** The type of a call; throws through `scope.fail`. */
export function checkCall(scope: CheckScope, node: CallNode): NodeType {
  const aggregate = aggregateFunction(node.name);
  if (aggregate) return checkAggregate(scope, node, aggregate);
  const reason = forbiddenReason(node.name);
  if (reason) return scope.fail(node.at, `\`${node.name}()\` is not available: ${reason}`);
  const def = scalarFunction(node.name);
  if (!def) return scope.fail(node.at, `unknown function \`${node.name}\`${didYouMean(node.name, ALL_NAMES) || '.'} See docs/expressions.md for every function`);
  if (node.distinct) scope.fail(node.at, `expected \`DISTINCT\` only in \`COUNT(DISTINCT x)\`, found it in \`${node.name}\``);
  if (!acceptsArity(def, node.args.length)) {
    const arity = describeArity(def);
    scope.fail(node.at, `expected ${arity} argument${/(^|\D)1$/.test(arity) ? '' : 's'} for ${def.signature}, got ${node.args.length}`);
  }
  const types = node.args.map((arg) => scope.visit(arg));
  node.args.forEach((arg, i) => {
    const kind = def.params[Math.min(i, def.params.length - 1)] ?? 'any';
    const type = types[i]?.type ?? 'null';
    if (!fitsKind(type, kind)) scope.fail(arg.at, `expected ${describeKind(kind)} as argument ${i + 1} of ${def.signature}, got ${describeOperand(arg, type)}`);
  });
  const fail: Fail = (index, message) => scope.fail(index < 0 ? node.at : (node.args[index]?.at ?? node.at), `${message} (in ${def.signature})`);
  const result = def.result(
    types.map((t) => t.type),
    fail,
  );
  def.validate?.(node.args, fail);
  return { type: result, nullable: callNullable(def, types) };
}

function callNullable(def: FunctionDef, types: readonly NodeType[]): boolean {
  switch (def.nullable ?? 'args') {
    case 'always':
      return true;
    case 'all':
      return types.every((t) => t.nullable);
    case 'args':
      return types.some((t) => t.nullable);
  }
}

function checkAggregate(scope: CheckScope, node: CallNode, def: AggregateDef): NodeType {
  if (scope.options.aggregate !== true) {
    scope.fail(node.at, `expected a value per row here, found the aggregate function \`${node.name}\`; aggregates belong in an aggregation (an \`aggregate\` mapping's aggregations)`);
  }
  if (scope.aggregate !== undefined) {
    scope.fail(node.at, `expected a value per row inside \`${scope.aggregate}\`, found the aggregate function \`${node.name}\`; aggregates cannot be nested`);
  }
  if (node.distinct && node.name !== 'COUNT') scope.fail(node.at, `expected \`DISTINCT\` only in \`COUNT(DISTINCT x)\`, found it in \`${node.name}\``);
  if (!node.star && node.args.length !== 1) scope.fail(node.at, `expected 1 argument for ${def.signature}, got ${node.args.length}`);
  const kind = aggregateKind(node);
  if (node.star) return { type: aggregateResultType(kind, 'null'), nullable: false };
  const argument = node.args[0];
  if (argument === undefined) return scope.fail(node.at, `expected 1 argument for ${def.signature}, got 0`);
  scope.aggregate = node.name;
  let type: ExprType;
  try {
    type = scope.visit(argument).type;
  } finally {
    scope.aggregate = undefined;
  }
  if (!fitsKind(type, def.param)) scope.fail(argument.at, `expected ${describeKind(def.param)} as the argument of ${node.name}, got ${describeOperand(argument, type)}`);
  return { type: aggregateResultType(kind, type), nullable: aggregateNullable(kind) };
}
