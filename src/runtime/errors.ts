/**
 * Errors of the runtime layer: code that cannot be found or sent, values that cannot cross a
 * worker boundary, workers that crash, items that fail. Every class is registered with
 * `registerErrorClass` so that an error raised inside a worker is rebuilt with its class (and its
 * primitive properties) on the other side.
 *
 * Code that cannot be found or sent, and values that cannot be sent, are bad input: those classes
 * extend `UsageError` (the CLI exits with 2), keeping their own names, codes and properties.
 */
import { UsageError, WeftError, registerErrorClass } from '../errors.js';

/** One value a lambda reads from outside its own body. */
export interface Capture {
  /** As written, e.g. `threshold` or `globalThis.secret`. */
  name: string;
  /** Line within the function's source, from 1. */
  line: number;
  /** The name to pass it under when `name` is not a plain identifier, e.g. `secret`. */
  key?: string;
}

/** A lambda sent to a thread or process reads a variable (or a non-standard global) from outside its own body. */
export class CapturedVariableError extends UsageError {
  override name = 'CapturedVariableError';
  /** The task label, e.g. `step "score"`. */
  readonly label: string;
  /** The captured names, comma-separated, e.g. `threshold, model` or `globalThis.secret`. */
  readonly variables: string;
  constructor(label: string, captures: readonly Capture[]) {
    const names = captures.map((c) => c.name);
    const keys = captures.map((c) => c.key ?? c.name);
    const where = captures.map((c) => `\`${c.name}\` (line ${c.line} of the function)`).join(', ');
    const first = keys[0] ?? 'value';
    const list = keys.join(', ');
    // A pipeline step receives its params in its argument object; parallelMap functions get `ctx.with`.
    const pass = label.startsWith('step "')
      ? `pass it as a step parameter — \`addStep(fn, { params: { ${list} } })\` and read it from the step's argument ` +
        `object, \`({ ${first} }) => …\` — or declare the function with \`step('id', fn)\``
      : `pass it explicitly — \`parallelMap(fn, items, { with: { ${list} } })\` and read \`ctx.with.${first}\` — or define ` +
        `the function with \`step('id', fn)\``;
    super(
      `${label} cannot run in a worker: its function reads ${where} from outside its own body, and a worker ` +
        `cannot see the variables or non-standard globals of the thread that created the function. Fix: ${pass} ` +
        `at the top level of its module so the worker imports it.`,
      { code: 'WEFT_CAPTURED_VARIABLE' },
    );
    this.label = label;
    this.variables = names.join(', ');
  }
}

/** A function that no worker can run: a class, a native or bound function, unparsable source, a closure on a worker backend. */
export class UnsupportedFunctionError extends UsageError {
  override name = 'UnsupportedFunctionError';
  readonly label: string;
  constructor(label: string, message: string) {
    super(`${label} cannot run in a worker: ${message}`, { code: 'WEFT_UNSUPPORTED_FUNCTION' });
    this.label = label;
  }
}

/** A value posted to a thread or process would not arrive intact (or at all). */
export class UnsendableValueError extends UsageError {
  override name = 'UnsendableValueError';
  readonly label: string;
  /** Where the value sits, e.g. `params.client` or `output[3]`. */
  readonly path: string;
  constructor(label: string, path: string, problem: string, fix: string) {
    super(`${label}: \`${path}\` cannot be sent to a worker: ${problem}. ${fix}`, { code: 'WEFT_UNSENDABLE' });
    this.label = label;
    this.path = path;
  }
}

/** A `module` function reference did not name a registered function after its module was imported. */
export class FunctionNotFoundError extends UsageError {
  override name = 'FunctionNotFoundError';
  readonly moduleUrl: string;
  readonly id: string;
  constructor(id: string, moduleUrl: string, options?: { cause?: unknown; detail?: string }) {
    super(
      options?.detail ??
        `step "${id}" was not found in ${moduleUrl} after importing it in a worker: define it with step() at the ` +
          `top level of the module, not inside a function`,
      { code: 'WEFT_FUNCTION_NOT_FOUND', ...(options?.cause === undefined ? {} : { cause: options.cause }) },
    );
    this.moduleUrl = moduleUrl;
    this.id = id;
  }
}

/** The same step id was registered twice in one module with two different functions. */
export class DuplicateFunctionError extends WeftError {
  override name = 'DuplicateFunctionError';
  readonly id: string;
  readonly moduleUrl: string;
  constructor(id: string, moduleUrl: string, first: string, second: string) {
    super(
      `step "${id}" is registered twice in ${moduleUrl}: first as ${first}, then as ${second}. ` +
        `Give each step its own id.`,
      { code: 'WEFT_DUPLICATE_FUNCTION' },
    );
    this.id = id;
    this.moduleUrl = moduleUrl;
  }
}

/** The worker running a task exited (crash, out of memory, terminated after an abort) before it finished. */
export class WorkerCrashedError extends WeftError {
  override name = 'WorkerCrashedError';
  readonly label: string;
  readonly slot: number;
  /** Exit code of the thread or process, `null` when it was killed by a signal. */
  readonly exitCode: number | null;
  /** In words: `ran out of memory (maxOldGenerationSizeMb=64)`, `exited with code 3`, `uncaught error: boom`. */
  readonly reason: string;
  constructor(label: string, slot: number, exitCode: number | null, reason: string) {
    super(
      `${label} was running on slot ${slot} when its worker ${reason}. The worker is replaced; retry the task ` +
        `(the scheduler does when retries are configured).`,
      { code: 'WEFT_WORKER_CRASHED' },
    );
    this.label = label;
    this.slot = slot;
    this.exitCode = exitCode;
    this.reason = reason;
  }
}

/** One item of a `map` task failed; `cause` is the user's error. */
export class ItemFailedError extends WeftError {
  override name = 'ItemFailedError';
  /** The item's index in the whole list (offset included). */
  readonly index: number;
  constructor(index: number, cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`item ${index} failed: ${message}`, { code: 'WEFT_ITEM_FAILED', cause });
    this.index = index;
  }
}

for (const cls of [
  CapturedVariableError,
  UnsupportedFunctionError,
  UnsendableValueError,
  FunctionNotFoundError,
  DuplicateFunctionError,
  WorkerCrashedError,
  ItemFailedError,
]) {
  registerErrorClass(cls.name, cls);
}
