/**
 * The values a function reads from the scopes around it — its module's top-level bindings (imports
 * included) and, for a closure, its enclosing function's variables — as they are now.
 *
 * JavaScript gives no way to read another function's scope, so this asks V8 through the inspector
 * protocol of the current thread (`node:inspector`, no debugger enabled, nothing paused): the
 * function's `[[Scopes]]` list its enclosing scopes, innermost first, with their variables. Only the
 * names the function's source really reads (its free variables, found by the lambda check's
 * parser) are returned, so unrelated bindings of the module do not matter. A function read that way
 * and declared in the same file is followed too, so a helper's reads count as the caller's.
 *
 * Used by the step cache: a value computed at import time (`const factor = Number(process.env.F)`)
 * is part of what a step computes, as much as its code.
 */
import { Session } from 'node:inspector';
import type { Runtime } from 'node:inspector';
import { freeVariables } from './lambda-check.js';

/** One binding a function reads from an enclosing scope. */
export interface ClosureBinding {
  /** The variable's name. */
  readonly name: string;
  /** Its current value. */
  readonly value: unknown;
  /** The helper functions it was read through, outermost first (empty when the function reads it itself). */
  readonly via: readonly string[];
}

const PROBE = 'weft.closureProbe';

interface Probe {
  fn: unknown;
  out: unknown[];
}

/**
 * The bindings `fn` reads from its enclosing (non-global) scopes, with their current values.
 *
 * @throws Error when the inspector is not available in this Node build.
 */
export function closureBindings(fn: (...args: never[]) => unknown): ClosureBinding[] {
  const probe: Probe = { fn, out: [] };
  const holder = globalThis as { [key: symbol]: Probe | undefined };
  const key = Symbol.for(PROBE);
  holder[key] = probe;
  const session = new Session();
  session.connect();
  try {
    const inspect = new ScopeReader(session, probe);
    const root = inspect.evaluate(`globalThis[Symbol.for(${JSON.stringify(PROBE)})].fn`);
    return inspect.bindings(root, fn);
  } finally {
    delete holder[key];
    session.disconnect();
  }
}

class ScopeReader {
  readonly #session: Session;
  readonly #probe: Probe;
  readonly #probeId: string;
  readonly #seen = new Set<unknown>();
  #scriptId: string | undefined;

  constructor(session: Session, probe: Probe) {
    this.#session = session;
    this.#probe = probe;
    this.#probeId = this.evaluate(`globalThis[Symbol.for(${JSON.stringify(PROBE)})]`);
  }

  /** The object id of what `expression` evaluates to. */
  evaluate(expression: string): string {
    const { result } = this.#post<Runtime.EvaluateReturnType>('Runtime.evaluate', { expression });
    if (result.objectId === undefined) throw new Error(`weft internal error: the inspector gave no object for ${expression}`);
    return result.objectId;
  }

  /** The bindings the function behind `objectId` reads, then those of same-file functions it reads. */
  bindings(objectId: string, fn: unknown, via: readonly string[] = []): ClosureBinding[] {
    this.#seen.add(fn);
    const names = new Set(freeVariables(fn as () => unknown));
    if (names.size === 0) return [];
    const internal = this.#post<Runtime.GetPropertiesReturnType>('Runtime.getProperties', { objectId, ownProperties: true }).internalProperties ?? [];
    const location = internal.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as { scriptId?: string } | undefined;
    this.#scriptId ??= location?.scriptId;
    const scopes = internal.find((p) => p.name === '[[Scopes]]')?.value?.objectId;
    if (scopes === undefined) return [];
    const found: ClosureBinding[] = [];
    const follow: Array<{ id: string; value: unknown; name: string }> = [];
    for (const scope of this.#properties(scopes)) {
      if (scope.value?.description === 'Global' || scope.value?.objectId === undefined) continue;
      for (const variable of this.#properties(scope.value.objectId)) {
        if (!names.delete(variable.name) || variable.value === undefined) continue;
        const value = this.#materialize(variable.value);
        found.push({ name: variable.name, value, via });
        if (typeof value === 'function' && !this.#seen.has(value) && variable.value.objectId !== undefined && this.#sameFile(variable.value.objectId)) {
          follow.push({ id: variable.value.objectId, value, name: variable.name });
        }
      }
    }
    for (const next of follow) {
      if (!this.#seen.has(next.value)) found.push(...this.bindings(next.id, next.value, [...via, next.name]));
    }
    return found;
  }

  /** True when the function behind `objectId` was declared in the same file as the first one. */
  #sameFile(objectId: string): boolean {
    const internal = this.#post<Runtime.GetPropertiesReturnType>('Runtime.getProperties', { objectId, ownProperties: true }).internalProperties ?? [];
    const location = internal.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as { scriptId?: string } | undefined;
    return location?.scriptId !== undefined && location.scriptId === this.#scriptId;
  }

  #properties(objectId: string): Runtime.PropertyDescriptor[] {
    return this.#post<Runtime.GetPropertiesReturnType>('Runtime.getProperties', { objectId, ownProperties: true }).result;
  }

  /** The JavaScript value a remote object stands for, handed over through the probe. */
  #materialize(remote: Runtime.RemoteObject): unknown {
    const argument: Runtime.CallArgument =
      remote.objectId !== undefined
        ? { objectId: remote.objectId }
        : remote.unserializableValue !== undefined
          ? { unserializableValue: remote.unserializableValue }
          : remote.type === 'undefined'
            ? {}
            : { value: remote.value as unknown };
    this.#post('Runtime.callFunctionOn', {
      objectId: this.#probeId,
      functionDeclaration: 'function (value) { this.out.push(value); }',
      arguments: [argument],
    });
    return this.#probe.out.pop();
  }

  /** A synchronous call: a session connected to its own thread answers before `post` returns. */
  #post<T>(method: string, params: object): T {
    let answer: { error: Error | null; result: T } | undefined;
    (this.#session.post as (method: string, params: object, callback: (error: Error | null, result: T) => void) => void)(method, params, (error, result) => {
      answer = { error, result };
    });
    if (answer === undefined) throw new Error(`weft internal error: the inspector did not answer ${method} synchronously`);
    if (answer.error) throw answer.error;
    return answer.result;
  }
}
