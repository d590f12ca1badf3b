/**
 * Finds the pipeline a user module exports: its default export or an export named `pipeline`.
 * TypeScript modules load through tsx, registered by the `weft` command before this runs.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { Pipeline, type PipelineExecutor } from '../pipeline/index.js';

/** What a pipeline module exports. */
export interface LoadedPipeline {
  pipeline: Pipeline;
  /** The module's own `executor` export, used when no -j/--backend/--conf says otherwise. */
  executor: PipelineExecutor | undefined;
  path: string;
}

/** Imports `file` and returns its pipeline, or throws a `UsageError` saying what the module exports instead. */
export async function loadPipeline(file: string): Promise<LoadedPipeline> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`Cannot run ${file}: no such file (looked at ${path})`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const message = (error as Error).message;
    const hint = /require\(\)|ES Module|ERR_REQUIRE_ESM/.test(message)
      ? ' — the module was loaded as CommonJS: add "type": "module" to the nearest package.json or rename it to .mts'
      : '';
    throw new UsageError(`Cannot load ${file}: ${message}${hint}`, { cause: error });
  }
  const executor = isExecutor(mod.executor) ? mod.executor : undefined;
  for (const candidate of [mod.default, mod.pipeline]) {
    if (Pipeline.isPipeline(candidate)) return { pipeline: candidate, executor, path };
  }
  const exported = Object.keys(mod);
  throw new UsageError(
    `${file} does not export a pipeline: expected \`export default pipeline\` or \`export const pipeline = new Pipeline(…)\`; ` +
      `it exports ${exported.length ? exported.map((e) => `\`${e}\``).join(', ') : 'nothing'}`,
  );
}

function isExecutor(value: unknown): value is PipelineExecutor {
  return typeof value === 'object' && value !== null && typeof (value as PipelineExecutor).execute === 'function';
}
