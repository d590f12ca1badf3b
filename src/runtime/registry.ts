/**
 * The registry of functions defined at the top level of user modules (`step(id, fn)`).
 *
 * Code is found, not sent: the main thread and every worker import the same user module, whose
 * top-level `step()` calls register the same functions under the same (module URL, id). The module
 * URL is taken from the V8 call stack of the registering call, so users never write it. The registry
 * lives on `globalThis` so that two copies of weft in one thread (e.g. `src/` through tsx and
 * `dist/`) share it.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FunctionRef, UserFunction } from './function-ref.js';
import { DuplicateFunctionError } from './errors.js';

/** A reference to a function registered at the top level of a module. */
export type ModuleRef = Extract<FunctionRef, { kind: 'module' }>;

interface RegistryState {
  functions: Map<string, UserFunction>;
  /** Depth of user-module imports in progress in this thread. */
  loading: number;
}

const REGISTRY_KEY = Symbol.for('weft.registry');
const REF_KEY = Symbol.for('weft.functionRef');

function state(): RegistryState {
  const holder = globalThis as { [REGISTRY_KEY]?: RegistryState };
  holder[REGISTRY_KEY] ??= { functions: new Map(), loading: 0 };
  return holder[REGISTRY_KEY];
}

/** weft's own source root (`src/` or `dist/`): frames inside it are skipped when looking for the caller. */
const ownRoot = new URL('../', import.meta.url).href;

/** Normalises a stack file name or path to a `file://` URL without query or hash. */
export function toModuleUrl(fileName: string): string {
  // Some loaders report a re-imported module as a path with its query (`/x/mod.ts?v=2`).
  const url = /^[a-z][a-z0-9+.-]*:/i.test(fileName) && !/^[a-z]:[\\/]/i.test(fileName) ? fileName : pathToFileURL(fileName.replace(/\?.*$/, '')).href;
  return url.replace(/[?#].*$/, '');
}

/** The URL of the first module on the call stack that is not part of weft itself. */
export function callerModuleUrl(skip: (this: void, ...args: never[]) => unknown): string {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be restored, never called here
  const previous = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  let sites: NodeJS.CallSite[];
  try {
    Error.stackTraceLimit = 50;
    Error.prepareStackTrace = (_error, callSites) => callSites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, skip);
    sites = holder.stack as NodeJS.CallSite[];
  } finally {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = previousLimit;
  }
  for (const site of sites) {
    const file = site.getFileName();
    if (!file || file.startsWith('node:')) continue;
    const url = toModuleUrl(file);
    if (!url.startsWith('file:') || url.startsWith(ownRoot)) continue;
    return url;
  }
  throw new Error('weft could not find the module that registered a step: no user file on the call stack');
}

function registryKey(moduleUrl: string, id: string): string {
  return `${moduleUrl}#${id}`;
}

function describeFunction(fn: UserFunction): string {
  return fn.name ? `function ${fn.name}` : 'an anonymous function';
}

/**
 * Registers `fn` under `id` for the module that calls this (found on the call stack), and attaches
 * the returned reference to `fn` so {@link functionRefOf} finds it.
 *
 * @throws DuplicateFunctionError when the module already registered another function under `id`.
 * @example
 * ```ts
 * export const score = registerModuleFunction('score', (row: Row) => row.value * 2);
 * ```
 */
export function registerModuleFunction(id: string, fn: UserFunction): ModuleRef {
  const moduleUrl = callerModuleUrl(registerModuleFunction);
  return registerAt(moduleUrl, id, fn);
}

/** Like {@link registerModuleFunction} with an explicit module URL (for layers that found it themselves). */
export function registerAt(moduleUrl: string, id: string, fn: UserFunction): ModuleRef {
  const { functions } = state();
  const key = registryKey(moduleUrl, id);
  const existing = functions.get(key);
  if (existing !== undefined && existing !== fn) {
    throw new DuplicateFunctionError(id, moduleUrl, describeFunction(existing), describeFunction(fn));
  }
  functions.set(key, fn);
  const ref: ModuleRef = { kind: 'module', moduleUrl, id };
  Object.defineProperty(fn, REF_KEY, { value: ref, configurable: true, enumerable: false });
  return ref;
}

/** The module reference attached to a registered function, if any. */
export function functionRefOf(fn: UserFunction): ModuleRef | undefined {
  return (fn as unknown as { [REF_KEY]?: ModuleRef })[REF_KEY];
}

/** The function registered under (moduleUrl, id) in this thread, if its module was imported. */
export function lookupModuleFunction(moduleUrl: string, id: string): UserFunction | undefined {
  return state().functions.get(registryKey(toModuleUrl(moduleUrl), id));
}

/**
 * True while a worker imports a user module to find its functions. The pipeline layer uses it to
 * make a module's top-level `pipeline.run()` inert inside workers.
 */
export function isLoadingUserModule(): boolean {
  return state().loading > 0;
}

/** Imports a user module with {@link isLoadingUserModule} set for the duration. */
export async function importUserModule(moduleUrl: string): Promise<unknown> {
  const s = state();
  s.loading += 1;
  try {
    return (await import(moduleUrl)) as unknown;
  } finally {
    s.loading -= 1;
  }
}

/** The file path of a module URL, for messages. */
export function displayModule(moduleUrl: string): string {
  return moduleUrl.startsWith('file:') ? fileURLToPath(moduleUrl) : moduleUrl;
}
