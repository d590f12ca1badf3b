/** Code-first pipelines: steps, the pipeline DAG, executors and in-step `parallelMap`. */
export { step, stepDefinition, type Step, type StepDefinition } from './step.js';
export { Pipeline, type AddStepOptions, type PipelineStep, type PipelinePlan, type PipelineExecutor, type StepHandle } from './pipeline.js';
export { ParallelExecutor, SequentialExecutor, defaultExecutor, type ParallelExecutorOptions } from './executor.js';
export { PipelineResult, type StepResult } from './result.js';
export type { RunOptions } from './run-options.js';
export { parallelMap, type ParallelMapOptions, type MapFunction, type MapContext } from './parallel-map.js';
export { StepCache } from './cache.js';
export { DuplicateStepError, MissingInputError, UncacheableStepError, StepOutputError, PipelineFailedError } from './errors.js';
export { defaultEngine, engineOptionsFrom, type EngineOverrides } from '../scheduler/engine.js';
export { preflight, type Preflight, type PreflightTarget, type PreparedStep } from './preflight.js';
