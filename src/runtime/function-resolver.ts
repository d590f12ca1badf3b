/**
 * Turns a {@link FunctionRef} back into a function where the task runs: imports the module of a
 * `module` ref (registering the TypeScript loader first when the module is TypeScript and nothing
 * can load it yet), compiles a `source` ref once, returns a `local` ref's closure.
 */
import type { FunctionRef, UserFunction } from './function-ref.js';
import { FunctionNotFoundError, UnsupportedFunctionError } from './errors.js';
import { importUserModule, lookupModuleFunction } from './registry.js';
import { TYPESCRIPT_FILE, registerTypeScriptLoader } from './typescript-loader.js';

/** Shim for esbuild's `keepNames` helper, which tsx-compiled lambdas call. */
function nameShim<T>(target: T, value: string): T {
  try {
    Object.defineProperty(target, 'name', { value, configurable: true });
  } catch {
    // a frozen or non-function target keeps its name
  }
  return target;
}

const compiled = new Map<string, UserFunction>();

/** Compiles the expression of a `source` ref, caching by id. */
export function compileSource(source: string, id: string, label: string): UserFunction {
  const cached = compiled.get(id);
  if (cached) return cached;
  let fn: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiling checked lambda source is the purpose
    fn = (new Function('__name', `"use strict"; return ${source};`) as (shim: typeof nameShim) => unknown)(nameShim);
  } catch (error) {
    throw new UnsupportedFunctionError(label, `its source did not compile in the worker (${(error as Error).message})`);
  }
  if (typeof fn !== 'function') throw new UnsupportedFunctionError(label, 'its source did not evaluate to a function');
  compiled.set(id, fn as UserFunction);
  return fn as UserFunction;
}

/** Imports the module of a `module` ref (once per thread) and finds the function in the registry. */
export async function resolveModuleFunction(moduleUrl: string, id: string, options: { typescript: boolean }): Promise<UserFunction> {
  const found = lookupModuleFunction(moduleUrl, id);
  if (found) return found;
  if (options.typescript && TYPESCRIPT_FILE.test(moduleUrl)) await registerTypeScriptLoader();
  try {
    await importUserModule(moduleUrl);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FunctionNotFoundError(id, moduleUrl, {
      cause: error,
      detail: `step "${id}" could not be loaded: importing ${moduleUrl} in a worker failed: ${message}`,
    });
  }
  const fn = lookupModuleFunction(moduleUrl, id);
  if (!fn) throw new FunctionNotFoundError(id, moduleUrl);
  return fn;
}

/**
 * Resolves any ref. `typescript` says whether this thread may need tsx to import `.ts` modules
 * (true in workers; the main thread already runs under whatever loaded the user's code).
 */
export async function resolveFunction(ref: FunctionRef, label: string, options: { typescript: boolean }): Promise<UserFunction> {
  switch (ref.kind) {
    case 'local':
      return ref.fn;
    case 'source':
      return compileSource(ref.source, ref.id, label);
    case 'module':
      return resolveModuleFunction(ref.moduleUrl, ref.id, options);
  }
}
