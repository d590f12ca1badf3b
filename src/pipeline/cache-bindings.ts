/**
 * The part of a step-cache key that code cannot show: the values of the bindings the step
 * function reads from its module, as they are when the step is about to run. A module that
 * computes `const factor = Number(process.env.FACTOR)` at import time gives the same code a
 * different result when FACTOR changes; keying the code alone would return a stale output.
 *
 * Which bindings: the free variables of the step function (the lambda check's parser) that one of
 * its enclosing scopes declares, and those of the functions of the same file it reads, transitively
 * (see `runtime/closure-bindings.ts`). Their values are encoded canonically (`canonical.ts`).
 * Imports of Node builtins and packages count as code (keyed by the module fingerprint as
 * `name@version`), as do functions and module namespaces. A binding whose value is not plain data
 * (a class instance, a socket, a promise) cannot be keyed stably: the step is refused, naming it.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import { closureBindings, type ClosureBinding } from '../runtime/closure-bindings.js';
import { encodeBindingValue } from './canonical.js';
import { UncacheableStepError } from './errors.js';
import { importedBindings, isPackageImport } from './module-fingerprint.js';

type AnyFunction = (...args: never[]) => unknown;

/**
 * Feeds the values of the module-level bindings `fn` reads to `hash`.
 *
 * @throws {UncacheableStepError} when one of them cannot be keyed stably, naming the step, the binding and the fix.
 */
export function hashBindings(fn: AnyFunction, moduleUrl: string | undefined, label: string, hash: Hash): void {
  let bindings: ClosureBinding[];
  try {
    bindings = closureBindings(fn);
  } catch (error) {
    throw new UncacheableStepError(
      `${label} has cache: true, but the values of the module-level bindings it reads could not be read (${(error as Error).message}), so a cached output could be stale. Set cache: false.`,
      { cause: error },
    );
  }
  if (bindings.length === 0) return;
  const module = moduleUrl === undefined ? undefined : moduleImports(moduleUrl);
  let cjs: Set<unknown> | undefined;
  const isCode = (value: object): boolean =>
    types.isModuleNamespaceObject(value) || (module?.exports.has(value) ?? false) || (cjs ??= cjsExports()).has(value);
  const sorted = [...bindings].sort((a, b) => compare(`${a.via.join('>')}>${a.name}`, `${b.via.join('>')}>${b.name}`));
  for (const binding of sorted) {
    hash.update(`B${binding.via.join('>')}>${binding.name}\0`);
    // An import of a builtin or a package is code, keyed by the fingerprint as name@version.
    if (binding.via.length === 0 && module?.packageNames.has(binding.name)) {
      hash.update('i');
      continue;
    }
    const problem = encodeBindingValue(binding.value, hash, binding.name, isCode);
    if (problem !== undefined) throw unkeyable(label, binding, problem.path, problem.found);
  }
}

/**
 * Checks before a run starts that every module-level binding `fn` reads can be keyed.
 *
 * @throws {UncacheableStepError} naming the step, the binding and the fix.
 */
export function assertCacheable(fn: AnyFunction, moduleUrl: string | undefined, label: string): void {
  hashBindings(fn, moduleUrl, label, createHash('sha256'));
}

function unkeyable(label: string, binding: ClosureBinding, path: string, found: string): UncacheableStepError {
  const through = binding.via.length === 0 ? '' : ` (through ${binding.via.map((v) => `\`${v}\``).join(' → ')})`;
  const where = path === binding.name ? '' : ` at \`${path}\``;
  return new UncacheableStepError(
    `${label} has cache: true, but it reads the module-level binding \`${binding.name}\`${through}, which holds ${found}${where}: ` +
      'only plain data (primitives, arrays, plain objects, Map, Set, Date, RegExp, typed arrays) and functions can be part of a cache key, ' +
      'so a cached output could be stale. Pass what the step needs as params or inputs, create the value inside the step, or set cache: false.',
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface ModuleImports {
  /** Local names the module binds to imports of builtins and packages. */
  packageNames: Set<string>;
  /** The exports objects of the builtins it imports (a default import of `node:fs` is one). */
  exports: Set<object>;
}

/** What a module imports, from its source; nothing for a module that is not a readable file. */
function moduleImports(moduleUrl: string): ModuleImports {
  const out: ModuleImports = { packageNames: new Set(), exports: new Set() };
  if (!moduleUrl.startsWith('file:')) return out;
  const file = fileURLToPath(moduleUrl);
  if (!existsSync(file)) return out;
  for (const [local, spec] of importedBindings(readFileSync(file, 'utf8'))) {
    if (!isPackageImport(spec, file)) continue;
    out.packageNames.add(local);
    if (spec.startsWith('node:') || isBuiltin(spec)) {
      // Already loaded by the module that imports it: asking for it loads nothing new.
      const loaded = process.getBuiltinModule(spec) as unknown;
      if (loaded !== null && (typeof loaded === 'object' || typeof loaded === 'function')) out.exports.add(loaded);
    }
  }
  return out;
}

/** The exports of every CommonJS module loaded (TypeScript compiled to CommonJS binds whole modules). */
function cjsExports(): Set<unknown> {
  const cache = createRequire(import.meta.url).cache;
  return new Set(Object.values(cache).map((m): unknown => m?.exports));
}
