/**
 * Where something was written in a user's project file. Every error about a project file carries
 * one, so the message can start with `file:line:column` (STYLE.md: errors point at user files).
 */

/** A position in a user file: 1-based line and column. */
export interface SourceLocation {
  /** Absolute path of the file. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `file:line:column`, the form editors and terminals make clickable. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/**
 * The location `offset` characters into a one-line text that starts at `start` (e.g. a character
 * inside an expression written on one line of a YAML file). Multi-line texts: see `locateInText`.
 */
export function shiftLocation(start: SourceLocation, offset: number): SourceLocation {
  return { file: start.file, line: start.line, column: start.column + offset };
}

/**
 * The location of character `offset` of `text`, where `text` itself starts at `start`. Lines after
 * the first count their columns from `indent + 1` (a YAML block scalar's indentation).
 */
export function locateInText(start: SourceLocation, text: string, offset: number, indent = 0): SourceLocation {
  let line = start.line;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return line === start.line ? shiftLocation(start, offset) : { file: start.file, line, column: indent + 1 + (offset - lineStart) };
}
