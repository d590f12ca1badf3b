/**
 * Parallelism and max parallelism, resolved once per operator with Flink's precedence:
 * operator `setParallelism` > environment > CLI `-p` > config `weft.parallelism.default` >
 * the number of available cores. Each value remembers where it came from, for `explain()`: the
 * setting's real source — `CLI -p`, `CLI --conf`, `env WEFT_CONF_…`, `config file <path>:line:col`.
 */
import { availableParallelism } from 'node:os';
import type { ConfigSource, ResolvedConfig } from '../../config/index.js';
import { defaultMaxParallelism, UPPER_BOUND_MAX_PARALLELISM } from '../key-groups.js';
import { ParallelismError } from '../errors.js';
import { describeNode, type LogicalNode } from './logical.js';

/**
 * Where a parallelism came from: `operator`, `environment`, `default: cores`, or the source of the
 * `weft.parallelism.default` setting (`CLI -p`, `CLI --conf`, `env WEFT_CONF_…`, `config file
 * <path>:<line>:<column>`, `project …`, `job …`, `code`).
 */
export type ParallelismSource = string;
export type MaxParallelismSource = 'operator' | 'environment' | 'default';

/** An operator's parallelism and max parallelism, with where each came from. */
export interface ResolvedParallelism {
  parallelism: number;
  source: ParallelismSource;
  maxParallelism: number;
  maxSource: MaxParallelismSource;
}

/** Environment-level settings. */
export interface EnvironmentParallelism {
  parallelism?: number | undefined;
  maxParallelism?: number | undefined;
}

/** Resolves one operator. Throws `ParallelismError` when parallelism exceeds max parallelism. */
export function resolveParallelism(node: LogicalNode, env: EnvironmentParallelism, config: ResolvedConfig): ResolvedParallelism {
  let parallelism: number;
  let source: ParallelismSource;
  if (node.parallelism !== undefined) [parallelism, source] = [node.parallelism, 'operator'];
  else if (env.parallelism !== undefined) [parallelism, source] = [env.parallelism, 'environment'];
  else {
    const configured = config.get('weft.parallelism.default');
    if (configured !== null) [parallelism, source] = [configured, describeSettingSource(config.source('weft.parallelism.default'))];
    else [parallelism, source] = [availableParallelism(), 'default: cores'];
  }
  let maxParallelism: number;
  let maxSource: MaxParallelismSource;
  if (node.maxParallelism !== undefined) [maxParallelism, maxSource] = [node.maxParallelism, 'operator'];
  else if (env.maxParallelism !== undefined) [maxParallelism, maxSource] = [env.maxParallelism, 'environment'];
  else [maxParallelism, maxSource] = [defaultMaxParallelism(parallelism), 'default'];
  if (maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new ParallelismError(
      `operator ${describeNode(node)}: expected a max parallelism from 1 to ${UPPER_BOUND_MAX_PARALLELISM}, got ${maxParallelism} (from the ${maxSource})`,
    );
  }
  if (parallelism > maxParallelism) {
    throw new ParallelismError(
      `operator ${describeNode(node)}: parallelism ${parallelism} (from the ${source}) is above its max parallelism ${maxParallelism} (from the ${maxSource}). ` +
        `Lower the parallelism or raise the max parallelism, e.g. .setMaxParallelism(${defaultMaxParallelism(parallelism)}) on this operator or ExecutionEnvironment.create({ maxParallelism }).`,
    );
  }
  return { parallelism, source, maxParallelism, maxSource };
}

/** A setting's source in explain's words: `CLI -p`, `CLI --conf`, `env WEFT_CONF_…`, `config file path:line:col`. */
export function describeSettingSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'cli':
      return `CLI ${source.where}`;
    case 'env':
      return `env ${source.where}`;
    case 'file':
      return `config file ${source.where}`;
    case 'code':
      return 'config code';
    default:
      return source.where === source.kind ? source.kind : `${source.kind} ${source.where}`;
  }
}
