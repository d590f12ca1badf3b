/**
 * From the command line's job arguments to the list of job instances: `year=2013` fixes a value,
 * `year:start=2000 year:end=2020 [year:step=2]` gives a range whose END IS EXCLUSIVE (as Flowman:
 * 2000 … 2019), dates and timestamps step by ISO-8601 durations (`day:step=P1D`), and several
 * ranges combine as a cartesian product — the first declared parameter changes slowest — so the
 * order of instances is stable from run to run.
 */
import { closest } from '../../config/suggest.js';
import { ProjectError } from '../errors.js';
import { addDuration, parseDuration } from './duration.js';
import { formatParameterValue, parseParameterValue, type Parameter, type ParameterValue } from './parameters.js';

/** One job instance: a value for every parameter. */
export interface JobInstance {
  /** Canonical `name=value` pairs in declaration order, joined with `,` (e.g. `year=2013`); empty without parameters. */
  readonly key: string;
  readonly values: ReadonlyMap<string, ParameterValue>;
  /** The canonical text of each value. */
  readonly texts: Readonly<Record<string, string>>;
}

/** At most this many instances from one command line. */
export const MAX_INSTANCES = 100_000;

const ARG = /^([A-Za-z_][A-Za-z0-9_.-]*)(?::(start|end|step))?=(.*)$/s;

interface ParsedArgs {
  fixed: Map<string, ParameterValue>;
  range: Map<string, { start?: string; end?: string; step?: string }>;
}

/**
 * Expands job arguments into instances.
 * @throws ProjectError for an unknown or missing parameter (listing the job's parameters), a bad
 *   value, an incomplete or empty range, or more than {@link MAX_INSTANCES} instances.
 */
export function expandInstances(job: string, parameters: readonly Parameter[], args: readonly string[]): JobInstance[] {
  const parsed = parseArgs(job, parameters, args);
  let combos: Array<Map<string, ParameterValue>> = [new Map<string, ParameterValue>()];
  for (const parameter of parameters) {
    const values = valuesOf(job, parameter, parsed, parameters);
    if (combos.length * values.length > MAX_INSTANCES) {
      throw new ProjectError(`job \`${job}\`: the arguments give more than ${MAX_INSTANCES} instances; narrow the ranges or raise the steps`);
    }
    combos = combos.flatMap((combo) =>
      values.map((value) => {
        const next = new Map<string, ParameterValue>(combo);
        next.set(parameter.name, value);
        return next;
      }),
    );
  }
  return combos.map((values) => {
    const texts: Record<string, string> = {};
    for (const parameter of parameters) texts[parameter.name] = formatParameterValue(parameter.type, values.get(parameter.name)!);
    return { key: parameters.map((p) => `${p.name}=${texts[p.name]}`).join(','), values, texts };
  });
}

/** `name` parameters of a job, for messages: `year (integer, default 2013), station (string, required)`. */
export function describeParameters(parameters: readonly Parameter[]): string {
  if (parameters.length === 0) return 'it has no parameters';
  return parameters
    .map((p) => `${p.name} (${p.type}, ${p.default === undefined ? 'required' : `default ${formatParameterValue(p.type, p.default)}`})`)
    .join(', ');
}

