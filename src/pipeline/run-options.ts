/** Options of `pipeline.run()`, shared by the pipeline and its executors. */
import type { EventStream } from '../events.js';
import type { ResolvedConfig } from '../config/index.js';
import type { FailurePolicy } from '../graph/index.js';
import type { PipelineExecutor } from './pipeline.js';

export interface RunOptions {
  /** Who runs the steps. Default: a `ParallelExecutor` built from the resolved config. */
  executor?: PipelineExecutor;
  /** Aborting it cancels the run: nothing new starts, running steps are stopped. */
  signal?: AbortSignal;
  /** Receives every run, node and task event. */
  events?: EventStream;
  /** `fail-fast` (default) or `keep-going`. */
  failurePolicy?: FailurePolicy;
  /** Settings; default `resolveConfig()` from the current directory and environment. */
  config?: ResolvedConfig;
  /** Where cached step outputs live. Default: `weft.cache.dir` under the current directory. */
  cacheDir?: string;
  /** Id of this run in events and history. Default: a random UUID. */
  runId?: string;
}
