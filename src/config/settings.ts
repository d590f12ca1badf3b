/**
 * The typed view of every setting weft knows, and the names of the places a value can come from.
 * Kept apart from the key table (`keys.ts`) so that other layers can import the types without
 * pulling in zod.
 */

/** Scheduling mode of a whole scheduler or of one pool. */
export type SchedulingMode = 'FIFO' | 'FAIR';

/** One scheduling pool, as in Spark's fair scheduler allocation file. */
export interface PoolSettings {
  /** How jobs inside the pool share its slots. @default 'FIFO' */
  mode?: SchedulingMode;
  /** Share of the slots relative to other pools. @default 1 */
  weight?: number;
  /** Slots the pool gets before weights apply. @default 0 */
  minShare?: number;
}

/** Every known setting and the type of its resolved value. See `docs/configuration.md`. */
export interface Settings {
  /** Where tasks run. @default 'thread' */
  'weft.execution.backend': 'async' | 'thread' | 'process';
  /** Slots: tasks that run at once. @default os.availableParallelism() */
  'weft.execution.executor.parallelism': number;
  /** How a project job runs its targets. @default 'sequential' */
  'weft.execution.executor.class': 'sequential' | 'parallel';
  /** How a project job orders its targets. @default 'dependency' */
  'weft.execution.scheduler.class': 'dependency' | 'manual';
  /** Mappings planned at once. @default 1 */
  'weft.execution.mapping.parallelism': number;
  /** Instances of a parameterised job run at once (`-j`). @default 1 */
  'weft.execution.job.parallelism': number;
  /** The pool the dataflow jobs of a project job's instances run in, `null` for the caller's. @default null */
  'weft.execution.job.pool': string | null;
  /** How the scheduler shares slots between jobs. @default 'FIFO' */
  'weft.scheduler.mode': SchedulingMode;
  /** Named scheduling pools. @default {} */
  'weft.scheduler.pools': Record<string, PoolSettings>;
  /** Attempts of one task before its job fails. @default 4 */
  'weft.task.maxFailures': number;
  /** Old-generation heap limit of a worker in MB, `null` for none. @default null */
  'weft.worker.maxOldGenerationSizeMb': number | null;
  /** Time a worker gets to stop after an abort before it is terminated. @default 100 */
  'weft.worker.abortGraceMs': number;
  /** Upper bound of the retry back-off. @default 30000 */
  'weft.retry.maxDelayMs': number;
  /** Step cache directory, relative to the project directory. @default '.weft/cache' */
  'weft.cache.dir': string;
  /** Items per `parallelMap` task, `null` for automatic. @default null */
  'weft.parallelMap.chunkSize': number | null;
  /** Default parallelism of dataflow operators (Flink's `parallelism.default`); `null` = number of CPUs. @default null */
  'weft.parallelism.default': number | null;
  /** Rows per columnar batch produced by sources and operators. @default 65536 */
  'weft.dataflow.batchRows': number | null;
  /** Where run state and history are recorded: `null` for `.weft/state.db`, a path, `sqlite:<path>` or `postgres://…`. @default null */
  'weft.store.url': string | null;
}

/** A dotted lower-case setting name, e.g. `weft.scheduler.mode`. */
export type SettingKey = keyof Settings;

/**
 * The kind of place a value came from, lowest precedence first:
 * `default` < `file` (the namespace config) < `project` (a project's `config`, its active profiles')
 * < `job` (a project job's `config`) < `env` < `cli` < `code`.
 */
export type ConfigSourceKind = 'default' | 'file' | 'project' | 'job' | 'env' | 'cli' | 'code';

/** Where one resolved value came from. */
export interface ConfigSource {
  kind: ConfigSourceKind;
  /**
   * `'built-in'`, `'/abs/weft.config.yaml:12:3'` (line and column of the key),
   * `'WEFT_CONF_WEFT_SCHEDULER_MODE'`, `'--conf'` (or the shorthand flag: `'-p'`, `'-j'`, `'--backend'`) or `'code'`.
   */
  where: string;
}

/** A command-line setting and the flag that gave it, e.g. `{ entry: 'weft.parallelism.default=3', flag: '-p' }`. */
export interface CliSetting {
  /** `key=value`, as for `--conf`. */
  readonly entry: string;
  /** The flag as the user typed it, e.g. `-p` or `--backend`; shown as the value's source. */
  readonly flag: string;
}

/** What {@link resolveConfig} reads. Every field is optional. */
export interface ResolveOptions {
  /** Directory searched for `weft.config.yaml` and base of relative paths. @default process.cwd() */
  cwd?: string;
  /** Config file to read instead of `$WEFT_CONFIG` or `<cwd>/weft.config.yaml`; it must exist. */
  configFile?: string;
  /** Environment read for `WEFT_CONFIG` and `WEFT_CONF_*`. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * The values of each `--conf` flag in order, e.g. `['weft.scheduler.mode=FAIR']`; the last one wins.
   * An entry may name the flag that gave it (`{ entry: 'weft.parallelism.default=3', flag: '-p' }`),
   * which its source then shows instead of `--conf`.
   */
  cli?: ReadonlyArray<string | CliSetting>;
  /** Settings from the calling code, by dotted key; the highest precedence. */
  code?: Partial<Settings> | Record<string, unknown>;
  /**
   * Layers a project adds (see `src/project/`): `defaults` of the project layer (kind `default`,
   * e.g. Flowman's four parallel targets), the project's own `config`, and the running job's.
   */
  project?: {
    readonly defaults?: ConfigLayerInput;
    readonly project?: ConfigLayerInput;
    readonly job?: ConfigLayerInput;
  };
}

/** Settings of one layer as written by a user, each with where it was written (`file:line:column`). */
export type ConfigLayerInput = readonly ConfigLayerEntry[];

/** One setting of a {@link ConfigLayerInput}; a string value is coerced by the key's type like `--conf`. */
export interface ConfigLayerEntry {
  readonly key: string;
  readonly value: unknown;
  /** Where it was written, e.g. `/p/project.yml:4:5`. */
  readonly where: string;
}
