/**
 * The project layer: declarative YAML projects — relations, mappings, targets and parameterised
 * jobs — planned and run on the dataflow engine, Flowman style, with every level of parallelism:
 * mappings planned at once, targets run as their data allows, instances `-j N` at a time.
 *
 * @example
 * ```ts
 * import { ProjectSession, builtinKinds, executeJob } from 'weft';
 *
 * const session = await ProjectSession.open({ path: 'examples/weather', kinds: builtinKinds() });
 * const run = await executeJob(session, { job: 'main', args: ['year:start=2011', 'year:end=2015'], jobs: 2 });
 * console.log(run.status, run.instances.map((i) => `${i.key}: ${i.status}`));
 * await session.close();
 * ```
 */
export { ProjectSession, type SessionOptions } from './session.js';
export { builtinKinds, MAPPING_KINDS, TARGET_KINDS } from './builtin-kinds.js';
export { RELATION_KINDS } from './relations/kinds.js';
export type { Kinds } from './instantiate.js';
export { loadProject } from './load/load-project.js';
export type { Project, RawEntity, Section, Profile } from './project.js';
export { executeJob, planJob, type ExecuteJobOptions, type JobPlan } from './execution/execute-job.js';
export type { JobRun } from './execution/run-job.js';
export type { InstanceRun, PhaseRun, TargetRun, TargetStatus, InstanceStatus } from './execution/run-types.js';
export type { InstanceRecorder, LastTargetRun, RecordStatus } from './execution/recorder.js';
export { MemoryRecords } from './execution/recorder.js';
export { storeRecorder, type StoreRecorderOptions } from './execution/store-recorder.js';
export { InstanceContext } from './execution/instance-context.js';
export { readJob, type Job } from './jobs/job.js';
export { expandInstances, type JobInstance } from './jobs/instances.js';
export type { Parameter, ParameterType, ParameterValue } from './jobs/parameters.js';
export { PHASES, LIFECYCLES, type Phase } from './phases.js';
export { validateProject, type ValidationIssue, type ValidationReport } from './validate-project.js';
export type { Relation, RelationKind, RelationContext, RelationSetup, Row, PartitionColumn, PartitionFilter, PartitionValues, WriteMode } from './relations/relation.js';
export type { Mapping, MappingKind, MappingContext, MappingOutput } from './mappings/mapping.js';
export type { MappingFunction, MappingFunctionContext } from './mappings/function-kind.js';
export type { Target, TargetKind, TargetContext, TargetOutcome, TargetSetup } from './targets/target.js';
export type { EntitySetup } from './entity-setup.js';
export type { Resource } from './resources.js';
export type { DataType, ProjectField, ProjectSchema } from './data-types.js';
export type { SourceLocation } from './location.js';
export { ProjectError, ExpressionError, TargetFailedError, StateStoreError, RelationError } from './errors.js';
export { openStateStore, type StateStore } from './store/index.js';
export { parseExpression, checkExpression, compileExpression, compileCondition, formatExpression, type Expression } from './expr/index.js';
