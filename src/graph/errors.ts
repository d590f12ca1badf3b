/**
 * Errors of the graph layer: a DAG that cannot be built because of its shape. They are all
 * {@link UsageError}s (the user declared the graph), registered by name so that a worker that
 * builds a graph can report them to the main thread without losing their class.
 */
import { UsageError, registerErrorClass } from '../errors.js';

/** Quotes a node id for messages. */
function q(id: string): string {
  return JSON.stringify(id);
}

/** Two nodes share one id. */
export class DuplicateNodeError extends UsageError {
  override name = 'DuplicateNodeError';
  /** The id declared more than once. */
  readonly id: string;
  constructor(id: string, firstPosition: number, secondPosition: number) {
    super(
      `Expected every node id to be unique, but ${q(id)} is declared twice (positions ${firstPosition} and ${secondPosition}). ` +
        'Rename one of the two nodes.',
      { code: 'WEFT_DUPLICATE_NODE' },
    );
    this.id = id;
  }
}

/** A node depends on an id that no node has. */
export class UnknownDependencyError extends UsageError {
  override name = 'UnknownDependencyError';
  /** The node that declared the dependency. */
  readonly node: string;
  /** The missing id. */
  readonly dependency: string;
  constructor(node: string, dependency: string, known: readonly string[]) {
    const shown = known.slice(0, 10).map(q).join(', ');
    const more = known.length > 10 ? `, … (${known.length} in all)` : '';
    super(
      `Node ${q(node)} depends on ${q(dependency)}, but no node has that id` +
        (known.length > 0 ? ` (known nodes: ${shown}${more})` : ' (the graph is empty)') +
        `. Fix the dependency's name or add a node with id ${q(dependency)}.`,
      { code: 'WEFT_UNKNOWN_DEPENDENCY' },
    );
    this.node = node;
    this.dependency = dependency;
  }
}

/** The dependencies form a cycle, so no node on it could ever start. */
export class CycleError extends UsageError {
  override name = 'CycleError';
  /** Every node on the cycle in run order (each needs the one before it); the first is not repeated. */
  readonly cycle: string[];
  constructor(cycle: string[]) {
    const ring = [...cycle, cycle[0] ?? ''].map(q).join(' → ');
    super(
      `Expected the dependencies to form a DAG, but they form a cycle: ${ring} (each node waits for the one before it). ` +
        'Remove one of these dependencies.',
      { code: 'WEFT_CYCLE' },
    );
    this.cycle = cycle;
  }
}

/** Asked for a node id that the DAG does not have. */
export class UnknownNodeError extends UsageError {
  override name = 'UnknownNodeError';
  /** The id that was asked for. */
  readonly id: string;
  constructor(id: string) {
    super(`Expected the id of a node of this DAG, got ${q(id)}. Check the spelling against \`dag.nodes\`.`, {
      code: 'WEFT_UNKNOWN_NODE',
    });
    this.id = id;
  }
}

for (const cls of [DuplicateNodeError, UnknownDependencyError, CycleError, UnknownNodeError]) {
  registerErrorClass(cls.name, cls);
}
