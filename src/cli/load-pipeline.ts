/**
 * Finds the pipeline a user module exports: its default export or an export named `pipeline`.
 * TypeScript modules load through weft's TypeScript loader (`runtime/typescript-loader.js`), registered by
 * the `weft` command before this runs.
 *
 * A module that throws while loading is reported at the user's own file:line (the first frame of
 * the error's stack in a user file), not somewhere inside the loader.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError, describeValue } from '../errors.js';
import { Pipeline, type PipelineExecutor } from '../pipeline/index.js';

/** What a pipeline module exports. */
export interface LoadedPipeline {
  pipeline: Pipeline;
  /** The module's own `executor` export, used unless -j, --backend or --conf of those keys says otherwise. */
  executor: PipelineExecutor | undefined;
  path: string;
}

/**
 * Imports `file` and returns its pipeline, or throws a `UsageError` saying what the module exports instead.
 * `verb` names what the command wanted to do with it (`run`, `plan`), for messages.
 */
/** A dataflow job module: its default export (or `main`) is an async function that runs its actions. */
export interface LoadedJob {
  main: () => unknown;
  path: string;
}

/** Imports `file`: a pipeline module, or a job module exporting `main` / a default function. */
export async function loadModule(file: string, verb = 'load'): Promise<({ kind: 'pipeline' } & LoadedPipeline) | ({ kind: 'job' } & LoadedJob)> {
  const { mod, path } = await importModule(file, verb);
  const pipeline = pipelineOf(mod, path);
  if (pipeline) return { kind: 'pipeline', ...pipeline };
  for (const candidate of [mod.main, mod.default]) {
    if (typeof candidate === 'function') return { kind: 'job', main: candidate as () => unknown, path };
  }
  throw notRunnable(file, mod);
}

/**
 * Imports `file` and returns its pipeline, or throws a `UsageError` saying what the module is instead:
 * a dataflow job module (pointing to the commands that take one), or what it exports.
 */
export async function loadPipeline(file: string, verb = 'load'): Promise<LoadedPipeline> {
  const { mod, path } = await importModule(file, verb);
  const found = pipelineOf(mod, path);
  if (found) return found;
  if (typeof mod.main === 'function' || typeof mod.default === 'function') {
    throw new UsageError(
      `${file} is a dataflow job module (it exports an async \`${typeof mod.main === 'function' ? 'main' : 'default'}\` function that runs dataset actions), ` +
        `not a pipeline: \`weft ${verb}\` works on pipelines. See its jobs → stages → tasks with \`weft explain ${file}\`, or run it with \`weft run ${file}\`.`,
    );
  }
  throw notRunnable(file, mod);
}

function pipelineOf(mod: Record<string, unknown>, path: string): LoadedPipeline | undefined {
  const executor = isExecutor(mod.executor) ? mod.executor : undefined;
  for (const candidate of [mod.default, mod.pipeline]) {
    if (Pipeline.isPipeline(candidate)) return { pipeline: candidate, executor, path };
  }
  return undefined;
}

function notRunnable(file: string, mod: Record<string, unknown>): UsageError {
  const exported = Object.keys(mod);
  return new UsageError(
    `${file} does not export a pipeline or a job: expected \`export default pipeline\`, \`export const pipeline = new Pipeline(…)\`, ` +
      `or an async \`main\` / default function that runs dataflow actions; it exports ${exported.length ? exported.map((e) => `\`${e}\` (${describeValue(mod[e])})`).join(', ') : 'nothing'}`,
  );
}

async function importModule(file: string, verb: string): Promise<{ mod: Record<string, unknown>; path: string }> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`Cannot ${verb} ${file}: no such file (looked at ${path})`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /require\(\)|ES Module|ERR_REQUIRE_ESM/.test(message)
      ? ' — the module was loaded as CommonJS: add "type": "module" to the nearest package.json or rename it to .mts (.mjs for JavaScript)'
      : '';
    const at = userFrame(error, path);
    throw new UsageError(`Cannot ${verb} ${file}: it threw while loading${at ? ` at ${at}` : ''}: ${message}${hint}`, { cause: error });
  }
  return { mod, path };
}

/** weft's own files (`src/` or `dist/`): never the user's frame. */
const ownRoot = fileURLToPath(new URL('../', import.meta.url));

/**
 * `file:line:column` of the first stack frame in a user file: the loaded module itself when it is on
 * the stack, else the first frame outside node's internals, node_modules and weft.
 */
export function userFrame(error: unknown, modulePath: string): string | undefined {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const frames: string[] = [];
  for (const line of stack.split('\n')) {
    const match = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!match) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!.replace(/[?#].*$/, '')) : match[1]!;
    frames.push(`${file}:${match[2]}:${match[3]}`);
    if (file === modulePath) return frames.at(-1);
  }
  return frames.find((f) => !f.startsWith('node:') && !f.includes('/node_modules/') && !f.startsWith(ownRoot) && f.startsWith('/'));
}

function isExecutor(value: unknown): value is PipelineExecutor {
  return typeof value === 'object' && value !== null && typeof (value as PipelineExecutor).execute === 'function';
}
