/**
 * A project session: one loaded project and everything a command needs to run its jobs — the
 * resolved config at each level (project defaults < namespace file < project < job < env < CLI),
 * the variables at each level (built-ins < environment < profiles < job environment < `-D` <
 * parameters), one dataflow environment whose engine every instance shares, and the kinds of
 * relations, mappings and targets. `context(job, instance)` builds an isolated instance context.
 */
import { randomUUID } from 'node:crypto';
import { resolveConfig, type ConfigLayerEntry, type ResolvedConfig } from '../config/index.js';
import { closest } from '../config/suggest.js';
import { ExecutionEnvironment } from '../dataflow/index.js';
import type { EventStream } from '../events.js';
import { ProjectError } from './errors.js';
import { InstanceContext } from './execution/instance-context.js';
import type { Kinds } from './instantiate.js';
import type { Job } from './jobs/job.js';
import type { JobInstance } from './jobs/instances.js';
import { variableValue } from './jobs/parameters.js';
import { loadProject } from './load/load-project.js';
import { Variables, type VariableDef, type VariableLayer } from './load/variables.js';
import type { Project } from './project.js';

/** How to open a session. */
export interface SessionOptions {
  /** The project directory or its project.yml. */
  readonly path: string;
  readonly kinds: Kinds;
  /** Profiles to activate (`--profile`). */
  readonly profiles?: readonly string[];
  /** `-D name=value` definitions. */
  readonly defines?: readonly string[];
  /** `--conf key=value` settings. */
  readonly conf?: readonly string[];
  /** Working directory for the namespace config file. @default process.cwd() */
  readonly cwd?: string;
  /** Receives the task events of every job. */
  readonly events?: EventStream;
  /** Where console targets write. */
  readonly print?: (text: string) => void;
}

/** Flowman runs up to four targets at once under its parallel executor unless told otherwise. */
const PROJECT_DEFAULTS: readonly ConfigLayerEntry[] = [{ key: 'weft.execution.executor.parallelism', value: 4, where: 'weft project default' }];

/** An open project. */
export class ProjectSession {
  readonly project: Project;
  readonly kinds: Kinds;
  readonly #options: SessionOptions;
  readonly #profiles: readonly string[];
  readonly #defines: readonly VariableDef[];
  /** Each job's settings (and the project's, under `undefined`), resolved once per session. */
  readonly #configs = new Map<Job | undefined, ResolvedConfig>();
  #env: ExecutionEnvironment | undefined;

  private constructor(project: Project, options: SessionOptions) {
    this.project = project;
    this.kinds = options.kinds;
    this.#options = options;
    this.#profiles = options.profiles ?? [];
    for (const name of this.#profiles) {
      if (!project.profiles.has(name)) {
        const known = [...project.profiles.keys()];
        const near = closest(name, known, 1);
        throw new ProjectError(`project \`${project.name}\` has no profile \`${name}\`${near.length > 0 ? ` (did you mean \`${near[0]}\`?)` : ''}; its profiles: ${known.join(', ') || 'none'}`);
      }
    }
    this.#defines = (options.defines ?? []).map(parseDefine);
  }

  /** Loads the project and checks the options against it. */
  static async open(options: SessionOptions): Promise<ProjectSession> {
    return new ProjectSession(await loadProject(options.path), options);
  }

  /**
   * The settings of the project, or of one job (its `config` above the project's). Resolved once per
   * session and job, so every instance of a range runs with the same settings, read from files once.
   */
  config(job?: Job): ResolvedConfig {
    let config = this.#configs.get(job);
    if (config === undefined) this.#configs.set(job, (config = this.#resolveConfig(job)));
    return config;
  }

  #resolveConfig(job: Job | undefined): ResolvedConfig {
    const project = [...this.project.config, ...this.#profiles.flatMap((p) => this.project.profiles.get(p)!.config)];
    return resolveConfig({
      ...(this.#options.cwd ? { cwd: this.#options.cwd } : {}),
      ...(this.#options.conf ? { cli: this.#options.conf } : {}),
      project: { defaults: PROJECT_DEFAULTS, project, ...(job ? { job: job.config } : {}) },
    });
  }

  /** The variables of the project, of a job, or of one job instance. */
  variables(job?: Job, instance?: JobInstance): Variables {
    const p = this.project;
    const builtins: VariableDef[] = [
      { name: 'project.name', value: p.name, where: 'weft built-in' },
      { name: 'project.version', value: p.version ?? '', where: 'weft built-in' },
      { name: 'project.basedir', value: p.dir, where: 'weft built-in' },
      { name: 'project.filename', value: p.file, where: 'weft built-in' },
      ...(job ? [{ name: 'job.name', value: job.name, where: 'weft built-in' }] : []),
    ];
    const layers: VariableLayer[] = [
      { name: 'built-in', defs: builtins },
      { name: 'environment', defs: p.environment },
      ...this.#profiles.map((name) => ({ name: `profile ${name}`, defs: p.profiles.get(name)!.environment })),
      ...(job ? [{ name: `job ${job.name}`, defs: job.environment }] : []),
      { name: '-D', defs: this.#defines },
    ];
    if (job && instance) {
      const params = job.parameters.map((param) => ({ name: param.name, value: variableValue(param.type, instance.values.get(param.name)!), where: `parameter ${param.name}` }));
      layers.push({ name: 'parameters', defs: params });
    }
    return new Variables(layers);
  }

  /** The dataflow environment every instance of this session runs on (one engine, one set of slots). */
  environment(config: ResolvedConfig): ExecutionEnvironment {
    this.#env ??= ExecutionEnvironment.create({ config, ...(this.#options.events ? { events: this.#options.events } : {}) });
    return this.#env;
  }

  /** A fresh, isolated context for one job instance (or for the project alone). */
  context(options: { job?: Job; instance?: JobInstance; signal: AbortSignal; runId?: string }): InstanceContext {
    const config = this.config(options.job);
    return new InstanceContext({
      project: this.project,
      kinds: this.kinds,
      variables: this.variables(options.job, options.instance),
      config,
      env: this.environment(config),
      relationContext: { env: this.environment(config), signal: options.signal, runId: options.runId ?? randomUUID() },
      ...(this.#options.print ? { print: this.#options.print } : {}),
    });
  }

  /** Stops the session's workers. */
  async close(): Promise<void> {
    await this.#env?.close();
  }
}

function parseDefine(text: string): VariableDef {
  const eq = text.indexOf('=');
  const name = eq > 0 ? text.slice(0, eq).trim() : '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*$/.test(name)) {
    throw new ProjectError(`-D ${text}: expected name=value with a variable name of letters, digits and \`_\` (e.g. -D basedir=/data)`);
  }
  return { name, value: text.slice(eq + 1), where: `-D ${text}` };
}
