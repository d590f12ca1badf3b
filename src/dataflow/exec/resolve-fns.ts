/**
 * Finding a task's user functions in the worker that runs it (cached per worker): `module` refs by
 * import, exported plain functions by their export name, `source` lambdas compiled once — at the
 * user's file, line and column, so a frame of the lambda in an error's stack reads
 * `/path/job.ts:12:31` instead of `eval at compileSource … <anonymous>:3:42`.
 */
import { Script } from 'node:vm';
import { UsageError } from '../../errors.js';
import { isWeftWorker, type UserFunction } from '../../runtime/index.js';
import { resolveFunction } from '../../runtime/function-resolver.js';
import { TYPESCRIPT_FILE, registerTypeScriptLoader } from '../../runtime/typescript-loader.js';
import { importUserModule } from '../../runtime/registry.js';
import type { SourcePosition } from '../plan/call-site.js';
import type { ExportRef } from '../plan/exported-function.js';
import type { FnSpec, KeySpec, TaskSpec } from './task-spec.js';

/** Every function spec a task uses: its chain's, its join keys', its output key's. */
function specsOf(spec: TaskSpec): FnSpec[] {
  const specs: FnSpec[] = [];
  const addKey = (key: KeySpec): void => {
    if (key.kind === 'fn') specs.push(key.fn);
  };
  for (const op of spec.chain) {
    if ('fn' in op) specs.push(op.fn);
    if ('key' in op) addKey(op.key);
  }
  if (spec.input.kind === 'join') {
    addKey(spec.input.leftKey);
    addKey(spec.input.rightKey);
  }
  if ('key' in spec.output) addKey(spec.output.key);
  return specs;
}

/** Resolves every user function of a task. */
export async function resolveFns(spec: TaskSpec): Promise<Map<FnSpec, UserFunction>> {
  const specs = specsOf(spec);
  const typescript = isWeftWorker();
  const resolved = await Promise.all(specs.map((s) => resolveOne(s, typescript)));
  return new Map(specs.map((s, i) => [s, resolved[i]!]));
}

async function resolveOne(spec: FnSpec, typescript: boolean): Promise<UserFunction> {
  if (spec.exported !== undefined) return importExport(spec.exported, spec.label, typescript);
  if (spec.ref.kind === 'source' && spec.site !== undefined) return compileAt(spec.ref.source, spec.ref.id, spec.site, spec.label);
  return resolveFunction(spec.ref, spec.label, { typescript });
}

const exportsFound = new Map<string, UserFunction>();

async function importExport(ref: ExportRef, label: string, typescript: boolean): Promise<UserFunction> {
  const key = `${ref.moduleUrl}#${ref.name}`;
  const cached = exportsFound.get(key);
  if (cached) return cached;
  if (typescript && TYPESCRIPT_FILE.test(ref.moduleUrl)) await registerTypeScriptLoader();
  const namespace = (await importUserModule(ref.moduleUrl)) as Record<string, unknown>;
  const fn = namespace[ref.name];
  if (typeof fn !== 'function') {
    throw new UsageError(
      `${label}: expected ${ref.moduleUrl} to export a function named \`${ref.name}\` for the worker to import, got ${typeof fn}. ` +
        `Declare the function with \`step('${ref.name}', fn)\` (or \`registerAt\`) at the top level of its module, or pass a self-contained lambda.`,
    );
  }
  exportsFound.set(key, fn as UserFunction);
  return fn as UserFunction;
}

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

/**
 * Compiles a checked lambda so that its first character sits at `site`: one wrapper line above it,
 * then the lambda indented to its column (the checked source is the lambda in parentheses, hence
 * one column less). The file name is the user's path, which no loaded module's source map claims.
 */
function compileAt(source: string, id: string, site: SourcePosition, label: string): UserFunction {
  const key = `${id}@${site.file}:${site.line}:${site.column}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const indent = ' '.repeat(Math.max(0, site.column - (source.startsWith('(') ? 2 : 1)));
  const code = `(function (__name) { "use strict"; return (\n${indent}${source}\n); })`;
  let fn: unknown;
  try {
    const factory = new Script(code, { filename: site.file, lineOffset: site.line - 2 }).runInThisContext() as (shim: typeof nameShim) => unknown;
    fn = factory(nameShim);
  } catch (error) {
    throw new UsageError(`${label}: its source did not compile in the worker (${(error as Error).message})`);
  }
  if (typeof fn !== 'function') throw new UsageError(`${label}: its source did not evaluate to a function`);
  compiled.set(key, fn as UserFunction);
  return fn as UserFunction;
}
