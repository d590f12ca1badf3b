/**
 * The main-thread side of a dataset write: stage, then commit or abort, so that a failed or
 * cancelled job leaves no half-written output and never clobbers the previous one (issue 3 §1).
 *
 * Tasks write their parts into a hidden staging directory next to the target
 * (`<parent>/.<name>.weft-staging-<jobId>`). {@link commitWrite} then runs these steps, in order:
 *
 * 1. `clean`  — remove temporary files that failed task attempts left in the staging directory;
 * 2. `marker` — write `_SUCCESS` (row count, time) into the staging directory;
 * 3. `aside`  — rename the existing target, if any, to `<parent>/.<name>.weft-old-<jobId>`;
 * 4. `swap`   — rename the staging directory to the target. **This is the commit point.**
 * 5. `remove` — delete the old output set aside in step 3.
 *
 * Both renames are atomic within one directory, so at every instant the old output is complete
 * (at the target, or set aside) or the new one is (staged, or at the target). A failure in steps
 * 1–3 leaves the target untouched; a failure in step 4 renames the old output back (`rollback`);
 * a failure in step 5 is not a failure of the commit (the new output is in place) and the leftover
 * is deleted later. If the process dies between steps 3 and 4, or the rollback itself fails,
 * {@link recoverWrite} (run by every {@link beginWrite} and {@link abortWrite}) puts the old
 * output back; after step 4 it only deletes the leftover old copy.
 *
 * Concurrent writes to one target are not supported: two jobs committing the same path race.
 */
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { describeValue } from '../../errors.js';
import { SinkError } from './errors.js';
import type { SinkOptions, WriteJob } from './sink-options.js';
import { fillSinkOptions } from './sink-options.js';
import { errnoCode, isTempPartName } from './write-part.js';

/** Name of the marker file a committed output holds. */
export const SUCCESS_MARKER = '_SUCCESS';

/** The steps of {@link commitWrite}, in order, plus the rollback of a failed `swap`. */
export type CommitStep = 'clean' | 'marker' | 'aside' | 'swap' | 'remove' | 'rollback';

/** Test hooks: called before each commit step; throwing simulates a failure (or crash) there. */
export interface CommitHooks {
  beforeStep?(step: CommitStep, job: WriteJob): void | Promise<void>;
}

/** The content of the `_SUCCESS` marker (JSON). */
export interface SuccessMarker {
  readonly rows: number;
  /** ISO-8601 time of the commit. */
  readonly committedAt: string;
  readonly format?: string;
}

const STAGING_INFIX = '.weft-staging-';
const OLD_INFIX = '.weft-old-';
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Starts a dataset write (main thread, before the tasks): checks the target and makes the staging
 * directory `<parent>/.<name>.weft-staging-<jobId>` (a stale one of the same job id is replaced).
 *
 * @throws {SinkError} when the target exists and `overwrite` is false, the parent directory does
 *   not exist or is not writable, or `jobId` is not a plain name.
 * @example
 * const job = await beginWrite('out/wordcount', runId, { overwrite: true });
 */
export async function beginWrite(path: string, jobId: string, options: SinkOptions): Promise<WriteJob> {
  const filled = fillSinkOptions(options);
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) {
    throw new SinkError(
      `Expected the job id to be 1–128 letters, digits, '.', '_' or '-' (not starting with '.', '_' or '-'), got ${describeValue(jobId)}. ` +
        'Pass the run or job id, e.g. a UUID.',
      { code: 'WEFT_SINK_OPTIONS' },
    );
  }
  const target = resolve(path);
  const name = basename(target);
  const parent = dirname(target);
  if (name === '' || target === parent) {
    throw new SinkError(`Expected an output path naming a directory to create, got ${JSON.stringify(path)}. Pass a path such as 'out/result'.`, {
      code: 'WEFT_SINK_OPTIONS',
      path: target,
    });
  }
  await checkParent(parent, target);
  await recoverWrite(target);
  if (!filled.overwrite && (await exists(target))) {
    throw new SinkError(
      `Expected the output ${target} not to exist because overwrite is false, but it exists. ` +
        'Delete it, write to another path, or pass `overwrite: true` to replace it atomically.',
      { code: 'WEFT_SINK_TARGET_EXISTS', path: target },
    );
  }
  const stagingDir = join(parent, `.${name}${STAGING_INFIX}${jobId}`);
  await rm(stagingDir, { recursive: true, force: true });
  await mkdir(stagingDir);
  return { path: target, stagingDir };
}

