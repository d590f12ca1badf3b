/**
 * The graph layer: DAGs, their execution with bounded parallelism, failure policies, retries and
 * timeouts, and the analyses behind `weft plan` (width, critical path, predicted wall time).
 */
export { Dag } from './dag.js';
export type { GraphNode } from './dag.js';
export { CycleError, DuplicateNodeError, UnknownDependencyError, UnknownNodeError } from './errors.js';
export { runGraph } from './executor.js';
export type {
  ExecuteContext,
  FailurePolicy,
  GraphRunResult,
  NodeExecution,
  NodeResult,
  NodeStatus,
  RunGraphOptions,
  RunStatus,
} from './executor.js';
export { criticalPath, dagWidth, predictWallTime } from './analysis.js';
