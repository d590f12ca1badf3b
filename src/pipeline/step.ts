/**
 * `step(id, fn)` — how user code becomes something a worker can find.
 *
 * A step is declared once, at the top level of a module. Declaring it registers the function under
 * (module URL, id), so a thread or process worker that imports the same module finds the same
 * function by id: code is found, not sent (DESIGN.md principle 3). The returned value is the
 * function itself, still callable directly (handy in unit tests), carrying its step metadata.
 */
import { registerModuleFunction, type TaskContext } from '../runtime/index.js';

const STEP = Symbol.for('weft.step');

/** What `step()` knows about a declared step. */
export interface StepDefinition {
  /** The id given to `step()`, unique within its module. */
  readonly id: string;
  /** The module that declared it (file URL). */
  readonly moduleUrl: string;
}

/**
 * A step function: takes one object (its params merged with its named inputs) and the task context.
 * `P` is that object's type, `R` the (awaited) output.
 */
export type Step<P = Record<string, unknown>, R = unknown> = ((args: P, ctx: TaskContext) => R | Promise<R>) & {
  readonly [STEP]: StepDefinition;
};

/**
 * Declares a step. Call it at the top level of a module and export the result, so that thread and
 * process workers can import the module and find the function by `id`.
 *
 * @example
 * ```ts
 * export const processChunk = step('process_chunk', ({ chunkId }: { chunkId: number }) => `processed_${chunkId}`);
 * ```
 */
export function step<P, R>(id: string, fn: (args: P, ctx: TaskContext) => R | Promise<R>): Step<P, Awaited<R>> {
  const ref = registerModuleFunction(id, fn);
  Object.defineProperty(fn, STEP, { value: { id, moduleUrl: ref.moduleUrl } satisfies StepDefinition, enumerable: false });
  return fn as unknown as Step<P, Awaited<R>>;
}

/** The metadata of a function declared with `step()`, or undefined for a plain function. */
export function stepDefinition(fn: unknown): StepDefinition | undefined {
  if (typeof fn !== 'function') return undefined;
  return (fn as Partial<Record<typeof STEP, StepDefinition>>)[STEP];
}
