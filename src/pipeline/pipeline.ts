/**
 * `Pipeline` — a named DAG of steps wired by the names of their outputs (flowyml's model), with
 * typed handles so that TypeScript catches a miswired input where it can see one.
 *
 * Wiring is checked as early as it can be: a duplicate step or output name at `addStep`, a missing
 * producer and a cycle when the run is planned — always before any step starts.
 */
import type { BackendKind } from '../events.js';
import type { TaskContext } from '../runtime/index.js';
import { Dag, type GraphNode } from '../graph/index.js';
import { UsageError, describeValue } from '../errors.js';
import { DuplicateStepError, MissingInputError } from './errors.js';
import { stepDefinition } from './step.js';
import type { RunOptions } from './run-options.js';
import type { PipelineResult } from './result.js';
import { defaultExecutor } from './executor.js';

/** A reference to a step added to a pipeline; its output type flows into consumers' `inputs`. */
export interface StepHandle<R = unknown> {
  /** The step's name in this pipeline. */
  readonly name: string;
  /** Phantom field carrying the output type; never set. */
  readonly __output?: R;
}

type InputWiring<P> = ReadonlyArray<keyof P & string> | { readonly [K in keyof P]?: string | StepHandle<P[K]> };

/** Options of `pipeline.addStep`. `P` is the step's argument type. */
export interface AddStepOptions<P extends object> {
  /** Name in this pipeline; default the step id (or the function's name). Must be unique. */
  name?: string;
  /** Fixed values for some of the step's arguments. */
  params?: Partial<P>;
  /**
   * Arguments filled from other steps' outputs: a list of output names (each is also the argument
   * name), or a map from argument name to an output name or a {@link StepHandle}.
   */
  inputs?: InputWiring<P>;
  /**
   * Names under which this step's output is published. One name: the return value. Several: the
   * step returns an object with one property per name. The step's own name always refers to its
   * whole return value too.
   */
  outputs?: string | readonly string[];
  /** Steps (names or handles) this one runs after, without taking their output. */
  after?: ReadonlyArray<string | StepHandle>;
  /** Extra attempts after a failure. @default 0 */
  retries?: number;
  /** First back-off before a retry, doubled each time. @default 0 */
  retryDelayMs?: number;
  /** Per-attempt time limit; the work is really stopped (a thread or process worker is terminated). */
  timeoutMs?: number;
  /** Runs the step only when this returns true; otherwise it and its dependents are skipped. */
  when?: (args: P) => boolean | Promise<boolean>;
  /** Reuse the output of an earlier run with the same code, params and inputs. @default false */
  cache?: boolean;
  /** Run this step on another backend than the executor's. */
  backend?: BackendKind;
  /** Move ArrayBuffers in the arguments and the output instead of copying them (thread backend). */
  transfer?: boolean;
}

/** A step as the pipeline holds it. */
export interface PipelineStep {
  readonly name: string;
  readonly index: number;
  readonly fn: (args: never, ctx: TaskContext) => unknown;
  /** The id a worker finds the function by (for `step()` functions) or its name. */
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Argument name → output name. */
  readonly inputs: ReadonlyMap<string, string>;
  readonly outputs: readonly string[];
  readonly after: readonly string[];
  readonly options: Readonly<AddStepOptions<object>>;
}

/** The pipeline's steps turned into a graph plus who produces each output. */
export interface PipelinePlan {
  dag: Dag<PipelineStep>;
  /** Output name → producing step name. */
  producers: ReadonlyMap<string, string>;
}

/** The executor contract `Pipeline.run` needs; see `SequentialExecutor` and `ParallelExecutor`. */
export interface PipelineExecutor {
  execute(pipeline: Pipeline, options: RunOptions): Promise<PipelineResult>;
  /** Stops the executor's workers, when it owns any. */
  close?(): Promise<void>;
}

/** Every option `addStep` knows; anything else is a typo (`retry: 3`) and refused. */
const STEP_OPTIONS: ReadonlySet<string> = new Set([
  'name', 'params', 'inputs', 'outputs', 'after', 'retries', 'retryDelayMs', 'timeoutMs', 'when', 'cache', 'backend', 'transfer',
] satisfies Array<keyof AddStepOptions<object>>);

const BRAND = Symbol.for('weft.pipeline');

/** A named DAG of steps. */
export class Pipeline {
  /**
   * True for a pipeline from any copy of weft (a module may import weft through another path than
   * the `weft` command that loads it, so `instanceof` is not enough).
   */
  static isPipeline(value: unknown): value is Pipeline {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly name: string;
  readonly #steps: PipelineStep[] = [];
  readonly #byName = new Map<string, PipelineStep>();
  /** Output name → producing step name. */
  readonly #producers = new Map<string, string>();
  /** The last plan, reused while no step is added and no step's retry or timeout settings changed. */
  #plan: PipelinePlan | undefined;

  constructor(name: string) {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new UsageError(`Expected a pipeline name (a non-empty string) in \`new Pipeline(name)\`, got ${describeValue(name)}`);
    }
    this.name = name;
  }

  /** The steps in declaration order. */
  get steps(): readonly PipelineStep[] {
    return this.#steps;
  }

