/**
 * The code part of a step-cache key: a hash of the step's module and of everything it imports,
 * transitively, so that a cached output is never reused after the code that produced it changed.
 *
 * Every import specifier is followed — static `import`/`export … from`, side-effect `import '…'`,
 * dynamic `import('…')` with a string and `require('…')` — and resolved the way Node would from the
 * importing file (`createRequire(file).resolve`): relative paths, `#subpath` imports of the nearest
 * package.json, workspace packages and node_modules packages. A `.js` specifier written in a
 * TypeScript source refers to the `.ts` file next to it. User files are hashed by content and
 * followed; a file inside `node_modules` stands for its package and is hashed as `name@version`
 * (its content is fixed by that version), without reading further.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SPECIFIER_RE =
  /(?:^|[^.\w$])(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[^.\w$])import\s*['"]([^'"]+)['"]|(?:^|[^.\w$])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^.\w$])require\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import specifier written in `source` (static, dynamic with a string literal, `require`). */
export function importSpecifiers(source: string): string[] {
  const out = new Set<string>();
  for (const match of source.matchAll(SPECIFIER_RE)) {
    const spec = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (spec) out.add(spec);
  }
  return [...out];
}

const IMPORT_CLAUSE_RE = /(?:^|[^.\w$])import\s+(?!type\s)([\w$*{}\s,]+?)\s*from\s*['"]([^'"]+)['"]/g;
const REQUIRE_BINDING_RE = /(?:^|[^.\w$])(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*require\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/**
 * The local names a module binds to imports, each with its specifier: default, namespace and named
 * imports (`import a, * as b from 'x'`, `import { c as d } from 'y'`; type-only ones left out) and
 * `const e = require('z')`.
 */
export function importedBindings(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [, clause = '', spec = ''] of source.matchAll(IMPORT_CLAUSE_RE)) {
    const named = /\{([^}]*)\}/.exec(clause);
    for (const part of named?.[1]?.split(',') ?? []) {
      const words = part.trim().split(/\s+/);
      if (words[0] === 'type' && words.length !== 1 && words[1] !== 'as') continue;
      const local = words.at(-1);
      if (local) out.set(local, spec);
    }
    for (const part of clause.replace(/\{[^}]*\}/, '').split(',')) {
      const local = part.trim().split(/\s+/).at(-1);
      if (local && /^[A-Za-z_$][\w$]*$/.test(local)) out.set(local, spec);
    }
  }
  for (const [, local = '', spec = ''] of source.matchAll(REQUIRE_BINDING_RE)) out.set(local, spec);
  return out;
}

/** True when `spec`, imported from `from`, names a Node builtin or a package (not a file of the user's own). */
export function isPackageImport(spec: string, from: string): boolean {
  if (spec.startsWith('node:') || isBuiltin(spec)) return true;
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:')) return false;
  const target = resolveImport(spec, from);
  return target === undefined || inNodeModules(target);
}

/** Hex digest of a module file and everything it imports (see the module comment). */
export function moduleFingerprint(file: string): string {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path) || !existsSync(path)) return;
    seen.add(path);
    if (inNodeModules(path)) {
      const pkg = packageOf(path);
      if (pkg !== undefined) packages.add(pkg);
      return;
    }
    const source = readFileSync(path, 'utf8');
    hash.update(`f${path}\0${source}\0`);
    for (const spec of importSpecifiers(source)) {
      const target = resolveImport(spec, path);
      if (target !== undefined) visit(target);
    }
  };
  visit(file);
  // Packages by name@version, sorted: the order in which files were visited does not matter.
  for (const pkg of [...packages].sort()) hash.update(`p${pkg}\0`);
  return hash.digest('hex');
}

/** The file `spec` refers to from `from`, or undefined for a builtin or something that cannot be found. */
export function resolveImport(spec: string, from: string): string | undefined {
  if (spec.startsWith('node:') || isBuiltin(spec)) return undefined;
  if (spec.startsWith('file:')) return sourceFile(fileURLToPath(spec));
  try {
    return sourceFile(createRequire(from).resolve(spec));
  } catch {
    // Not resolvable as CommonJS: a TypeScript source named by its `.js` output, an ESM-only
    // package, or a `#subpath` whose target is such a file.
  }
  if (spec.startsWith('.') || spec.startsWith('/')) return sourceFile(resolve(dirname(from), spec));
  if (spec.startsWith('#')) return resolveSubpathImport(spec, from);
  return packageEntry(spec, from);
}

/** `./util.js` written in a TypeScript module refers to `./util.ts` on disk. */
function sourceFile(path: string): string | undefined {
  const candidates = [path, path.replace(/\.js$/, '.ts'), path.replace(/\.mjs$/, '.mts'), path.replace(/\.cjs$/, '.cts'), `${path}.ts`, `${path}.js`, join(path, 'index.ts'), join(path, 'index.js')];
  return candidates.find((c) => existsSync(c) && !c.endsWith('/'));
}

/** A `#subpath` import through the `imports` map of the nearest package.json. */
function resolveSubpathImport(spec: string, from: string): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest !== undefined) {
      const imports = manifest.imports;
      if (imports === null || typeof imports !== 'object') return undefined;
      const target = matchImports(spec, imports as Record<string, unknown>);
      return target === undefined ? undefined : sourceFile(resolve(dir, target));
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function matchImports(spec: string, imports: Record<string, unknown>): string | undefined {
  if (spec in imports) return conditionTarget(imports[spec]);
  for (const [key, value] of Object.entries(imports)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    if (spec.startsWith(prefix) && spec.endsWith(suffix) && spec.length >= prefix.length + suffix.length) {
      const target = conditionTarget(value);
      return target?.replace('*', spec.slice(prefix.length, spec.length - suffix.length));
    }
  }
  return undefined;
}

function conditionTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(conditionTarget).find((t) => t !== undefined);
  if (value === null || typeof value !== 'object') return undefined;
  const conditions = value as Record<string, unknown>;
  for (const key of ['import', 'node', 'default', 'require']) {
    const target = conditionTarget(conditions[key]);
    if (target !== undefined) return target;
  }
  return undefined;
}

/** An ESM-only package found by walking up `node_modules` directories: its package.json stands for it. */
function packageEntry(spec: string, from: string): string | undefined {
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return manifest;
    if (dirname(dir) === dir) return undefined;
  }
}

function inNodeModules(path: string): boolean {
  return path.split(/[\\/]/).includes('node_modules');
}

/** `name@version` of the package a file inside node_modules belongs to. */
function packageOf(path: string): string | undefined {
  for (let dir = dirname(path); inNodeModules(dir); dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (typeof manifest?.name === 'string') return `${manifest.name}@${String(manifest.version)}`;
    if (dirname(dir) === dir) break;
  }
  return undefined;
}

function readManifest(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
