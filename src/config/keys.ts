/**
 * The one table of settings: for every key its description, default and zod schema. Everything
 * else — validation, string coercion from env and CLI, the JSON Schema of `weft.config.yaml`,
 * the reference in `docs/configuration.md`, `weft config --explain` — is derived from it, so a
 * new setting is one entry here plus its type in `settings.ts`.
 */
import os from 'node:os';
import { z } from 'zod';
import { parseParallelism } from './parallelism.js';
import type { SettingKey, Settings } from './settings.js';

/** Everything weft knows about one setting. */
export interface KeySpec<T> {
  /** One or two sentences for docs and `--explain`. */
  description: string;
  /** Validates the resolved value. */
  schema: z.ZodType<T>;
  /** What a config file may hold when it differs from `schema` (e.g. `"50%"`); used for the JSON Schema. */
  input?: z.ZodType;
  /** The built-in default, computed when a config is resolved. */
  default: () => T;
  /** How the default reads in docs when it depends on the machine. */
  defaultText?: string;
  /** How the type reads in docs and errors when the derived text is not clear enough. */
  typeText?: string;
  /** Parses a string form that the schema does not take as is (e.g. `"50%"`); `where` names its origin. */
  parseText?: (text: string, where: string) => T;
}

/** Scheduling modes are read in any case, as Spark reads them (`mode: fair`), and kept in upper case. */
const mode = z.preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(['FIFO', 'FAIR']));
/** What a config file may write for a mode: FIFO or FAIR (offered by editors), in any case (JSON Schema patterns have no `i` flag). */
const modeInput = z.union([z.enum(['FIFO', 'FAIR']), z.string().regex(/^([Ff][Ii][Ff][Oo]|[Ff][Aa][Ii][Rr])$/)]);
const positiveInt = z.int().min(1);

const poolFields = {
  weight: z.number().positive().optional(),
  minShare: z.int().min(0).optional(),
};
const pool = z.strictObject({ mode: mode.optional(), ...poolFields });
const poolInput = z.strictObject({ mode: modeInput.optional(), ...poolFields });

