/**
 * `fromIterable`: an (async) iterable read while the job runs, in chunks of `batchRows` records
 * pulled only when a task slot is free — so memory stays bounded and an unbounded source can feed
 * `first(n)`. An iterator (a generator) or a stream can be read once: a second action on the same
 * dataset would silently see nothing, so it is refused with the fix. Other iterables (arrays, Sets,
 * an object whose `[Symbol.asyncIterator]()` opens a fresh cursor) are iterated anew by each job;
 * a factory `() => iterable` makes a fresh iterable for every job.
 */
import { UsageError } from '../../errors.js';
import type { TaskInput } from '../exec/task-spec.js';

/** What `fromIterable` accepts: an iterable, or a function that makes a fresh one for each job. */
export type IterableInput<T> = AsyncIterable<T> | Iterable<T> | (() => AsyncIterable<T> | Iterable<T>);

/** Records per task of a streamed source. @default 4096 */
export const DEFAULT_ITERABLE_BATCH = 4096;

/** The next chunk of a streamed source, numbered in read order, or `undefined` at its end. */
export interface TaskFeed {
  /** Tasks that may run at once, each pulling its next chunk when it is done. */
  readonly lanes: number;
  next(): Promise<{ input: TaskInput; partition: number } | undefined>;
  /** Stops reading (calls the iterator's `return`), e.g. when `first(n)` has its records. */
  close(): Promise<void>;
}

/**
 * True for what can be read once only: an iterator (a generator is one — it is its own iterable)
 * or a stream. Anything else (an array, a Set, an object whose `[Symbol.asyncIterator]()` opens a
 * fresh cursor) is iterated anew by each job.
 */
function isReadOnce(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as { next?: unknown; pipe?: unknown };
  return typeof candidate.next === 'function' || typeof candidate.pipe === 'function';
}

/** One `fromIterable` source: knows whether and by which job it was read. */
export class IterableSource {
  readonly batchRows: number;
  readonly #input: IterableInput<unknown>;
  #readBy: number | undefined;

  constructor(input: IterableInput<unknown>, batchRows = DEFAULT_ITERABLE_BATCH) {
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new UsageError(`fromIterable: expected \`batchRows\` to be a whole number from 1 and up, got ${batchRows}`);
    this.#input = input;
    this.batchRows = batchRows;
  }

  /**
   * Claims the source for job `jobId` (at submission, before anything runs).
   *
   * @throws UsageError when a read-once iterable was already claimed by a job.
   */
  claim(jobId: number): void {
    if (typeof this.#input === 'function' || !isReadOnce(this.#input)) return;
    if (this.#readBy !== undefined) {
      throw new UsageError(
        `fromIterable: this iterable was already read by job ${this.#readBy}; an iterable such as a generator or a stream can be read only once, ` +
          `so job ${jobId} would see no records. Pass a function that makes a fresh one for each action — \`env.fromIterable(() => makeRecords())\` — ` +
          'or keep the records in memory with `env.fromCollection([...records])`.',
      );
    }
    this.#readBy = jobId;
  }

  /** A feed of `lanes` tasks over a fresh iterator. */
  feed(lanes: number): TaskFeed {
    const source = typeof this.#input === 'function' ? this.#input() : this.#input;
    const asyncIterator = (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator]?.call(source);
    const syncIterator = asyncIterator === undefined ? (source as Iterable<unknown>)[Symbol.iterator]() : undefined;
    let done = false;
    let index = 0;
    let pulling: Promise<unknown> = Promise.resolve();
    const pull = async (): Promise<{ input: TaskInput; partition: number } | undefined> => {
      const values: unknown[] = [];
      while (!done && values.length < this.batchRows) {
        const step = syncIterator !== undefined ? syncIterator.next() : await asyncIterator!.next();
        if (step.done === true) done = true;
        else values.push(step.value);
      }
      return values.length === 0 ? undefined : { input: { kind: 'values', values }, partition: index++ };
    };
    return {
      lanes,
      // One pull at a time: chunks are numbered in the order they were read.
      next: () => {
        const next = pulling.then(pull);
        pulling = next.catch(() => undefined);
        return next;
      },
      close: async () => {
        if (done) return;
        done = true;
        await pulling;
        await (syncIterator ?? asyncIterator)?.return?.();
      },
    };
  }
}
