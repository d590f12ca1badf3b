/**
 * Finding a plain module function by its export name (DESIGN.md principle 3: code is found, not
 * sent). A named function passed to an operator that is neither registered with `step()` nor
 * self-contained may still be exported by a module; the worker can then import that module and
 * take the export. Which module is judged from the text of the file that called the operator: a
 * function it exports itself, or one it imports by name from a relative path. The worker checks
 * that the export really is a function; anything this cannot see (a package import, a re-export
 * chain) keeps the error that says to declare the function with `step()`.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sourceText, type SourcePosition } from './call-site.js';

/** A module export a worker imports. */
export interface ExportRef {
  readonly moduleUrl: string;
  readonly name: string;
}

const IMPORTS = /import\s*(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;

/** The module and export name of `fn` as the calling file declares or imports it, if any. */
export function exportedFunction(fn: { name: string }, call: SourcePosition | undefined): ExportRef | undefined {
  const name = fn.name;
  if (call === undefined || !/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const text = sourceText(call.file);
  if (text === undefined) return undefined;
  if (declaresExport(text, name)) return { moduleUrl: pathToFileURL(call.file).href, name };
  for (const match of text.matchAll(IMPORTS)) {
    const imported = importedName(match[1]!, name);
    const specifier = match[2]!;
    if (imported === undefined || !specifier.startsWith('.')) continue;
    const file = existingModule(resolve(dirname(call.file), specifier));
    if (file !== undefined) return { moduleUrl: pathToFileURL(file).href, name: imported };
  }
  return undefined;
}

function declaresExport(text: string, name: string): boolean {
  const n = name.replace(/\$/g, '\\$');
  const declaration = new RegExp(`export\\s+(?:async\\s+)?function\\s*\\*?\\s*${n}\\b|export\\s+(?:const|let|var)\\s+${n}\\b`);
  if (declaration.test(text)) return true;
  for (const match of text.matchAll(/export\s*\{([^}]*)\}(?!\s*from)/g)) {
    if (match[1]!.split(',').some((s) => s.trim().split(/\s+as\s+/)[0] === name)) return true;
  }
  return false;
}

/** The exported name behind a local `name` in an import list (`a`, `a as b`), if it is there. */
function importedName(list: string, name: string): string | undefined {
  for (const part of list.split(',')) {
    const [imported, local] = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/);
    if ((local ?? imported) === name && imported) return imported;
  }
  return undefined;
}

/** The file a relative specifier names, with TypeScript's `.js` → `.ts` convention. */
function existingModule(path: string): string | undefined {
  const candidates = [path, path.replace(/\.js$/, '.ts'), path.replace(/\.js$/, '.tsx'), path.replace(/\.mjs$/, '.mts'), `${path}.ts`, `${path}.js`];
  return candidates.find((c) => statSync(c, { throwIfNoEntry: false })?.isFile() === true);
}
