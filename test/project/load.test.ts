import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectError } from '../../src/project/errors.js';
import { loadProject } from '../../src/project/load/load-project.js';
import { materialize } from '../../src/project/load/materialize.js';
import { parseSpec } from '../../src/project/load/spec-issues.js';
import { Variables } from '../../src/project/load/variables.js';
import { z } from 'zod';
import { writeProject } from './helpers.js';

const projectYml = `name: demo
version: 1.0
description: a demo
modules:
  - model.yml
  - more
config:
  - weft.execution.executor.class=parallel
`;

describe('loadProject', () => {
  it('reads project.yml and its modules (files and folders, in code-point order)', async () => {
    const dir = writeProject({
      'project.yml': projectYml,
      'model.yml': 'relations:\n  raw:\n    kind: file\n    format: csv\n    location: data\nenvironment:\n  - basedir=data\n',
      'more/b.yml': 'mappings:\n  b:\n    kind: read\n    relation: raw\n',
      'more/a.yaml': 'targets:\n  a:\n    kind: console\n    mapping: b\nconfig:\n  weft:\n    execution:\n      mapping.parallelism: 4\n',
      'more/.hidden/x.yml': 'jobs: {}\n',
    });
    const project = await loadProject(dir);
    expect(project.name).toBe('demo');
    expect(project.version).toBe('1');
    expect(project.modules.map((m) => m.slice(dir.length + 1))).toEqual(['project.yml', 'model.yml', 'more/a.yaml', 'more/b.yml']);
    expect([...project.relations.keys()]).toEqual(['raw']);
    expect([...project.mappings.keys()]).toEqual(['b']);
    expect([...project.targets.keys()]).toEqual(['a']);
    expect(project.config.map((c) => [c.key, c.value])).toEqual([
      ['weft.execution.executor.class', 'parallel'],
      ['weft.execution.mapping.parallelism', 4],
    ]);
    expect(project.config[0]!.where).toBe(`${join(dir, 'project.yml')}:8:5`);
    expect(project.environment.map((e) => [e.name, e.value])).toEqual([['basedir', 'data']]);
  });

  it('names both places of a name defined twice', async () => {
    const dir = writeProject({
      'project.yml': 'name: p\nmodules: [a.yml, b.yml]\n',
      'a.yml': 'relations:\n  r:\n    kind: file\n',
      'b.yml': '\nrelations:\n  r:\n    kind: file\n',
    });
    const error = await loadProject(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as Error).message).toBe(`${join(dir, 'b.yml')}:3:3: relation \`r\` is defined twice: here and at ${join(dir, 'a.yml')}:2:3. Rename or remove one.`);
  });

  it('rejects an unknown section with a suggestion and its position', async () => {
    const dir = writeProject({ 'project.yml': 'name: p\nmapings: {}\n' });
    await expect(loadProject(dir)).rejects.toThrow(/project\.yml:2:1: unknown section `mapings` in the project file\. Did you mean `mappings`\?/);
  });

  it('points at invalid YAML and at a missing module', async () => {
    const bad = writeProject({ 'project.yml': 'name: p\nmodules: [a\n' });
    await expect(loadProject(bad)).rejects.toThrow(/project\.yml:\d+:\d+: invalid YAML/);
    const missing = writeProject({ 'project.yml': 'name: p\nmodules:\n  - nowhere.yml\n' });
    await expect(loadProject(missing)).rejects.toThrow(/project\.yml:3:5: module `nowhere.yml` not found/);
    await expect(loadProject(join(missing, 'nope'))).rejects.toThrow(/it does not exist/);
  });
});

describe('variables', () => {
  it('replaces ${name} and $name, keeps typed values for a whole reference, and writes $$ as $', () => {
    const vars = new Variables([
      { name: 'env', defs: [{ name: 'basedir', value: 'data', where: 'test' }, { name: 'raw', value: '${basedir}/raw', where: 'test' }] },
      { name: 'params', defs: [{ name: 'year', value: 2013, where: 'parameter year' }] },
    ]);
    expect(vars.interpolate('${raw}/$year.csv')).toBe('data/raw/2013.csv');
    expect(vars.interpolate('$year')).toBe(2013);
    expect(vars.interpolate('cost $$5 and ^a$')).toBe('cost $5 and ^a$');
  });

  it('reports an undefined variable at its column with a suggestion', () => {
    const vars = new Variables([{ name: 'p', defs: [{ name: 'year', value: 1, where: 'x' }] }]);
    expect(() => vars.interpolate('a/${yaer}', { file: '/f.yml', line: 3, column: 10 }, true)).toThrow(
      /^\/f\.yml:3:12: undefined variable `yaer`\. Did you mean `year`\?/,
    );
  });

  it('detects a definition that refers to itself', () => {
    const vars = new Variables([{ name: 'e', defs: [{ name: 'a', value: '${b}', where: 'x' }, { name: 'b', value: 'x$a', where: 'y' }] }]);
    expect(() => vars.get('a')).toThrow(/variable `a` refers to itself: a → b → a/);
  });
});

describe('spec errors', () => {
  it('reports each zod issue at the position of the value, with known fields for an unknown one', async () => {
    const dir = writeProject({ 'project.yml': 'name: p\nrelations:\n  r:\n    kind: file\n    format: 3\n    locaton: x\n' });
    const project = await loadProject(dir);
    const entity = project.relations.get('r')!;
    const located = materialize(entity.yaml, entity.node, new Variables());
    const spec = z.strictObject({ kind: z.string(), format: z.string(), location: z.string().optional() });
    expect(() => parseSpec(spec, located, 'relation `r`')).toThrow(
      new RegExp(`project\\.yml:5:13: relation \`r\`: \`format\`: expected string, got number 3\\n  .*project\\.yml:6:5: unknown field \`locaton\`\\. Did you mean \`location\`\\?`),
    );
  });
});
