/**
 * How a worker finds the code of a task (DESIGN.md principle 3: code is found, not sent).
 */

/** The function a task runs, called as `fn(input, ctx)`, or `fn(item, ctx)` per item with `ctx.index` set. */
export type UserFunction = (...args: never[]) => unknown;

export type FunctionRef =
  /** Registered with `step(id, fn)` at the top level of a module; the worker imports the module. */
  | { kind: 'module'; moduleUrl: string; id: string }
  /** A lambda proved self-contained by a static check; the worker compiles the source once. */
  | { kind: 'source'; source: string; id: string }
  /** Any closure, for the in-process backend only. */
  | { kind: 'local'; fn: UserFunction; id: string };
