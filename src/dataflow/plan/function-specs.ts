/**
 * Turning a plan's user functions into references a worker can find — before any work starts, so
 * that `explain()`, `weft explain` and every action fail the same way on a function no worker can
 * run (DESIGN.md principle 3). A function registered with `step()` is imported by its module and
 * id; on the `async` backend any closure runs as it is; elsewhere a lambda travels as source after
 * the check that it captures nothing, compiled in the worker at the user's file and line; a named
 * module function that captures is found by its export name. Anything else fails with an error
 * that names the operator, the lambda's `file:line:column`, the variables and the dataflow fix.
 */
import type { BackendKind } from '../../events.js';
import { CapturedVariableError, UnsupportedFunctionError, assertSendable, functionRefOf, toFunctionRef, type FunctionRef } from '../../runtime/index.js';
import type { FnSpec } from '../exec/task-spec.js';
import { formatPosition } from './call-site.js';
import { exportedFunction } from './exported-function.js';
import { intrinsicOf } from './intrinsics.js';
import type { UserFn } from './logical.js';
import { userFunctionsOf, type PhysicalPlan } from './physical.js';

/** Operators whose functions take `{ with }`, and where their `ctx` argument is. */
const WITH_SIGNATURES: Readonly<Record<string, string>> = {
  map: '(value, ctx)',
  flatMap: '(value, ctx)',
  filter: '(value, ctx)',
  keyBy: '(record, ctx)',
  groupBy: '(record, ctx)',
  reduce: '(a, b, ctx)',
};

/** Every user function of the plan as a {@link FnSpec}, or the error of the first that no worker could run. */
export function functionSpecs(plan: PhysicalPlan, backend: BackendKind): Map<UserFn, FnSpec> {
  const specs = new Map<UserFn, FnSpec>();
  for (const { fn, where } of userFunctionsOf(plan)) {
    if (specs.has(fn)) continue;
    specs.set(fn, functionSpec(fn, where, backend));
  }
  return specs;
}

function functionSpec(fn: UserFn, where: string, backend: BackendKind): FnSpec {
  const label = `${where}: ${fn.label}`;
  const intrinsic = intrinsicOf(fn.fn);
  const extras = { ...(fn.with !== undefined ? { with: fn.with } : {}), ...(intrinsic !== undefined ? { intrinsic } : {}) };
  if (backend !== 'async' && fn.with !== undefined) assertSendable(fn.with, { label, path: 'with' });
  let ref: FunctionRef;
  try {
    ref = toFunctionRef(fn.fn, label, backend);
  } catch (error) {
    if (!(error instanceof CapturedVariableError || error instanceof UnsupportedFunctionError)) throw error;
    const exported = functionRefOf(fn.fn) === undefined ? exportedFunction(fn.fn, fn.site?.call) : undefined;
    if (exported !== undefined) {
      return { ref: { kind: 'module', moduleUrl: exported.moduleUrl, id: `export:${exported.name}` }, label, exported, ...extras };
    }
    throw explained(error, fn, where);
  }
  const lambda = ref.kind === 'source' ? fn.site?.lambda : undefined;
  return { ref, label, ...extras, ...(lambda !== undefined ? { site: lambda } : {}) };
}

/** The runtime's error, told in dataflow terms: the operator, the lambda's position and the fix. */
function explained(error: CapturedVariableError | UnsupportedFunctionError, fn: UserFn, where: string): Error {
  const at = fn.site?.lambda;
  const place = at === undefined ? '' : ` at ${formatPosition(at)}`;
  const declare = `declare the function with \`step('id', fn)\` (or \`registerAt\`) at the top level of its module, or export it from the module that calls \`${fn.op ?? 'the operator'}\`, so the worker imports it`;
  if (error instanceof UnsupportedFunctionError) {
    error.message = `${where}${place}: ${error.message.replace(/^.*? cannot run in a worker: /, 'its function cannot run in a worker: ')}`;
    return error;
  }
  const names = error.variables.split(', ');
  const keys = names.map((name) => /^(?:globalThis|global|self)\.([A-Za-z_$][\w$]*)$/.exec(name)?.[1] ?? name);
  const list = keys.join(', ');
  const signature = fn.op === undefined ? undefined : WITH_SIGNATURES[fn.op];
  const fix =
    signature === undefined
      ? `use a field name as the key instead, or ${declare}`
      : `pass ${keys.length === 1 ? 'it' : 'them'} explicitly — \`.${fn.op}(${signature} => … ctx.with.${keys[0]} …, { with: { ${list} } })\` — ` +
        `and read \`ctx.with.${keys[0]}\` inside the function; or ${declare}`;
  error.message =
    `${where}${place} cannot run in a worker: its function reads ${names.map((n) => `\`${n}\``).join(', ')} from outside its own body, ` +
    `and a worker cannot see the variables of the thread that created the function. Fix: ${fix}.`;
  return error;
}

