// @ts-check
/**
 * A module-loader `resolve` hook that loads a plain `.ts` / `.tsx` user file written with
 * `import` / `export` as an ES module even when its package is CommonJS (a package.json without
 * `"type": "module"`, npm's default). tsx alone would load such a file as CommonJS, which cannot
 * `require()` the ES modules it imports (weft among them), so the import fails. A `.js` file with
 * such statements in a package whose package.json has no `"type"` at all loads as ESM too, as
 * Node 22 detects it (Node 20, which weft supports, does not); an explicit `"type": "commonjs"`
 * keeps it CommonJS, as in Node 22.
 *
 * Registered after tsx's hooks, so it runs first and rewrites the format of tsx's answer; tsx's
 * `load` hook then compiles the file as ESM. `.mts` is always ESM and `.cts` always CommonJS (tsx
 * already says so); files under `node_modules` and packages with `"type": "module"` are left alone.
 *
 * Plain JavaScript (type-checked through JSDoc): it runs in Node's loader thread, where no
 * TypeScript loader applies, both when weft runs from `dist/` and from `src/`.
 *
 * Limits of the syntax test ({@link ESM_SYNTAX}): it looks for a line that starts with an `import`
 * or `export` statement, so such a line inside a template literal or a multi-line string counts,
 * and a file that mixes `import` with `require` / `module.exports` loads as ESM, where those fail.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';

/**
 * A line that starts with an ESM `import` / `export` statement. Not `import(` or `import.meta`
 * (expressions), nor TypeScript's CommonJS forms `import x = require('x')` and `export = x`.
 */
export const ESM_SYNTAX =
  /^[ \t]*(?:import[ \t]*(?:[{*'"]|type[ \t]|[\w$]+[ \t]*(?:,|from\b))|export[ \t]*(?:[{*]|(?:default|const|let|var|function|async|class|type|interface|enum|declare|abstract|namespace)\b))/m;

/** The `"type"` field of the package.json that governs each directory looked at (`null`: none), cached per directory. */
/** @type {Map<string, unknown>} */
const scopeTypeFields = new Map();

/**
 * The `"type"` field of the nearest package.json above `dir`, `null` when it has none (or none is found).
 *
 * @param {string} dir an absolute directory path
 * @returns {unknown}
 */
function packageTypeField(dir) {
  if (scopeTypeFields.has(dir)) return scopeTypeFields.get(dir);
  const manifest = readText(join(dir, 'package.json'));
  const parent = dirname(dir);
  const type = manifest !== undefined ? (typeField(manifest) ?? null) : parent === dir ? null : packageTypeField(parent);
  scopeTypeFields.set(dir, type);
  return type;
}

/**
 * The module type of the package scope of `dir`: the `"type"` of the nearest package.json above
 * it, `commonjs` when that has none (or none is found).
 *
 * @param {string} dir an absolute directory path
 * @returns {'module' | 'commonjs'}
 */
export function packageScopeType(dir) {
  return packageTypeField(dir) === 'module' ? 'module' : 'commonjs';
}

/**
 * The format a user file must load as, or `undefined` to keep the loader's choice: `.mts` is
 * `module`, `.cts` is `commonjs`; a `.ts` / `.tsx` file in a CommonJS package, and a `.js` file in
 * a package with no `"type"` at all, are `module` when the source has an `import` / `export`
 * statement. Files under `node_modules` keep the loader's choice.
 *
 * @param {string} path an absolute file path
 * @returns {'module' | 'commonjs' | undefined}
 */
export function userModuleFormat(path) {
  if (path.endsWith('.mts')) return 'module';
  if (path.endsWith('.cts')) return 'commonjs';
  if (path.includes('/node_modules/')) return undefined;
  if (/\.tsx?$/.test(path)) {
    if (packageScopeType(dirname(path)) === 'module') return undefined;
  } else if (!path.endsWith('.js') || packageTypeField(dirname(path)) !== null) return undefined;
  const source = readText(path);
  return source !== undefined && ESM_SYNTAX.test(source) ? 'module' : undefined;
}

/**
 * The hook: rewrites the format resolved for a user `file:` URL (by tsx, or Node for `.js`) when it must differ.
 *
 * @param {string} specifier
 * @param {{ conditions: string[]; importAttributes: Record<string, string>; parentURL?: string }} context
 * @param {(specifier: string, context?: unknown) => Promise<{ url: string; format?: string | null | undefined; shortCircuit?: boolean }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (!resolved.url.startsWith('file:')) return resolved;
  const url = withoutCommonJsMarks(resolved.url);
  const format = userModuleFormat(fileURLToPath(url.split(/[?#]/, 1)[0] ?? url));
  return format === undefined || format === resolved.format ? resolved : { ...resolved, url, format };
}

/**
 * `url` without what tsx adds to the URL of a file it loads as CommonJS: its `tsx-commonjs-*`
 * query parameters, and the query it moves into the path (`/x/helper.ts%3Ftsx-commonjs-export-preparse=1`).
 *
 * @param {string} url a `file:` URL
 */
export function withoutCommonJsMarks(url) {
  const parsed = new URL(url);
  for (const name of [...parsed.searchParams.keys()]) {
    if (name.startsWith('tsx-commonjs-')) parsed.searchParams.delete(name);
  }
  const moved = parsed.pathname.toLowerCase().lastIndexOf('%3f');
  if (moved !== -1 && !parsed.pathname.includes('/', moved)) parsed.pathname = parsed.pathname.slice(0, moved);
  return parsed.href;
}

/** @param {string} path */
function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The `"type"` of a package.json's text, or `undefined` when it has none or does not parse.
 *
 * @param {string} manifest
 */
function typeField(manifest) {
  try {
    /** @type {unknown} */
    const parsed = JSON.parse(manifest);
    return typeof parsed === 'object' && parsed !== null && 'type' in parsed ? parsed.type : undefined;
  } catch {
    return undefined;
  }
}
