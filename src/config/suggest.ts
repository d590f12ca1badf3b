/**
 * "Did you mean …?" for misspelt setting names and enum values, by edit distance, so that an
 * unknown key never leaves the user guessing.
 */
import { SETTING_GROUPS, SETTING_KEYS } from './keys.js';

/** The hint appended to every unknown-key error. */
export const EXPLAIN_HINT = 'Run `weft config --explain` to list every key.';

/** Levenshtein distance between two strings, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (s[i - 1] === t[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[t.length] ?? 0;
}

/**
 * Up to `limit` candidates close to `input`, closest first: within an edit distance of about a
 * third of its length, or ending with the same last segment (`scheduler.mode` → `weft.scheduler.mode`),
 * and not much further than the closest one.
 */
export function closest(input: string, candidates: Iterable<string>, limit = 3, budget = Math.max(2, Math.floor(input.length / 3))): string[] {
  const last = input.split('.').pop()?.toLowerCase() ?? '';
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    const sameTail = last !== '' && candidate.toLowerCase().split('.').pop() === last;
    if (distance <= budget || sameTail) scored.push({ candidate, score: sameTail ? Math.min(distance, budget) : distance });
  }
  scored.sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate));
  const best = scored[0]?.score ?? 0;
  // A near-exact match makes distant ones noise: keep only those about as close as the best.
  return scored
    .filter((entry) => entry.score <= best + 2)
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/** Known keys (and, for a map in a file, groups such as `weft.scheduler`) close to an unknown key. */
export function suggestKeys(unknown: string, includeGroups = false): string[] {
  return closest(unknown, includeGroups ? [...SETTING_KEYS, ...SETTING_GROUPS] : SETTING_KEYS);
}

/** ` Did you mean `a` or `b`?` or the empty string. */
export function didYouMean(suggestions: readonly string[], quote = '`'): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `${quote}${s}${quote}`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return ` Did you mean ${list}?`;
}

/** The message of an unknown-key error: location, key, closest keys, and how to list them all. */
export function unknownKeyMessage(where: string, key: string, suggestions: readonly string[]): string {
  return `${where}: unknown setting \`${key}\`.${didYouMean(suggestions)} ${EXPLAIN_HINT}`;
}