function parseArgs(job: string, parameters: readonly Parameter[], args: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { fixed: new Map(), range: new Map() };
  for (const arg of args) {
    const m = ARG.exec(arg);
    if (!m) throw new ProjectError(`job \`${job}\`: expected an argument \`name=value\` or \`name:start|end|step=value\`, got ${JSON.stringify(arg)}`);
    const [, name, part, value] = m as unknown as [string, string, 'start' | 'end' | 'step' | undefined, string];
    const parameter = parameters.find((p) => p.name === name);
    if (!parameter) {
      const near = closest(name, parameters.map((p) => p.name), 1);
      throw new ProjectError(
        `job \`${job}\` has no parameter \`${name}\`${near.length > 0 ? ` (did you mean \`${near[0]}\`?)` : ''}; ${describeParameters(parameters)}`,
      );
    }
    if (part === undefined) {
      if (out.range.has(name)) throw new ProjectError(`job \`${job}\`: parameter \`${name}\` is given both a value and a range; give one of them`);
      if (out.fixed.has(name)) throw new ProjectError(`job \`${job}\`: parameter \`${name}\` is given twice (${args.filter((a) => a.startsWith(`${name}=`)).join(', ')}); give it once, or a range ${name}:start=… ${name}:end=…`);
      out.fixed.set(name, parseParameterValue(parameter, value, arg));
    } else {
      if (out.fixed.has(name)) throw new ProjectError(`job \`${job}\`: parameter \`${name}\` is given both a value and a range; give one of them`);
      const range = out.range.get(name);
      if (range?.[part] !== undefined) throw new ProjectError(`job \`${job}\`: ${name}:${part} is given twice (${range[part]} and ${value}); give it once`);
      out.range.set(name, { ...range, [part]: value });
    }
  }
  return out;
}

function valuesOf(job: string, parameter: Parameter, parsed: ParsedArgs, all: readonly Parameter[]): ParameterValue[] {
  const fixed = parsed.fixed.get(parameter.name);
  if (fixed !== undefined) return [fixed];
  const range = parsed.range.get(parameter.name);
  if (range) return rangeValues(job, parameter, range);
  if (parameter.default !== undefined) return [parameter.default];
  throw new ProjectError(
    `job \`${job}\`: missing a value for parameter \`${parameter.name}\`, which has no default. Pass ${parameter.name}=… or a range ${parameter.name}:start=… ${parameter.name}:end=…; ${describeParameters(all)}`,
  );
}

function rangeValues(job: string, parameter: Parameter, range: { start?: string; end?: string; step?: string }): ParameterValue[] {
  const name = parameter.name;
  if (range.start === undefined || range.end === undefined) {
    throw new ProjectError(`job \`${job}\`: the range of \`${name}\` needs both ${name}:start=… and ${name}:end=… (the end is exclusive)`);
  }
  const start = parseParameterValue(parameter, range.start, `${name}:start=${range.start}`);
  const end = parseParameterValue(parameter, range.end, `${name}:end=${range.end}`);
  const stepText = range.step ?? parameter.granularity;
  const values: ParameterValue[] = [];
  if (typeof start === 'number' && typeof end === 'number' && (parameter.type === 'integer' || parameter.type === 'long')) {
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ProjectError(`job \`${job}\`: expected ${name}:step to be a whole number from 1 and up, got ${JSON.stringify(stepText)}`);
    for (let v = start; v < end && values.length <= MAX_INSTANCES; v += step) values.push(v);
  } else if (start instanceof Date && end instanceof Date) {
    const step = parseDuration(stepText ?? (parameter.type === 'date' ? 'P1D' : 'PT1H'));
    if (!step) throw new ProjectError(`job \`${job}\`: expected ${name}:step to be an ISO-8601 duration such as P1D or PT6H, got ${JSON.stringify(stepText)}`);
    if (parameter.type === 'date' && step.ms !== 0) {
      throw new ProjectError(
        `job \`${job}\`: parameter \`${name}\` is a date, so ${name}:step must be whole days, weeks, months or years (P1D, P1W, P1M, P1Y), got ${JSON.stringify(stepText)}; for hours, make \`${name}\` a timestamp parameter`,
      );
    }
    for (let i = 0, v = start; v < end && values.length <= MAX_INSTANCES; v = addDuration(start, step, ++i)) values.push(v);
  } else {
    throw new ProjectError(`job \`${job}\`: parameter \`${name}\` is of type ${parameter.type}, which has no ranges; ranges work for integer, long, date and timestamp parameters`);
  }
  if (values.length === 0) {
    throw new ProjectError(
      `job \`${job}\`: ${name}:start=${range.start} ${name}:end=${range.end} gives no instance — the end is exclusive, so it must be above the start (e.g. ${name}:end=${typeof start === 'number' ? start + (stepText === undefined ? 1 : Number(stepText)) : 'a later value'})`,
    );
  }
  return values;
}
