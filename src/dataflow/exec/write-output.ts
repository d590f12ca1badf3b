/**
 * The output of a task whose job is a write: its batches stream into the part file as the task
 * produces them (through an object-mode stream the part writer reads), instead of being gathered
 * first, so a task writing a partition of any size holds a bounded number of batches. The task
 * waits on {@link TaskOutputSink.drain} after each input batch while the writer is behind; a writer
 * failure surfaces there, and a task failure stops the writer, which leaves no part file behind.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { TaskContext } from '../../runtime/index.js';
import { valueBatch, type Batch } from '../batch/index.js';
import { writePart, type WrittenPart } from '../sinks/index.js';
import type { TaskOutputSink } from './outputs.js';
import type { TaskSpec, TaskStats } from './task-spec.js';

/** Batches queued for the writer before the task waits for it. */
const QUEUED_BATCHES = 32;

type WriteSpec = Extract<TaskSpec['output'], { kind: 'write' }>;

/** A streaming write output for one task. */
export function writeOutput(spec: TaskSpec, output: WriteSpec, ctx: TaskContext, stats: TaskStats): TaskOutputSink {
  let channel: PassThrough | undefined;
  let writing: Promise<WrittenPart> | undefined;
  let failure: { error: unknown } | undefined;
  const start = (): PassThrough => {
    const stream = new PassThrough({ objectMode: true, highWaterMark: QUEUED_BATCHES });
    writing = writePart(output.stagingDir, spec.partition, output.format, stream, output.options, ctx.signal);
    // Seen at the next drain; the result rethrows it.
    writing.catch((error: unknown) => void (failure ??= { error }));
    channel = stream;
    return stream;
  };
  const put = (batch: Batch): void => {
    if (batch.length === 0 || failure !== undefined) return;
    (channel ?? start()).write(batch);
  };
  return {
    push: (records) => put(valueBatch(records)),
    pushBatch: put,
    drain: async () => {
      if (channel?.writableNeedDrain === true && failure === undefined) await Promise.race([once(channel, 'drain'), writing!.then(undefined, () => undefined)]);
      if (failure !== undefined) throw failure.error;
    },
    abort: async (error) => {
      if (channel === undefined) return;
      channel.destroy(error instanceof Error ? error : new Error(String(error)));
      await writing!.catch(() => undefined);
    },
    result: async () => {
      (channel ?? start()).end();
      const written = await writing!;
      return { kind: 'written', rows: written.rows, file: written.file, ...(written.columns ? { columns: written.columns } : {}), stats: { ...stats, rowsOut: written.rows } };
    },
  };
}