/** Every setting, in the order `--explain` and the docs list them. */
export const SETTING_SPECS: { readonly [K in SettingKey]: KeySpec<Settings[K]> } = {
  'weft.execution.backend': {
    description: 'Where tasks run: in the calling thread (async), on worker threads (thread) or in child processes (process).',
    schema: z.enum(['async', 'thread', 'process']),
    default: () => 'thread',
  },
  'weft.execution.executor.parallelism': {
    description:
      'How much an executor runs at once: the steps of a pipeline (each a leaf task, so also the slots that run every task), or the targets of a project job under the parallel executor (whose leaf tasks share the same number of slots); a project uses 4 unless set, as Flowman does. A whole number, or a percentage of the available CPUs such as "50%" (at least 1).',
    schema: positiveInt,
    input: z.union([positiveInt, z.string().regex(/^\s*\d+(\.\d+)?%\s*$/)]),
    default: () => os.availableParallelism(),
    defaultText: 'number of CPUs (os.availableParallelism())',
    typeText: 'integer ≥ 1 | "N%"',
    parseText: parseParallelism,
  },
  'weft.execution.executor.class': {
    description:
      'How a project job runs its targets: one at a time in dependency order (sequential), or up to `weft.execution.executor.parallelism` at once as their dependencies allow (parallel).',
    schema: z.enum(['sequential', 'parallel']),
    default: () => 'sequential',
  },
  'weft.execution.scheduler.class': {
    description:
      "Order of a project job's targets: inferred from the data each target provides and requires, plus `before`/`after` (dependency), or exactly the job's listed order (manual; respected by the parallel executor too).",
    schema: z.enum(['dependency', 'manual']),
    default: () => 'dependency',
  },
  'weft.execution.mapping.parallelism': {
    description: 'Mappings of a project instantiated (and their schemas inferred) at once while a job is planned; 1 plans them one after another.',
    schema: positiveInt,
    default: () => 1,
  },
  'weft.execution.job.parallelism': {
    description: 'Instances of a parameterised project job run at once (`weft job build … -j N`); each instance is isolated.',
    schema: positiveInt,
    input: z.union([positiveInt, z.string().regex(/^\s*\d+(\.\d+)?%\s*$/)]),
    typeText: 'integer ≥ 1 | "N%"',
    parseText: parseParallelism,
    default: () => 1,
  },
  'weft.execution.job.pool': {
    description:
      "The scheduling pool the dataflow jobs of a project job's instances run in; null keeps the caller's pool. With `weft.scheduler.mode=FAIR` and a pool whose own mode is FAIR, running instances share the slots fairly instead of first come, first served.",
    schema: z.string().min(1).nullable(),
    default: () => null,
  },
  'weft.scheduler.mode': {
    description:
      'How the scheduler shares slots between concurrent jobs: in submission order (FIFO) or round-robin by pool weight (FAIR). Any case is accepted (`fair`); the value is kept in upper case.',
    schema: mode,
    input: modeInput,
    default: () => 'FIFO',
  },
  'weft.scheduler.pools': {
    description:
      'Named scheduling pools for FAIR mode; each may set its own mode (FIFO or FAIR, any case), weight (> 0) and minShare (slots guaranteed before weights apply).',
    schema: z.record(z.string().min(1), pool) as z.ZodType<Settings['weft.scheduler.pools']>,
    input: z.record(z.string().min(1), poolInput),
    default: () => ({}),
  },
  'weft.task.maxFailures': {
    description: 'Attempts of one task (first try included) before the task, and its job, fail.',
    schema: positiveInt,
    default: () => 4,
  },
  'weft.worker.maxOldGenerationSizeMb': {
    description: 'Old-generation heap limit of each worker thread or process in MB; null for no limit.',
    schema: positiveInt.nullable(),
    default: () => null,
  },
  'weft.worker.abortGraceMs': {
    description: 'Time a task gets to stop on its own after an abort before its worker is terminated, in milliseconds.',
    schema: z.int().min(0),
    default: () => 100,
  },
  'weft.retry.maxDelayMs': {
    description: 'Upper bound of the exponential back-off between two attempts of a pipeline step (its retryDelayMs, doubled at each attempt), in milliseconds.',
    schema: z.int().min(0),
    default: () => 30000,
  },
  'weft.cache.dir': {
    description: 'Directory of the step cache; a relative path is taken from the project directory.',
    schema: z.string().min(1),
    default: () => '.weft/cache',
  },
  'weft.parallelMap.chunkSize': {
    description: 'Items per task in parallelMap; null chooses a size from the number of items and slots.',
    schema: positiveInt.nullable(),
    default: () => null,
  },
  'weft.parallelism.default': {
    description:
      'Default parallelism of dataflow operators when neither the operator nor the environment sets one (Flink\'s parallelism.default; `weft run -p` sets it). null means the number of CPUs.',
    schema: positiveInt.nullable(),
    input: z.union([positiveInt, z.null(), z.string().regex(/^\s*\d+(\.\d+)?%\s*$/)]),
    default: () => null,
    typeText: 'integer ≥ 1 | "N%" | null',
    parseText: (text, where) => (text.trim() === 'null' ? null : parseParallelism(text, where)),
  },
  'weft.dataflow.batchRows': {
    description:
      'Rows per batch that dataflow file sources (text, CSV, NDJSON, Parquet) and fromIterable read, unless the source sets batchRows itself; null for each source\'s own default: 65536 rows, 4096 lines of text, 4096 records of an iterable.',
    schema: positiveInt.nullable(),
    default: () => null,
  },
  'weft.store.url': {
    description:
      'Where job runs, target states and run history are recorded: null for the embedded SQLite file .weft/state.db in the project directory, a file path or sqlite:<path> (relative to the project directory), or postgres://user@host:5432/db?schema=name for a shared PostgreSQL store.',
    schema: z.string().min(1).nullable(),
    default: () => null,
  },
};

/** Every known key, in table order. */
export const SETTING_KEYS: readonly SettingKey[] = Object.keys(SETTING_SPECS) as SettingKey[];

const keySet: ReadonlySet<string> = new Set(SETTING_KEYS);

/** Every proper dotted prefix of a key (`weft`, `weft.scheduler`, …): a group, not a setting. */
export const SETTING_GROUPS: ReadonlySet<string> = new Set(
  SETTING_KEYS.flatMap((key) => {
    const parts = key.split('.');
    return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'));
  }),
);

/** True when `key` names a known setting. */
export function isSettingKey(key: string): key is SettingKey {
  return keySet.has(key);
}

/** The table entry of a key. */
export function specOf<K extends SettingKey>(key: K): KeySpec<Settings[K]> {
  return SETTING_SPECS[key];
}
