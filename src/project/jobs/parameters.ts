/**
 * Job parameters: their types, how values given on the command line are parsed and checked, and
 * their canonical text (the form used in instance keys, folder names and the state store).
 */
import { ProjectError } from '../errors.js';
import type { SourceLocation } from '../location.js';
import { parseDuration, type Duration } from './duration.js';

/** The types a job parameter may have. */
export const PARAMETER_TYPES = ['string', 'integer', 'long', 'double', 'boolean', 'date', 'timestamp', 'duration'] as const;

/** The type of a job parameter. */
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** A job parameter as declared. */
export interface Parameter {
  readonly name: string;
  readonly type: ParameterType;
  /** The default, already parsed; undefined means the parameter is required. */
  readonly default?: ParameterValue;
  readonly description?: string;
  /** Default step of a range (`year:step`), e.g. 1 or `P1D`. */
  readonly granularity?: string;
  readonly location?: SourceLocation;
}

/** A parsed parameter value. */
export type ParameterValue = string | number | boolean | Date | Duration;

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses the text (or YAML scalar) of a value for `parameter`.
 * @param where names the origin for errors, e.g. `year=20x3` or the default's location.
 */
export function parseParameterValue(parameter: Parameter, raw: unknown, where: string, location?: SourceLocation): ParameterValue {
  const text = typeof raw === 'string' ? raw.trim() : raw instanceof Date ? raw.toISOString() : String(raw);
  const fail = (expected: string): never => {
    throw new ProjectError(`${where}: expected ${expected} for parameter \`${parameter.name}\` (${parameter.type}), got ${JSON.stringify(text)}`, { location });
  };
  switch (parameter.type) {
    case 'string':
      return typeof raw === 'string' ? raw : text;
    case 'integer':
    case 'long': {
      if (!INTEGER.test(text)) return fail('a whole number such as 2013');
      const value = Number(text);
      const limit = parameter.type === 'integer' ? 2 ** 31 : Number.MAX_SAFE_INTEGER;
      return Math.abs(value) < limit ? value : fail(`a whole number of at most ${limit - 1}`);
    }
    case 'double':
      return NUMBER.test(text) ? Number(text) : fail('a number such as 1.5');
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : fail('true or false');
    case 'date': {
      const date = DATE.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
      return date && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) ? date : fail('a date such as 2013-01-31');
    }
    case 'timestamp': {
      const date = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text) ? new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || text.length === 10 ? text : `${text}Z`) : undefined;
      return date && !Number.isNaN(date.getTime()) ? date : fail('a timestamp such as 2013-01-31T10:00:00Z');
    }
    case 'duration':
      return parseDuration(text) ?? fail('an ISO-8601 duration such as P1D or PT6H');
  }
}

/** The canonical text of a value: `2013`, `true`, `2013-01-31`, `2013-01-31T10:00:00.000Z`, `P1D`. */
export function formatParameterValue(type: ParameterType, value: ParameterValue): string {
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'object') return value.text;
  return String(value);
}

/** The value a variable `${name}` takes: numbers and booleans typed, everything else as canonical text. */
export function variableValue(type: ParameterType, value: ParameterValue): string | number | boolean {
  return typeof value === 'number' || typeof value === 'boolean' ? value : formatParameterValue(type, value);
}