  /**
   * Adds a step. Returns a handle whose output type flows into other steps' `inputs`.
   *
   * @example
   * ```ts
   * const raw = pipeline.addStep(load, { params: { path: 'data.csv' } });
   * pipeline.addStep(train, { inputs: { rows: raw } });   // a compile error if `rows` does not take load's output
   * ```
   */
  addStep<P extends object, R>(fn: (args: P, ctx: TaskContext) => R, options: AddStepOptions<P> = {}): StepHandle<Awaited<R>> {
    if (typeof fn !== 'function') {
      throw new UsageError(
        `pipeline "${this.name}": expected a step function (from step() or a lambda) as addStep's first argument, got ${describeValue(fn)}`,
      );
    }
    checkStepOptions(this.name, options);
    const definition = stepDefinition(fn);
    const name = options.name ?? definition?.id ?? (fn.name || `step_${this.#steps.length}`);
    const existing = this.#byName.get(name);
    if (existing) {
      throw new DuplicateStepError(
        `pipeline "${this.name}": a step named "${name}" was already added (step #${existing.index + 1}); give each step a unique \`name\``,
      );
    }
    const outputs = options.outputs === undefined ? [] : typeof options.outputs === 'string' ? [options.outputs] : [...options.outputs];
    for (const output of [name, ...outputs]) {
      const producer = this.#producers.get(output);
      if (producer !== undefined) {
        throw new DuplicateStepError(
          `pipeline "${this.name}": output "${output}" of step "${name}" is already produced by step "${producer}"; every output name needs one producer`,
        );
      }
    }
    const step: PipelineStep = {
      name,
      index: this.#steps.length,
      fn: fn,
      id: definition?.id ?? name,
      params: { ...(options.params as Record<string, unknown> | undefined) },
      inputs: normaliseInputs(options.inputs),
      outputs,
      after: (options.after ?? []).map((a) => (typeof a === 'string' ? a : a.name)),
      options: options as AddStepOptions<object>,
    };
    this.#plan = undefined;
    this.#steps.push(step);
    this.#byName.set(name, step);
    for (const output of [name, ...outputs]) this.#producers.set(output, name);
    return { name };
  }

  /**
   * Builds the graph: resolves every input to its producer. Throws on a missing producer or a cycle.
   * The plan is built once and reused by later runs while the steps are the same (their retry and
   * timeout options, which may be changed between runs, are compared each time).
   */
  plan(): PipelinePlan {
    const cached = this.#plan;
    if (cached !== undefined && cached.dag.nodes.every(sameSettings)) return cached;
    this.#plan = this.#build();
    return this.#plan;
  }

  #build(): PipelinePlan {
    const nodes: Array<GraphNode<PipelineStep>> = this.#steps.map((step) => {
      const deps = new Set<string>();
      for (const [arg, output] of step.inputs) {
        const producer = this.#producers.get(output);
        if (producer === undefined) {
          throw new MissingInputError(
            `pipeline "${this.name}": step "${step.name}" takes input "${output}" (argument "${arg}") but no step produces it; ` +
              `known outputs: ${[...this.#producers.keys()].join(', ') || '(none)'}`,
          );
        }
        deps.add(producer);
      }
      for (const after of step.after) {
        if (!this.#byName.has(after)) {
          throw new MissingInputError(
            `pipeline "${this.name}": step "${step.name}" runs after "${after}", but there is no such step; steps: ${[...this.#byName.keys()].join(', ')}`,
          );
        }
        deps.add(after);
      }
      const o = step.options;
      return {
        id: step.name,
        deps: [...deps],
        data: step,
        ...(o.retries !== undefined ? { retries: o.retries } : {}),
        ...(o.retryDelayMs !== undefined ? { retryDelayMs: o.retryDelayMs } : {}),
        ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      };
    });
    return { dag: new Dag(nodes), producers: new Map(this.#producers) };
  }

  /**
   * Runs the pipeline. Without an executor, the configured one runs it
   * (`weft.execution.executor.parallelism` slots on `weft.execution.backend`).
   */
  async run(options: RunOptions = {}): Promise<PipelineResult> {
    const executor = options.executor ?? defaultExecutor(options);
    return executor.execute(this, options);
  }
}

/** True when a planned node still has its step's retry and timeout options. */
function sameSettings(node: GraphNode<PipelineStep>): boolean {
  const o = node.data.options;
  return node.retries === o.retries && node.retryDelayMs === o.retryDelayMs && node.timeoutMs === o.timeoutMs;
}

function checkStepOptions(pipeline: string, options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new UsageError(`pipeline "${pipeline}": expected addStep's options to be an object, got ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).filter((key) => !STEP_OPTIONS.has(key));
  if (unknown.length > 0) {
    throw new UsageError(
      `pipeline "${pipeline}": unknown addStep option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `\`${k}\``).join(', ')}; ` +
        `valid options are ${[...STEP_OPTIONS].map((k) => `\`${k}\``).join(', ')}`,
    );
  }
}

function normaliseInputs(inputs: InputWiring<object> | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (inputs === undefined) return map;
  if (Array.isArray(inputs)) {
    for (const name of inputs as readonly string[]) map.set(name, name);
    return map;
  }
  for (const [arg, source] of Object.entries(inputs as Record<string, string | StepHandle | undefined>)) {
    if (source === undefined) continue;
    map.set(arg, typeof source === 'string' ? source : source.name);
  }
  return map;
}
