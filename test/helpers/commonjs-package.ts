// A user package that npm would call CommonJS (a package.json without "type": "module") whose
// TypeScript modules are written with import/export, as `npm init` + a `.ts` file gives you.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '../..');

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'cjs-user', version: '1.0.0', private: true }, null, 2),
  'helper.ts': 'export const factor: number = 3;\n',
  'steps.ts': [
    "import { step } from 'weft';",
    "import { factor } from './helper.js';",
    '',
    '// Top-level await: only an ES module may have it, so this file does not load as CommonJS.',
    'const scale = await Promise.resolve(factor);',
    '',
    "export const triple = step('triple', ({ x }: { x: number }): number => x * scale);",
    '',
    'export function tripleRecord(x: number): number {',
    '  return x * scale;',
    '}',
    '',
  ].join('\n'),
  'job.ts': [
    "import { ExecutionEnvironment } from 'weft';",
    "import { tripleRecord } from './steps.js';",
    '',
    'export async function main(): Promise<void> {',
    '  const env = ExecutionEnvironment.create({ parallelism: 2 });',
    '  const tripled = await env.fromCollection([1, 2, 3, 4]).map(tripleRecord).collect();',
    "  console.log(`tripled ${[...tripled].sort((a, b) => a - b).join(',')}`);",
    '}',
    '',
  ].join('\n'),
  // Plain JavaScript in ESM syntax: loads as ESM because the package.json has no "type" at all.
  'plain-job.js': [
    "import { ExecutionEnvironment } from 'weft';",
    '',
    'export function double(x) {',
    '  return x * 2;',
    '}',
    '',
    'export async function main() {',
    '  const env = ExecutionEnvironment.create({ parallelism: 2 });',
    '  const doubled = await env.fromCollection([1, 2, 3, 4]).map(double).collect();',
    "  console.log(`doubled ${[...doubled].sort((a, b) => a - b).join(',')}`);",
    '}',
    '',
  ].join('\n'),
  'pipeline.ts': [
    "import { Pipeline } from 'weft';",
    "import { triple } from './steps.js';",
    '',
    "const pipeline = new Pipeline('cjs_user');",
    "pipeline.addStep(triple, { name: 'tripled', params: { x: 7 } });",
    'export default pipeline;',
    '',
  ].join('\n'),
  // A YAML project whose function mapping is such a module.
  'project.yml': 'name: cjs_user\nversion: "1.0"\nmodules: [model.yml]\n',
  'model.yml': [
    'relations:',
    '  stations: { kind: file, format: csv, location: data/stations.csv }',
    'mappings:',
    '  stations: { kind: read, relation: stations }',
    '  tagged: { kind: function, module: tag.ts, inputs: [stations] }',
    'targets:',
    '  show: { kind: console, mapping: tagged }',
    'jobs:',
    '  main: { targets: [show] }',
    '',
  ].join('\n'),
  'data/stations.csv': 'station,country\ns1,DE\ns2,FR\n',
  'tag.ts': [
    "import type { MappingFunction } from 'weft';",
    "import { factor } from './helper.js';",
    '',
    'const tag: MappingFunction = ({ stations }) =>',
    '  stations.map((row: Record<string, unknown>, ctx) => ({ ...row, tag: `${String(row.station)}x${String(ctx.with.factor)}` }), { with: { factor } });',
    'export default tag;',
    '',
  ].join('\n'),
};

/**
 * Writes the package to a new temporary directory, with `node_modules/weft` linking to this
 * checkout (its built `dist/`), and returns the directory.
 */
export function writeCommonJsPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-cjs-package-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/weft'), 'dir');
  return dir;
}