async function checkParent(parent: string, target: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(parent)).isDirectory();
  } catch (error) {
    throw new SinkError(
      `Expected the parent directory ${parent} of the output ${target} to exist, but it does not (${errnoCode(error) ?? String(error)}). ` +
        `Create it first (mkdir -p ${parent}) or write to another path.`,
      { code: 'WEFT_SINK_PARENT', path: target, cause: error },
    );
  }
  if (!isDir) {
    throw new SinkError(`Expected ${parent} (the parent of the output ${target}) to be a directory, but it is a file. Write to another path.`, {
      code: 'WEFT_SINK_PARENT',
      path: target,
    });
  }
  try {
    await access(parent, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new SinkError(
      `Expected the parent directory ${parent} of the output ${target} to be writable, but it is not. ` +
        'Fix its permissions or write to another path.',
      { code: 'WEFT_SINK_PARENT', path: target, cause: error },
    );
  }
}

/**
 * Commits a write (main thread, after every task succeeded): atomically replaces the target with
 * the staging directory, which gets a `_SUCCESS` marker holding `rows` and the time. See the
 * module comment for the steps and what a failure at each leaves behind.
 *
 * @throws {SinkError} when the staging directory is missing or a step before the commit point
 *   failed (the previous output is then intact; call {@link abortWrite}).
 */
export async function commitWrite(job: WriteJob, rows: number, hooks: CommitHooks = {}): Promise<void> {
  const paths = checkJob(job);
  const { target, staging } = paths;
  if (!Number.isSafeInteger(rows) || rows < 0) {
    throw new SinkError(`Expected the committed row count to be an integer from 0 and up, got ${describeValue(rows)}. Pass the sum of the tasks' rows.`, {
      code: 'WEFT_SINK_OPTIONS',
      path: target,
    });
  }
  if (!(await isDirectory(staging))) {
    throw new SinkError(
      `Expected the staging directory ${staging} to hold the parts of the output ${target}, but it does not exist. ` +
        'Call beginWrite before the tasks, and commitWrite once (not after abortWrite).',
      { code: 'WEFT_SINK_STAGING', path: target },
    );
  }
  const step = async (name: CommitStep): Promise<void> => hooks.beforeStep?.(name, job);
  try {
    await prepareStaging(staging, rows, job, step);
  } catch (error) {
    throw commitError(target, 'prepare the staged output', error);
  }
  await swapIntoPlace(paths, step);
}

type StepHook = (name: CommitStep) => Promise<void>;

/** Steps 1–2: drop temp files of failed attempts and write the marker. The target is untouched. */
async function prepareStaging(staging: string, rows: number, job: WriteJob, step: StepHook): Promise<void> {
  await step('clean');
  for (const entry of await readdir(staging)) if (isTempPartName(entry)) await rm(join(staging, entry), { force: true });
  await step('marker');
  const marker: SuccessMarker = { rows, committedAt: new Date().toISOString(), ...(job.format ? { format: job.format } : {}) };
  await writeSynced(join(staging, SUCCESS_MARKER), `${JSON.stringify(marker)}\n`);
}

