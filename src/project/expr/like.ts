/**
 * SQL `LIKE` patterns: `%` matches any run of characters, `_` exactly one, `\` escapes the next
 * character. A pattern compiles once into the cheapest matcher that does its job — equality,
 * `startsWith`, `endsWith`, `includes`, or an anchored regular expression.
 */

/** Tests one string against a compiled pattern. */
export type LikeMatcher = (text: string) => boolean;

interface Piece {
  readonly wildcard: '%' | '_' | undefined;
  readonly text: string;
}

function pieces(pattern: string): Piece[] {
  const out: Piece[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) {
      literal += pattern[++i] ?? '';
    } else if (c === '%' || c === '_') {
      if (literal) out.push({ wildcard: undefined, text: literal });
      literal = '';
      out.push({ wildcard: c, text: c });
    } else {
      literal += c;
    }
  }
  if (literal) out.push({ wildcard: undefined, text: literal });
  return out;
}

/** The matcher of a `LIKE` pattern. */
export function compileLike(pattern: string): LikeMatcher {
  const parts = pieces(pattern);
  const literals = parts.filter((p) => p.wildcard === undefined);
  const wildcards = parts.filter((p) => p.wildcard !== undefined);
  if (wildcards.length === 0) {
    const exact = literals.map((p) => p.text).join('');
    return (text) => text === exact;
  }
  if (wildcards.every((p) => p.wildcard === '%') && literals.length <= 1) {
    const literal = literals[0]?.text ?? '';
    const first = parts[0]?.wildcard;
    const last = parts.at(-1)?.wildcard;
    if (literal === '') return () => true;
    if (first === undefined) return last === undefined ? (text) => text === literal : (text) => text.startsWith(literal);
    return last === undefined ? (text) => text.endsWith(literal) : (text) => text.includes(literal);
  }
  const source = parts.map((p) => (p.wildcard === '%' ? '.*' : p.wildcard === '_' ? '.' : p.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  const regex = new RegExp(`^${source}$`, 'su');
  return (text) => regex.test(text);
}

/** A matcher for patterns that vary by row: compiles each new pattern, keeps the last one. */
export function likeCache(): (text: string, pattern: string) => boolean {
  let lastPattern: string | undefined;
  let matcher: LikeMatcher = () => false;
  return (text, pattern) => {
    if (pattern !== lastPattern) {
      matcher = compileLike(pattern);
      lastPattern = pattern;
    }
    return matcher(text);
  };
}
