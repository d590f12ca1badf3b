/**
 * `Dataset` — the fluent API of the data plane (Flink's DataStream, Spark's Dataset).
 *
 * Transformations only build the logical plan; an action (`count`, `collect`, `writeCsv`, …) is a
 * job: it is planned into stages and tasks and run on the environment's scheduler. Per-operator
 * settings follow Flink: `setParallelism`, `setMaxParallelism`, `name` and `uid` apply to the
 * operator just added and return the same dataset.
 */
import { UsageError, describeValue } from '../errors.js';
import type { TaskContext } from '../runtime/index.js';
import type { ExecutionEnvironment } from './environment.js';
import { CallSite } from './plan/call-site.js';
import type { AggDef, JoinHow, KeySelector, LogicalNode, NewNode, NodeSettings, UserFn } from './plan/logical.js';
import type { SinkOptions } from './sinks/sink-options.js';

/** What a dataflow function receives besides the record: the task context and its `with` values. */
export type OpContext<C> = Omit<TaskContext, 'with'> & { with: C };

/** Options of a transformation that runs user code. */
export interface FnOptions<C> {
  /** Values the function needs from outside, visible as `ctx.with` (see README: how code reaches a worker). */
  with?: C;
  /** Names the function in `explain()` and errors. */
  label?: string;
}

/** A key: a field name of object records, an index of tuple records, or a function of the record. */
export type KeyOf<T> = (T extends readonly unknown[] ? number : never) | (T extends object ? keyof T & string : never) | ((value: T) => unknown);

/** The record type of a join: merged objects for object records, else `[left, right]` pairs. */
export type Joined<T, U> = T extends readonly unknown[] ? [T, U] : T extends object ? (U extends readonly unknown[] ? [T, U] : U extends object ? T & U : [T, U]) : [T, U];

/** An aggregation for `groupBy(...).agg({ name: sum('value') })`. */
export interface Aggregation {
  readonly kind: AggDef['kind'];
  readonly field?: string | number;
}

/** Sum of a field (numbers). */
export const sum = (field: string | number): Aggregation => ({ kind: 'sum', field });
/** Smallest value of a field: numbers, strings, booleans or dates, ordered as `sortBy` orders them. */
export const min = (field: string | number): Aggregation => ({ kind: 'min', field });
/** Largest value of a field: numbers, strings, booleans or dates, ordered as `sortBy` orders them. */
export const max = (field: string | number): Aggregation => ({ kind: 'max', field });
/** Mean of a field (numbers). */
export const avg = (field: string | number): Aggregation => ({ kind: 'avg', field });
/** Number of records. */
export const count = (): Aggregation => ({ kind: 'count' });
/** First value of a field in input order (any type). */
export const first = (field: string | number): Aggregation => ({ kind: 'first', field });
/** Last value of a field in input order (any type). */
export const last = (field: string | number): Aggregation => ({ kind: 'last', field });

/** The action {@link Dataset.explain} plans the job of; the plan's title names it. */
export type ExplainAction = 'count' | 'collect' | 'first' | 'print' | 'writeCsv' | 'writeJson' | 'writeParquet';

const EXPLAIN_TITLES: Readonly<Record<ExplainAction, string>> = {
  count: 'count()',
  collect: 'collect()',
  first: 'first(n)',
  print: 'print()',
  writeCsv: 'writeCsv(path)',
  writeJson: 'writeJson(path)',
  writeParquet: 'writeParquet(path)',
};

/** Options of every action. */
export interface ActionOptions {
  /** Aborting it stops the job: queued tasks are dropped, running ones aborted; the action rejects with `CancelledError`. */
  signal?: AbortSignal;
}

/** Options of the write actions. */
export interface WriteOptions extends ActionOptions {
  /** Replace an existing output (atomically). @default true */
  overwrite?: boolean;
  /** CSV: write a header row. @default true */
  header?: boolean;
  /** CSV: field delimiter. @default ',' */
  delimiter?: string;
  /**
   * Parquet: the type of named columns (`int32`, `int64`, `double`, `boolean`, `string`, `date`,
   * `timestamp`, `json`), above what the values give (numbers → DOUBLE, dates → TIMESTAMP).
   * @example ds.writeParquet('out/t', { columnTypes: { year: 'int32', day: 'date' } })
   */
  columnTypes?: SinkOptions['columnTypes'];
}

