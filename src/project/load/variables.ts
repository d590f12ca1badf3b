/**
 * Variables of a project: `${name}` (or `$name`) in any string of a project file is replaced by
 * the variable's value. Values come from layers, lowest precedence first — weft's built-ins
 * (`project.name`, `project.basedir`, `job.name`, …), the modules' `environment`, the active
 * profiles', the job's `environment`, `-D name=value` on the command line, and the job's
 * parameters — and may themselves refer to other variables. `$$` writes a literal `$`; a `$` not
 * followed by a name or `{` stays as it is, so regular expressions such as `^a$` need no escaping.
 *
 * A string that is exactly one reference (`$year`) takes the variable's typed value (a number, a
 * boolean), so a parameter `year: integer` stays an integer where the spec expects a number.
 */
import { closest } from '../../config/suggest.js';
import { ProjectError } from '../errors.js';
import { formatLocation, shiftLocation, type SourceLocation } from '../location.js';

/** One definition of a variable. */
export interface VariableDef {
  readonly name: string;
  /** A string (may refer to other variables), a number, a boolean, or null. */
  readonly value: string | number | boolean | null;
  /** Where it was defined: a file position, or words such as `-D year=2013` or `parameter year`. */
  readonly where: SourceLocation | string;
}

/** A named layer of definitions. */
export interface VariableLayer {
  readonly name: string;
  readonly defs: readonly VariableDef[];
}

/** How a reference was written inside a string. */
interface Reference {
  readonly start: number;
  readonly end: number;
  /** Undefined for `$$`. */
  readonly name: string | undefined;
}

const NAME_BRACED = /^\{([A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*)\}/;
const NAME_BARE = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Finds every `$$`, `${name}` and `$name` in `text`, in order. */
export function findReferences(text: string): Reference[] {
  const out: Reference[] = [];
  for (let i = text.indexOf('$'); i >= 0 && i < text.length; i = text.indexOf('$', i)) {
    const rest = text.slice(i + 1);
    if (rest.startsWith('$')) {
      out.push({ start: i, end: i + 2, name: undefined });
      i += 2;
      continue;
    }
    const match = NAME_BRACED.exec(rest) ?? NAME_BARE.exec(rest);
    if (match) {
      out.push({ start: i, end: i + 1 + match[0].length, name: match[1] ?? match[0] });
      i += 1 + match[0].length;
    } else i += 1;
  }
  return out;
}

/** The variables visible at one point (a project, a job instance), with their precedence. */
export class Variables {
  readonly #layers: readonly VariableLayer[];
  readonly #defs = new Map<string, VariableDef>();
  readonly #resolved = new Map<string, unknown>();

  /** `layers` lowest precedence first; within a layer a later definition wins. */
  constructor(layers: readonly VariableLayer[] = []) {
    this.#layers = layers;
    for (const layer of layers) for (const def of layer.defs) this.#defs.set(def.name, def);
  }

  /** A new set with `layer` above all others; this one is unchanged. */
  with(layer: VariableLayer): Variables {
    return new Variables([...this.#layers, layer]);
  }

  /** Every defined name, sorted. */
  names(): string[] {
    return [...this.#defs.keys()].sort();
  }

  /** The definition that wins for `name`. */
  definition(name: string): VariableDef | undefined {
    return this.#defs.get(name);
  }

  /**
   * The value of `name`, its own references replaced.
   * @throws ProjectError for an undefined variable (at `at`) or a definition that refers to itself.
   */
  get(name: string, at?: SourceLocation): unknown {
    return this.#value(name, at, []);
  }

  /**
   * Replaces the references in `text`. `at` is where the text starts (for errors; `exact` when
   * every character of `text` is at the column after the previous one, so offsets can be added).
   */
  interpolate(text: string, at?: SourceLocation, exact = false, keep?: ReadonlySet<string>): unknown {
    return this.#interpolate(text, at, exact, [], keep);
  }

  /** `keep`: names whose references stay as written (placeholders filled later, e.g. partition columns of a pattern). */
  #interpolate(text: string, at: SourceLocation | undefined, exact: boolean, chain: readonly string[], keep?: ReadonlySet<string>): unknown {
    const refs = findReferences(text).filter((ref) => ref.name === undefined || keep?.has(ref.name) !== true);
    if (refs.length === 0) return text;
    const only = refs[0]!;
    if (refs.length === 1 && only.start === 0 && only.end === text.length && only.name !== undefined) {
      const value = this.#value(only.name, at, chain);
      return value instanceof Date ? value.toISOString() : value;
    }
    let out = '';
    let last = 0;
    for (const ref of refs) {
      out += text.slice(last, ref.start);
      last = ref.end;
      if (ref.name === undefined) {
        out += '$';
        continue;
      }
      const where = at && exact ? shiftLocation(at, ref.start) : at;
      out += stringOf(this.#value(ref.name, where, chain));
    }
    return out + text.slice(last);
  }

  #value(name: string, at: SourceLocation | undefined, chain: readonly string[]): unknown {
    if (this.#resolved.has(name)) return this.#resolved.get(name);
    const def = this.#defs.get(name);
    if (def === undefined) throw this.#undefined(name, at);
    if (chain.includes(name)) {
      const where = typeof def.where === 'string' ? undefined : def.where;
      throw new ProjectError(`variable \`${name}\` refers to itself: ${[...chain.slice(chain.indexOf(name)), name].join(' → ')}. Break the loop.`, {
        location: where,
      });
    }
    const value = typeof def.value === 'string' ? this.#interpolate(def.value, typeof def.where === 'string' ? undefined : def.where, false, [...chain, name]) : def.value;
    this.#resolved.set(name, value);
    return value;
  }

  #undefined(name: string, at: SourceLocation | undefined): ProjectError {
    const names = this.names();
    const near = closest(name, names, 3);
    const hint = near.length > 0 ? ` Did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : '';
    const listed = names.length === 0 ? 'none are defined' : `defined: ${names.join(', ')}`;
    return new ProjectError(
      `undefined variable \`${name}\`.${hint} Define it in an \`environment\`, as a job parameter, or with -D ${name}=… (${listed}); write $$ for a literal $.`,
      { location: at, code: 'WEFT_UNDEFINED_VARIABLE' },
    );
  }
}

/** How a variable's value reads inside a longer string. */
function stringOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

/** `file:line:column` or the words of a definition's origin. */
export function formatWhere(where: SourceLocation | string): string {
  return typeof where === 'string' ? where : formatLocation(where);
}
