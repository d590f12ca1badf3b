/**
 * Errors shared by every layer, and the one place where errors are turned into plain data
 * and back so that they can cross a worker boundary.
 *
 * A worker (thread, process, later a remote machine) cannot send an `Error` with its prototype.
 * It sends a {@link SerializedError}; the receiving side rebuilds it by `name` from the classes
 * registered with {@link registerErrorClass}, so `instanceof` keeps working for weft's own errors.
 * User errors come back as `Error` (or the built-in class of the same name) with the user's own
 * `name`, `message`, `stack`, `code` and `cause`.
 */

/** Base class of every error weft raises itself. */
export class WeftError extends Error {
  override name = 'WeftError';
  /** A stable machine-readable code, e.g. `WEFT_CYCLE`. */
  readonly code: string;
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code ?? 'WEFT_ERROR';
  }
}

/** Bad input from a user: a wrong option, a malformed file, an unknown name. The CLI exits with 2. */
export class UsageError extends WeftError {
  override name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, { code: 'WEFT_USAGE', ...options });
  }
}

/** Work was stopped because its run, job group or caller was cancelled. */
export class CancelledError extends WeftError {
  override name = 'CancelledError';
  constructor(message = 'Cancelled', options?: { cause?: unknown }) {
    super(message, { code: 'WEFT_CANCELLED', ...options });
  }
}

/** Work ran longer than its `timeoutMs` and was stopped. */
export class TimeoutError extends WeftError {
  override name = 'TimeoutError';
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(message, { code: 'WEFT_TIMEOUT', ...options });
    this.timeoutMs = timeoutMs;
  }
}

/** Plain-data form of an error, safe to post between threads and processes. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
  code?: string | undefined;
  cause?: SerializedError | undefined;
  /** Own enumerable data properties of primitive type (e.g. `timeoutMs`, `exitCode`). */
  props?: Record<string, string | number | boolean | null> | undefined;
}

type ErrorClass = new (...args: never[]) => Error;
const registry = new Map<string, ErrorClass>();

/** Makes `deserializeError` rebuild errors of this class by name. */
export function registerErrorClass(name: string, cls: ErrorClass): void {
  registry.set(name, cls);
}

for (const cls of [WeftError, UsageError, CancelledError, TimeoutError]) registerErrorClass(cls.name, cls);

const builtins: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Turns any thrown value into plain data. Non-errors become `{ name: 'Error', message: String(value) }`. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: typeof error === 'string' ? error : safeString(error) };
  }
  const out: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') out.code = code;
  const props: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'code' || key === 'name' || key === 'message' || key === 'cause') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      props[key] = value as string | number | boolean | null;
    }
  }
  if (Object.keys(props).length > 0) out.props = props;
  if (error.cause !== undefined && depth < 8) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/** Rebuilds an error from {@link serializeError}'s output, keeping its class where weft knows it. */
export function deserializeError(data: SerializedError): Error {
  const cls = registry.get(data.name) ?? builtins[data.name];
  const error: Error = cls ? (Object.create(cls.prototype as object) as Error) : new Error(data.message);
  Object.defineProperty(error, 'message', { value: data.message, writable: true, configurable: true });
  Object.defineProperty(error, 'name', { value: data.name, writable: true, configurable: true });
  if (data.stack !== undefined) {
    Object.defineProperty(error, 'stack', { value: data.stack, writable: true, configurable: true });
  }
  if (data.code !== undefined) Object.defineProperty(error, 'code', { value: data.code, writable: true, enumerable: true, configurable: true });
  for (const [key, value] of Object.entries(data.props ?? {})) {
    Object.defineProperty(error, key, { value, writable: true, enumerable: true, configurable: true });
  }
  if (data.cause !== undefined) {
    Object.defineProperty(error, 'cause', { value: deserializeError(data.cause), writable: true, configurable: true });
  }
  return error;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Short description of a value's type for error messages: `number 0`, `string "x"`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== 'Object' ? `an instance of ${ctor}` : 'an object';
}
