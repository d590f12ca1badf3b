/**
 * Reading stacks for the user's own code: which frames are the user's (not weft's, not a library's,
 * not Node's), so that errors can point at `file:line` in the user's files.
 */
import { fileURLToPath } from 'node:url';

/** A position in a user's file, 1-based. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** weft's own code (`src/` and `dist/`, which source maps may show as `src/`): frames inside it are not the user's. */
const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
const OWN_ROOTS = [`${PACKAGE_ROOT}src/`, `${PACKAGE_ROOT}dist/`];

/** `at fn (file:line:col)` or `at file:line:col`, with a path or a `file://` URL (not `node:…`). */
const FRAME = /(?:^at |\()((?:file:\/\/|\/|[A-Za-z]:[\\/])[^()]*?):(\d+):(\d+)\)?$/;

/** The position a stack line points at, when it is in a user's file. */
export function userPosition(stackLine: string): SourcePosition | undefined {
  const match = FRAME.exec(stackLine.trim());
  if (!match) return undefined;
  const file = match[1]!.startsWith('file://') ? safePath(match[1]!) : match[1]!;
  if (file === undefined || OWN_ROOTS.some((r) => file.startsWith(r)) || file.includes('/node_modules/')) return undefined;
  return { file, line: Number(match[2]), column: Number(match[3]) };
}

/** The `at …` lines of a stack that are in the user's files, at most `limit`, trimmed. */
export function userFrames(stack: string | undefined, limit = 3): string[] {
  if (stack === undefined) return [];
  const out: string[] = [];
  for (const line of stack.split('\n')) {
    if (!line.trimStart().startsWith('at ') || userPosition(line) === undefined) continue;
    out.push(line.trim());
    if (out.length === limit) break;
  }
  return out;
}

function safePath(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}
