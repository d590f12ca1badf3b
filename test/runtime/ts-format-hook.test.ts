// Which format the TypeScript loader's resolve hook gives a user file: .mts ESM, .cts CommonJS, a
// .ts file in a CommonJS package (and a .js file in a package without "type") ESM only when it has
// an import/export statement.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESM_SYNTAX, packageScopeType, userModuleFormat, withoutCommonJsMarks } from '../../src/runtime/ts-format-hook.js';

/** A package directory with `manifest` as its package.json and `files` in it. */
function writePackage(manifest: object, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-ts-format-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const esm = 'import { a } from "./a.js";\nexport const b = a;\n';
const cjs = 'const a = require("./a");\nmodule.exports = { a };\n';

describe('userModuleFormat', () => {
  const commonjs = writePackage({ name: 'c' }, { 'esm.ts': esm, 'cjs.ts': cjs, 'view.tsx': esm, 'sub/deep.ts': esm, 'node_modules/dep/x.ts': esm });
  const module = writePackage({ name: 'm', type: 'module' }, { 'esm.ts': esm });

  it('loads a .ts / .tsx file with import/export in a CommonJS package as ESM, also from a subfolder', () => {
    expect(userModuleFormat(join(commonjs, 'esm.ts'))).toBe('module');
    expect(userModuleFormat(join(commonjs, 'view.tsx'))).toBe('module');
    expect(userModuleFormat(join(commonjs, 'sub/deep.ts'))).toBe('module');
  });

  it("keeps tsx's choice for a CommonJS-style .ts file, a \"type\": \"module\" package and node_modules", () => {
    expect(userModuleFormat(join(commonjs, 'cjs.ts'))).toBeUndefined();
    expect(userModuleFormat(join(module, 'esm.ts'))).toBeUndefined();
    expect(userModuleFormat(join(commonjs, 'node_modules/dep/x.ts'))).toBeUndefined();
    expect(userModuleFormat(join(commonjs, 'plain.js'))).toBeUndefined();
  });

  it('gives .mts ESM and .cts CommonJS whatever the package says', () => {
    expect(userModuleFormat(join(commonjs, 'any.mts'))).toBe('module');
    expect(userModuleFormat(join(module, 'any.cts'))).toBe('commonjs');
  });

  it('loads a .js file with import/export as ESM only where its package.json has no "type" (as Node 22 detects it)', () => {
    const untyped = writePackage({ name: 'u' }, { 'esm.js': esm, 'cjs.js': cjs, 'sub/deep.js': esm, 'node_modules/dep/x.js': esm });
    const explicit = writePackage({ name: 'e', type: 'commonjs' }, { 'esm.js': esm });
    expect(userModuleFormat(join(untyped, 'esm.js'))).toBe('module');
    expect(userModuleFormat(join(untyped, 'sub/deep.js'))).toBe('module');
    expect(userModuleFormat(join(untyped, 'cjs.js'))).toBeUndefined();
    expect(userModuleFormat(join(untyped, 'node_modules/dep/x.js'))).toBeUndefined();
    expect(userModuleFormat(join(explicit, 'esm.js'))).toBeUndefined();
    expect(userModuleFormat(join(module, 'esm.ts').replace(/\.ts$/, '.js'))).toBeUndefined();
  });

  it('reads the nearest package.json: no "type" (or no package.json at all) is CommonJS', () => {
    expect(packageScopeType(join(module, 'sub'))).toBe('module');
    expect(packageScopeType(commonjs)).toBe('commonjs');
    expect(packageScopeType('/')).toBe('commonjs');
  });
});

describe('ESM_SYNTAX', () => {
  it.each([
    'import { a } from "a";',
    "import a from 'a';",
    'import a, { b } from "a";',
    'import * as a from "a";',
    'import type { A } from "a";',
    "import 'side-effect';",
    'export const a = 1;',
    'export default function () {}',
    'export { a };',
    "export * from './a.js';",
    'export async function a() {}',
    'export interface A {}',
    '  export class A {}',
  ])('finds %s', (line) => {
    expect(ESM_SYNTAX.test(`// header\n${line}\n`)).toBe(true);
  });

  it.each([
    'const a = require("a");',
    'module.exports = { a };',
    "import a = require('a');",
    'export = a;',
    'const m = await import("a");',
    'console.log(import.meta.url);',
    '// import { a } from "a";',
    'const text = "export const a = 1";',
  ])('does not take %s for ESM', (line) => {
    expect(ESM_SYNTAX.test(`${line}\n`)).toBe(false);
  });
});

describe('withoutCommonJsMarks', () => {
  it("drops what tsx adds to a CommonJS file's URL and keeps the rest", () => {
    expect(withoutCommonJsMarks('file:///x/helper.ts%3Ftsx-commonjs-export-preparse=1?tsx-commonjs-virtual-query=1')).toBe('file:///x/helper.ts');
    expect(withoutCommonJsMarks('file:///x/a.ts?v=2&tsx-commonjs-export-preparse=1')).toBe('file:///x/a.ts?v=2');
    expect(withoutCommonJsMarks('file:///x/a.ts')).toBe('file:///x/a.ts');
  });
});
