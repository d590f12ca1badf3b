/**
 * The one resolver for every setting in weft. Sources are an ordered list of named layers, lowest
 * precedence first (DESIGN.md principle 5); adding a level (e.g. project config or job environment
 * between file and env) is one more line in {@link CONFIG_LAYERS}.
 */
import path from 'node:path';
import { cliLayer } from './cli-source.js';
import { entriesLayer } from './entries-source.js';
import { envLayer } from './env-source.js';
import { CONFIG_FILE_NAME, fileLayer } from './file-source.js';
import { codeLayer, defaultLayer } from './layer.js';
import type { ConfigLayer } from './layer.js';
import { ResolvedConfig } from './resolved-config.js';
import type { CliSetting, ConfigLayerInput, ResolveOptions } from './settings.js';

/** What a layer loader gets: the options with `cwd` and `env` filled in. */
export interface LayerContext {
  readonly options: ResolveOptions;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** One level of precedence. */
export interface LayerDefinition {
  readonly name: string;
  /** How the layer reads in the docs' precedence list. */
  readonly summary: string;
  /** The layer's values, or `undefined` when the source is absent (e.g. no config file). */
  readonly load: (context: LayerContext) => ConfigLayer | undefined;
}

/** Every source, lowest precedence first. */
let processCliEntries: ReadonlyArray<string | CliSetting> = [];

/**
 * Sets the command-line entries (`--conf`, `-p`, `-j` …) of this process, so that every
 * `resolveConfig()` made while the `weft` command runs a user module — by a pipeline, an
 * `ExecutionEnvironment` — sees them in its `cli` layer. Only the CLI calls this.
 */
export function setProcessCliConfig(entries: ReadonlyArray<string | CliSetting>): void {
  processCliEntries = [...entries];
}

export const CONFIG_LAYERS: readonly LayerDefinition[] = [
  { name: 'default', summary: 'built-in defaults', load: () => defaultLayer() },
  {
    name: 'project-default',
    summary: "a project's own defaults (e.g. four parallel targets, as Flowman)",
    load: ({ options }) => optionalLayer('project-default', 'default', options.project?.defaults),
  },
  {
    name: 'file',
    summary: `the namespace config file: \`${CONFIG_FILE_NAME}\` in the working directory, or the file named by \`$WEFT_CONFIG\``,
    load: loadConfigFile,
  },
  {
    name: 'project',
    summary: "a project's `config` (in `project.yml`, its modules and its active profiles)",
    load: ({ options }) => optionalLayer('project', 'project', options.project?.project),
  },
  { name: 'job', summary: "the running job's `config`", load: ({ options }) => optionalLayer('job', 'job', options.project?.job) },
  {
    name: 'env',
    summary: 'environment variables `WEFT_CONF_<KEY>` (e.g. `WEFT_CONF_WEFT_SCHEDULER_MODE=FAIR`)',
    load: ({ env }) => envLayer(env),
  },
  { name: 'cli', summary: 'command-line flags `--conf key=value` (repeatable; the last one wins)', load: ({ options }) => cliLayer(options.cli ?? processCliEntries) },
  { name: 'code', summary: 'values passed by code (`resolveConfig({ code })`, `config.with(…)`)', load: ({ options }) => codeLayer(options.code ?? {}) },
];

/**
 * Resolves every setting from all sources. Reads the config file synchronously.
 *
 * @throws ConfigError naming the source (`file:line:column`, env variable, `--conf` flag or `code`)
 *   of the first unknown key or bad value.
 * @example
 * ```ts
 * const config = resolveConfig({ cli: ['weft.scheduler.mode=FAIR'] });
 * config.get('weft.scheduler.mode'); // 'FAIR'
 * config.source('weft.scheduler.mode'); // { kind: 'cli', where: '--conf' }
 * ```
 */
export function resolveConfig(options: ResolveOptions = {}): ResolvedConfig {
  const context: LayerContext = { options, cwd: path.resolve(options.cwd ?? process.cwd()), env: options.env ?? process.env };
  const layers: ConfigLayer[] = [];
  for (const definition of CONFIG_LAYERS) {
    const layer = definition.load(context);
    if (layer) layers.push(layer);
  }
  return new ResolvedConfig(layers);
}

function optionalLayer(name: string, kind: 'default' | 'project' | 'job', input: ConfigLayerInput | undefined): ConfigLayer | undefined {
  return input === undefined || input.length === 0 ? undefined : entriesLayer(name, kind, input);
}

/** `options.configFile`, else `$WEFT_CONFIG` (both must exist), else `<cwd>/weft.config.yaml` if present. */
function loadConfigFile({ options, cwd, env }: LayerContext): ConfigLayer | undefined {
  const named = options.configFile ?? (env.WEFT_CONFIG === '' ? undefined : env.WEFT_CONFIG);
  if (named !== undefined) return fileLayer(path.resolve(cwd, named), true);
  return fileLayer(path.join(cwd, CONFIG_FILE_NAME), false);
}
