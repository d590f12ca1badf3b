/**
 * Which workers a nested task must avoid. A task that submits nested work (e.g. `parallelMap`
 * inside a thread step) gives its slot back to the scheduler while it waits, but it stays
 * suspended inside its worker. If one of its descendants ran on that same worker and crashed it
 * (`process.exit`, out of memory), the parent would die with it and be blamed for the crash.
 *
 * So when a worker submits nested work, the request is stamped with the workers of the whole chain
 * of suspended ancestors; the backend then runs the descendant on another worker of the slot. The
 * stamp is an enumerable symbol property: it survives the scheduler's `{ ...request }` copies for
 * retries, and never crosses a worker boundary (symbol keys are not part of any message).
 */
import type { TaskRequest } from './backend.js';

const ANCESTORS = Symbol('weft.suspendedAncestors');

type Stamped = TaskRequest & { [ANCESTORS]?: ReadonlySet<object> };

/** The workers suspended in the ancestors of `request`, if it was submitted from inside a worker. */
export function suspendedAncestors(request: TaskRequest): ReadonlySet<object> | undefined {
  return (request as Stamped)[ANCESTORS];
}

/**
 * Marks `child` (a request just received from a worker) as a descendant of `parent`, the request
 * running suspended in `worker`: the child must avoid `worker` and every worker `parent` avoids.
 */
export function stampDescendant(child: TaskRequest, parent: TaskRequest | undefined, worker: object): void {
  const inherited = parent === undefined ? undefined : suspendedAncestors(parent);
  const set = new Set<object>(inherited);
  set.add(worker);
  Object.defineProperty(child, ANCESTORS, { value: set, enumerable: true, configurable: true, writable: true });
}
