/**
 * Turns raw input into checked setting values: strings from env and `--conf` are coerced by the
 * key's type (numbers, booleans, JSON for maps, `null`), then every value, from any source, is
 * validated by the key's schema. Errors say where the value came from, what was expected and
 * what arrived.
 */
import { describeValue } from '../errors.js';
import type { z } from 'zod';
import { ConfigError, configErrors } from './errors.js';
import { specOf } from './keys.js';
import type { SettingKey, Settings } from './settings.js';
import { closest, didYouMean } from './suggest.js';
import { jsonTypesOf, typeTextOf } from './type-text.js';

/**
 * Finds the location of a part of a value for errors (file sources only): the value at `path`
 * (e.g. one pool's `mode`), or with `at: 'key'` the key naming it (e.g. a misspelt field).
 */
export type Locate = (path: readonly PropertyKey[], at: 'key' | 'value') => string | undefined;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Coerces the text of an env variable or `--conf` value by the type of `key`:
 * `null` for nullable keys, numbers, `true`/`false`, JSON for maps; other text stays a string
 * (and is then rejected by {@link checkValue} with the expected type).
 */
export function coerceText(key: SettingKey, text: string, where: string): unknown {
  const trimmed = text.trim();
  const types = jsonTypesOf(key);
  if (trimmed === 'null' && types.has('null')) return null;
  const parseText = specOf(key).parseText;
  if (parseText) return parseText(text, where);
  if ((types.has('integer') || types.has('number')) && NUMBER.test(trimmed)) return Number(trimmed);
  if (types.has('boolean') && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  if (types.has('object')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch (error) {
      throw new ConfigError(
        `${where}: invalid value for \`${key}\`: expected JSON for ${typeTextOf(key)}, e.g. ` +
          `{"etl":{"mode":"FAIR","weight":2}}, got ${describeValue(text)} (${(error as Error).message}).`,
        { key, where, cause: error },
      );
    }
  }
  return text;
}

/**
 * Validates `value` for `key` and returns it typed, or throws a {@link ConfigError} that names
 * `where`, the key, the expected type or range, and what arrived.
 */
export function checkValue<K extends SettingKey>(key: K, value: unknown, where: string, locate?: Locate): Settings[K] {
  const result = specOf(key).schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => issueError(key, value, where, issue, locate));
  throw configErrors(problems, `${where}: invalid value for \`${key}\``);
}

/** The error for one problem in a value, located at the part of the value it concerns. */
function issueError(key: SettingKey, value: unknown, where: string, issue: z.core.$ZodIssue, locate: Locate | undefined): ConfigError {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const at = locate?.([...path, issue.keys[0] ?? ''], 'key') ?? where;
    const part = path.length > 0 ? ` at \`${path.map(String).join('.')}\`` : '';
    return new ConfigError(`${at}: invalid value for \`${key}\`${part}: ${issue.message}. Expected ${typeTextOf(key)}.`, { key, where: at });
  }
  if (path.length > 0) {
    const at = locate?.(path, 'value') ?? where;
    const part = path.map(String).join('.');
    const got = describeValue(valueAt(value, path));
    return new ConfigError(`${at}: invalid value for \`${key}\` at \`${part}\`: ${issue.message}, got ${got}. Expected ${typeTextOf(key)}.`, {
      key,
      where: at,
    });
  }
  return new ConfigError(`${where}: invalid value for \`${key}\`: expected ${typeTextOf(key)}, got ${describeValue(value)}.${enumHint(value, issue)}`, {
    key,
    where,
  });
}

function enumHint(value: unknown, issue: z.core.$ZodIssue): string {
  if (typeof value !== 'string' || issue.code !== 'invalid_value') return '';
  const choices = issue.values.filter((choice): choice is string => typeof choice === 'string');
  // Choices read in any case (scheduling modes) are compared in upper case, as they are checked.
  const probe = choices.every((choice) => choice === choice.toUpperCase()) ? value.toUpperCase() : value;
  return didYouMean(closest(probe, choices, 1, Math.max(1, Math.floor(value.length / 3))), '"');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
