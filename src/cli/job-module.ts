/**
 * `weft run` for a dataflow job module (one that exports an async `main` or a default function that
 * runs dataset actions): runs `main` with the command line's settings, records each job it runs,
 * and ends with exit codes a script can rely on.
 *
 * - `--json` prints a summary of the jobs on stdout (what the module prints goes to stderr meanwhile,
 *   so that stdout holds only the JSON).
 * - `-j`, `-p`, `--backend`, `--conf` apply through the resolved config: `-j` is the number of slots
 *   (tasks at once across the module's jobs) of every environment that does not set its own.
 * - `--keep-going` and `--no-progress` only mean something for pipelines and are refused (exit 2).
 * - First Ctrl-C: no new action starts, running jobs are cancelled through their job group, the jobs
 *   that ran are reported, exit 130. Second Ctrl-C: exit at once.
 */
import { randomUUID } from 'node:crypto';
import { setExplainMode } from '../dataflow/index.js';
import { CancelledError, UsageError } from '../errors.js';
import { cancelJobGroup, withJobGroup } from '../scheduler/index.js';
import { ExitCode, type CommandIO } from './io.js';
import { JobRecorder, type JobRecord } from './job-recorder.js';
import type { LoadedJob } from './load-pipeline.js';
import { formatDuration } from './progress.js';
import { formatTable } from './table.js';

/** The `weft run` flags a job module looks at. */
export interface JobRunFlags {
  dryRun?: boolean;
  json?: boolean;
  keepGoing?: boolean;
  /** `false` for `--no-progress`. */
  progress?: boolean;
}

/** What `weft run --json` prints for a job module. */
export interface JobRunSummary {
  module: string;
  status: 'succeeded' | 'failed' | 'interrupted';
  startedAt: string;
  endedAt: string;
  durationMs: number;
  jobs: JobRecord[];
  error?: string;
}

/** Runs a job module's `main`; resolves to the exit code, or rejects with what `main` threw. */
export async function runJobModule(loaded: LoadedJob, file: string, flags: JobRunFlags, io: CommandIO): Promise<number> {
  refusePipelineFlags(file, flags);
  if (flags.dryRun) {
    setExplainMode((text) => io.stdout.write(text));
    try {
      await loaded.main();
    } finally {
      setExplainMode(undefined);
    }
    return ExitCode.Ok;
  }
  const recorder = new JobRecorder();
  const group = `weft run ${randomUUID()}`;
  const started = Date.now();
  let interrupted = false;
  let onInterrupted = (): void => undefined;
  const interruption = new Promise<void>((resolve) => (onInterrupted = resolve));
  const onSigint = (): void => {
    if (interrupted) process.exit(ExitCode.Interrupted);
    interrupted = true;
    io.stderr.write('\nweft: interrupted — starting no new job, cancelling the running ones (Ctrl-C again to exit at once)\n');
    recorder.stop(new CancelledError('interrupted by Ctrl-C'));
    cancelJobGroup(group, 'interrupted by Ctrl-C');
    onInterrupted();
  };
  process.on('SIGINT', onSigint);
  const restoreStdout = flags.json ? stdoutToStderr() : (): void => undefined;
  recorder.install();
  let failure: { error: unknown } | undefined;
  const running = withJobGroup(group, async () => {
    await loaded.main();
  }).catch((error: unknown) => void (failure = { error }));
  // Interrupted, the run ends once its jobs have stopped, even if `main` still awaits something else.
  await Promise.race([running, interruption.then(() => Promise.race([running, recorder.idle()]))]);
  restoreStdout();
  if (!interrupted) {
    recorder.uninstall();
    process.off('SIGINT', onSigint);
  }
  const summary: JobRunSummary = {
    module: file,
    status: interrupted ? 'interrupted' : failure ? 'failed' : 'succeeded',
    startedAt: new Date(started).toISOString(),
    endedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    jobs: recorder.jobs,
    ...(failure ? { error: errorMessage(failure.error) } : {}),
  };
  if (flags.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else if (interrupted) io.stdout.write(describeJobs(summary));
  if (interrupted) {
    // Whatever `main` still waits for must not keep an interrupted command alive.
    setTimeout(() => process.exit(ExitCode.Interrupted), 1000).unref();
    return ExitCode.Interrupted;
  }
  if (failure) throw failure.error;
  return ExitCode.Ok;
}

function refusePipelineFlags(file: string, flags: JobRunFlags): void {
  if (flags.keepGoing) {
    throw new UsageError(
      `--keep-going does not apply to ${file}: it is a dataflow job module, whose \`main\` decides itself what happens when an action fails ` +
        '(catch the error the action rejects with); --keep-going keeps the independent steps of a pipeline running after a failure',
    );
  }
  if (flags.progress === false) {
    throw new UsageError(`--no-progress does not apply to ${file}: a dataflow job module shows no progress view, only what it prints itself; leave the flag out`);
  }
}

/** The jobs that ran, as a table. */
export function describeJobs(summary: JobRunSummary): string {
  const rows = summary.jobs.map((j) => [
    j.job === null ? '' : String(j.job),
    j.action,
    j.status,
    j.stages === null ? '' : String(j.stages),
    j.tasks === null ? '' : String(j.tasks),
    j.rows === null ? '' : String(j.rows),
    j.durationMs === null ? '' : formatDuration(j.durationMs),
  ]);
  const table = rows.length > 0 ? formatTable(['job', 'action', 'status', 'stages', 'tasks', 'rows', 'time'], rows) : 'no job ran\n';
  return `\n${table}${summary.module} ${summary.status} after ${formatDuration(summary.durationMs)}\n`;
}

type WriteCallback = (error?: Error | null) => void;

/** Sends what the module writes to stdout to stderr until the returned function is called. */
function stdoutToStderr(): () => void {
  const stdout = process.stdout;
  const write = Object.getOwnPropertyDescriptor(stdout, 'write');
  const toStderr = (chunk: string | Uint8Array, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean =>
    typeof encoding === 'function' ? process.stderr.write(chunk, encoding) : process.stderr.write(chunk, encoding, callback);
  stdout.write = toStderr;
  return () => {
    if (write) Object.defineProperty(stdout, 'write', write);
    else delete (stdout as { write?: unknown }).write;
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