/** A distributed collection of records of type `T`. */
export class Dataset<T> {
  /** @internal */
  readonly env: ExecutionEnvironment;
  /** @internal The logical node this dataset ends in. */
  readonly node: LogicalNode;

  /** @internal Use the environment's sources. */
  constructor(env: ExecutionEnvironment, node: LogicalNode) {
    this.env = env;
    this.node = node;
  }

  // ---- transformations -------------------------------------------------------------------

  /** One output record per input record. */
  map<R, C = undefined>(fn: (value: T, ctx: OpContext<C>) => R, options?: FnOptions<C>): Dataset<R> {
    return this.#derive({ op: 'map', input: this.node, fn: userFn(fn, 'map', options) });
  }

  /** Zero or more output records per input record (any iterable). */
  flatMap<R, C = undefined>(fn: (value: T, ctx: OpContext<C>) => Iterable<R>, options?: FnOptions<C>): Dataset<R> {
    return this.#derive({ op: 'flatMap', input: this.node, fn: userFn(fn, 'flatMap', options) });
  }

  /** Keeps the records for which `fn` returns true. */
  filter<C = undefined>(fn: (value: T, ctx: OpContext<C>) => boolean, options?: FnOptions<C>): Dataset<T> {
    return this.#derive({ op: 'filter', input: this.node, fn: userFn(fn, 'filter', options) });
  }

  /** Partitions by key for a keyed aggregation (Flink's `keyBy`). */
  keyBy(key: KeyOf<T>, options?: FnOptions<unknown>): KeyedDataset<T> {
    return new KeyedDataset(this, keySelector(key, 'keyBy', options));
  }

  /** Groups by key for `agg(...)`, producing one row per key (Spark's `groupBy`). */
  groupBy(key: KeyOf<T>, options?: FnOptions<unknown>): GroupedDataset<T> {
    return new GroupedDataset(this, keySelector(key, 'groupBy', options));
  }

  /**
   * Joins with another dataset on a key. With a field name and object records, output rows merge
   * both sides (the key once); otherwise each output is the pair `[left, right]` (the missing side
   * `null` in outer joins).
   */
  join<U>(other: Dataset<U>, key: KeyOf<T> | { left: KeyOf<T>; right: KeyOf<U> }, options: { how?: JoinHow } = {}): Dataset<Joined<T, U>> {
    if (!(other instanceof Dataset) || other.env !== this.env) {
      throw new UsageError(`join: expected a dataset of the same ExecutionEnvironment, got ${describeValue(other)}`);
    }
    const how = options.how ?? 'inner';
    if (!['inner', 'left', 'right', 'full'].includes(how)) {
      throw new UsageError(`join: expected \`how\` to be 'inner', 'left', 'right' or 'full', got ${describeValue(how)}`);
    }
    const pair = typeof key === 'object' && key !== null && 'left' in key;
    const leftKey = keySelector(pair ? key.left : (key), 'join');
    const rightKey = pair ? keySelector(key.right, 'join') : (leftKey);
    return this.#derive({ op: 'join', left: this.node, right: other.node, leftKey, rightKey, how, site: CallSite.capture() });
  }

  /** All records of this and the other datasets. */
  union(...others: Array<Dataset<T>>): Dataset<T> {
    for (const other of others) {
      if (!(other instanceof Dataset) || other.env !== this.env) throw new UsageError(`union: expected datasets of the same ExecutionEnvironment, got ${describeValue(other)}`);
    }
    return this.#derive({ op: 'union', inputs: [this.node, ...others.map((o) => o.node)] });
  }

  /** Each distinct record once (objects compared by value). */
  distinct(): Dataset<T> {
    return this.#derive({ op: 'distinct', input: this.node });
  }

  /** Sorts globally by key (range-partitioned: partition i holds smaller keys than partition i + 1). */
  sortBy(key: KeyOf<T>, options: { descending?: boolean } = {}): Dataset<T> {
    return this.#derive({ op: 'sort', input: this.node, key: keySelector(key, 'sortBy'), descending: options.descending === true, site: CallSite.capture() });
  }