/** Steps 3–5 (and the rollback of a failed step 4). */
async function swapIntoPlace({ target, staging, aside }: JobPaths, step: StepHook): Promise<void> {
  let movedAside = false;
  try {
    await step('aside');
    if (await exists(target)) {
      await rm(aside, { recursive: true, force: true });
      await rename(target, aside);
      movedAside = true;
    }
    await step('swap');
    await rename(staging, target);
  } catch (error) {
    if (movedAside) {
      // Either the rollback works, or recoverWrite finds the old output set aside later.
      await step('rollback')
        .then(() => rename(aside, target))
        .catch(() => undefined);
    }
    throw commitError(target, 'move the new output into place', error);
  }
  // Past the commit point: nothing below may fail the commit.
  await syncDir(dirname(target));
  if (movedAside) {
    await step('remove')
      .then(() => rm(aside, { recursive: true, force: true }))
      .catch(() => undefined);
  }
}

/**
 * Abandons a write (main thread, when the job failed or was cancelled): removes the staging
 * directory. The previous output is left as it was (and restored, if a failed commit had set it
 * aside).
 */
export async function abortWrite(job: WriteJob): Promise<void> {
  const { target, staging } = checkJob(job);
  await rm(staging, { recursive: true, force: true });
  await recoverWrite(target);
}

/**
 * Repairs what a commit interrupted by a crash left next to `path`: if the target is missing and
 * an old output was set aside, it is put back; old copies left after a completed commit are
 * deleted. Staging directories are left alone (they may belong to a running job).
 *
 * @returns what it did: `'restored'`, `'cleaned'` or `'nothing'`.
 */
export async function recoverWrite(path: string): Promise<'restored' | 'cleaned' | 'nothing'> {
  const target = resolve(path);
  const parent = dirname(target);
  const prefix = `.${basename(target)}${OLD_INFIX}`;
  let entries: string[];
  try {
    entries = (await readdir(parent)).filter((e) => e.startsWith(prefix));
  } catch {
    return 'nothing';
  }
  if (entries.length === 0) return 'nothing';
  const olds = await Promise.all(entries.map(async (e) => ({ path: join(parent, e), mtime: (await stat(join(parent, e))).mtimeMs })));
  olds.sort((a, b) => b.mtime - a.mtime);
  let result: 'restored' | 'cleaned' = 'cleaned';
  if (!(await exists(target))) {
    await rename(olds.shift()!.path, target);
    result = 'restored';
  }
  for (const old of olds) await rm(old.path, { recursive: true, force: true });
  return result;
}

interface JobPaths {
  readonly target: string;
  readonly staging: string;
  /** Where step 3 sets the previous output aside. */
  readonly aside: string;
}

/** Resolves a job's paths and refuses a staging directory that beginWrite did not make. */
function checkJob(job: WriteJob): JobPaths {
  const target = resolve(job.path);
  const staging = resolve(job.stagingDir);
  const prefix = `.${basename(target)}${STAGING_INFIX}`;
  const stagingName = basename(staging);
  if (dirname(staging) !== dirname(target) || !stagingName.startsWith(prefix) || stagingName.length === prefix.length) {
    throw new SinkError(
      `Expected the staging directory of ${target} to be ${join(dirname(target), `${prefix}<jobId>`)}, got ${staging}. ` +
        'Pass the WriteJob that beginWrite returned, unchanged.',
      { code: 'WEFT_SINK_STAGING', path: target },
    );
  }
  const aside = join(dirname(target), `.${basename(target)}${OLD_INFIX}${stagingName.slice(prefix.length)}`);
  return { target, staging, aside };
}

function commitError(target: string, what: string, cause: unknown): SinkError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new SinkError(
    `Expected to ${what} for ${target}, but it failed (${detail}). The previous output, if any, is unchanged. ` +
      'Call abortWrite to remove the staged parts, fix the cause (space, permissions) and run the job again.',
    { code: 'WEFT_SINK_COMMIT', path: target, cause },
  );
}

async function writeSynced(file: string, text: string): Promise<void> {
  await writeFile(file, text);
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes renames in `dir` durable where the platform allows it (fsync on a directory). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Not supported on every platform (e.g. Windows); the renames themselves are still atomic.
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