  /** Redistributes records round-robin into `partitions` partitions. */
  repartition(partitions: number): Dataset<T> {
    checkCount(partitions, 'repartition(n)');
    return this.#derive({ op: 'repartition', input: this.node, partitions, parallelism: partitions });
  }

  /** Redistributes records round-robin over the next operator's parallelism (evens out skew). */
  rebalance(): Dataset<T> {
    return this.#derive({ op: 'rebalance', input: this.node });
  }

  // ---- operator settings -----------------------------------------------------------------

  /** Parallelism of the operator just added (highest precedence). */
  setParallelism(parallelism: number): this {
    checkCount(parallelism, 'setParallelism(n)');
    return this.#set({ parallelism });
  }

  /** Max parallelism (number of key groups) of the operator just added: 1 to 32768. */
  setMaxParallelism(maxParallelism: number): this {
    if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > 32768) {
      throw new UsageError(`setMaxParallelism: expected a whole number from 1 to 32768, got ${describeValue(maxParallelism)}`);
    }
    return this.#set({ maxParallelism });
  }

  /** Names the operator in `explain()`, errors and events. */
  name(name: string): this {
    return this.#set({ name });
  }

  /**
   * A stable id of the operator, as Flink's `uid`: shown by `explain()` and unique within a job
   * (two operators of one job with the same uid are an error before the job starts), so tools that
   * follow an operator across runs — events, history, a later savepoint format — can rely on it.
   */
  uid(uid: string): this {
    if (typeof uid !== 'string' || uid.trim() === '') throw new UsageError(`uid: expected a non-empty string, got ${describeValue(uid)}`);
    return this.#set({ uid });
  }

  // ---- actions ---------------------------------------------------------------------------

  /** Number of records. */
  count(options: ActionOptions = {}): Promise<number> {
    return this.env.execute(this.node, { kind: 'count' }, options.signal) as Promise<number>;
  }

  /** Every record, in partition order. */
  collect(options: ActionOptions = {}): Promise<T[]> {
    return this.env.execute(this.node, { kind: 'collect' }, options.signal) as Promise<T[]>;
  }

  /** The first `n` records, in partition order. */
  first(n = 1, options: ActionOptions = {}): Promise<T[]> {
    checkCount(n, 'first(n)');
    return this.env.execute(this.node, { kind: 'collect', limit: n }, options.signal) as Promise<T[]>;
  }

  /** Prints every record, one per line. */
  async print(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), options: ActionOptions = {}): Promise<void> {
    for (const value of await this.collect(options)) write(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** Writes CSV part files into the directory `path`, atomically. Resolves to the row count. */
  writeCsv(path: string, options: WriteOptions = {}): Promise<number> {
    return this.#write('csv', path, options);
  }

  /** Writes NDJSON part files into the directory `path`, atomically. Resolves to the row count. */
  writeJson(path: string, options: WriteOptions = {}): Promise<number> {
    return this.#write('json', path, options);
  }

  /** Writes Parquet part files into the directory `path`, atomically. Resolves to the row count. */
  writeParquet(path: string, options: WriteOptions = {}): Promise<number> {
    return this.#write('parquet', path, options);
  }

  /**
   * The plan of an action on this dataset (`count()` unless named): jobs → stages → tasks, each
   * parallelism and where it came from. Fails as the action would before running anything, e.g. on
   * a lambda that captures a variable.
   *
   * @example
   * ```ts
   * console.log(ds.explain('collect'));   // job: collect() — 2 stages, 8 tasks …
   * ```
   */
  explain(action: ExplainAction = 'count'): string {
    const title = EXPLAIN_TITLES[action];
    if (typeof action !== 'string' || title === undefined) {
      throw new UsageError(`explain: expected an action, one of ${Object.keys(EXPLAIN_TITLES).map((a) => `'${a}'`).join(', ')}, got ${describeValue(action)}`);
    }
    return this.env.explain(this.node, title);
  }

  #write(format: 'csv' | 'json' | 'parquet', path: string, options: WriteOptions): Promise<number> {
    const { signal, ...rest } = options;
    return this.env.execute(this.node, { kind: 'write', format, path, options: rest }, signal) as Promise<number>;
  }

  #derive<R>(node: NewNode): Dataset<R> {
    return this.env.dataset<R>(node);
  }

  #set(settings: NodeSettings): this {
    Object.assign(this.node, settings);
    return this;
  }
}

/** A dataset partitioned by key, for Flink-style keyed aggregations. */
export class KeyedDataset<T> {
  readonly #dataset: Dataset<T>;
  readonly #key: KeySelector;

  /** @internal */
  constructor(dataset: Dataset<T>, key: KeySelector) {
    this.#dataset = dataset;
    this.#key = key;
  }

  /** Per key, the first record with `field` replaced by the sum over the key's records. */
  sum(field: string | number): Dataset<T> {
    return this.#aggregate([{ kind: 'sum', field, as: String(field) }]);
  }

  /** Per key, the first record with `field` replaced by the smallest value. */
  min(field: string | number): Dataset<T> {
    return this.#aggregate([{ kind: 'min', field, as: String(field) }]);
  }

  /** Per key, the first record with `field` replaced by the largest value. */
  max(field: string | number): Dataset<T> {
    return this.#aggregate([{ kind: 'max', field, as: String(field) }]);
  }

  /** Per key, `[key, count]`. */
  count(): Dataset<[unknown, number]> {
    return this.#dataset.env.dataset({ op: 'aggregate', input: this.#dataset.node, key: this.#key, aggs: [{ kind: 'count', as: 'count' }], style: 'pair', site: CallSite.capture() });
  }

  /** Per key, the records folded pairwise by `fn` (which must be associative). */
  reduce<C = undefined>(fn: (a: T, b: T, ctx: OpContext<C>) => T, options?: FnOptions<C>): Dataset<T> {
    return this.#dataset.env.dataset({ op: 'reduce', input: this.#dataset.node, key: this.#key, fn: userFn(fn, 'reduce', options), site: CallSite.capture() });
  }

  #aggregate(aggs: AggDef[]): Dataset<T> {
    return this.#dataset.env.dataset({ op: 'aggregate', input: this.#dataset.node, key: this.#key, aggs, style: 'record', site: CallSite.capture() });
  }
}

/** A dataset grouped by key, for Spark-style `agg`. */
export class GroupedDataset<T> {
  readonly #dataset: Dataset<T>;
  readonly #key: KeySelector;

  /** @internal */
  constructor(dataset: Dataset<T>, key: KeySelector) {
    this.#dataset = dataset;
    this.#key = key;
  }

  /**
   * One row per key: the key (named after the key field, or `key`) and each named aggregation.
   *
   * @example
   * ```ts
   * ds.groupBy('key').agg({ total: sum('value'), n: count() })
   * ```
   */
  agg(aggregations: Record<string, Aggregation>): Dataset<Record<string, unknown>> {
    const entries = Object.entries(aggregations);
    if (entries.length === 0) throw new UsageError('agg: expected at least one aggregation, e.g. { total: sum("value") }, got none');
    const aggs: AggDef[] = entries.map(([as, a]) => ({ kind: a.kind, ...(a.field !== undefined ? { field: a.field } : {}), as }));
    return this.#dataset.env.dataset({ op: 'aggregate', input: this.#dataset.node, key: this.#key, aggs, style: 'row', site: CallSite.capture() });
  }

  /** Per key, `{ <key>, count }`. */
  count(): Dataset<Record<string, unknown>> {
    return this.agg({ count: count() });
  }
}

function userFn(fn: unknown, op: string, options?: FnOptions<unknown>): UserFn {
  if (typeof fn !== 'function') throw new UsageError(`${op}: expected a function, got ${describeValue(fn)}`);
  return {
    fn: fn as UserFn['fn'],
    label: options?.label ?? (fn.name || 'λ'),
    op,
    site: CallSite.capture(),
    ...(options?.with !== undefined ? { with: options.with } : {}),
  };
}

function keySelector(key: unknown, op: string, options?: FnOptions<unknown>): KeySelector {
  if (typeof key === 'string' || (typeof key === 'number' && Number.isInteger(key) && key >= 0)) return { kind: 'field', field: key };
  if (typeof key === 'function') return { kind: 'fn', fn: userFn(key, op, options) };
  throw new UsageError(`${op}: expected a field name, a tuple index or a key function, got ${describeValue(key)}`);
}

function checkCount(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new UsageError(`${what}: expected a whole number from 1 and up, got ${describeValue(value)}`);
  }
}
