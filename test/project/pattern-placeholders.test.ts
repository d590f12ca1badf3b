// A file relation's `pattern` is a template of its partition columns (Flowman's `pattern: ${year}`),
// even inside a job whose parameter has the same name; other variables in it are replaced.
import { afterEach, describe, expect, it } from 'vitest';
import { builtinKinds } from '../../src/project/builtin-kinds.js';
import { expandInstances } from '../../src/project/jobs/instances.js';
import { readJob } from '../../src/project/jobs/job.js';
import { ProjectSession } from '../../src/project/session.js';
import { writeProject } from './helpers.js';

const project = `
name: patterns
environment:
  - prefix=y
relations:
  raw:
    kind: file
    format: text
    location: data
    pattern: \${prefix}\${year}
    partitions:
      - { name: year, type: integer }
jobs:
  main:
    parameters:
      - { name: year, type: integer, default: 2013 }
`;

let session: ProjectSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe('partition placeholders in a relation pattern', () => {
  it('keeps ${year} as the partition placeholder in a job with a parameter year, and replaces other variables', async () => {
    const dir = writeProject({ 'project.yml': project, 'data/y2013/a.txt': 'thirteen\n', 'data/y2014/a.txt': 'fourteen\n', 'data/2013/a.txt': 'not a partition\n' });
    session = await ProjectSession.open({ path: dir, kinds: builtinKinds(), conf: ['weft.execution.backend=async'] });
    const job = readJob(session.project, 'main');
    const instance = expandInstances('main', job.parameters, ['year=2014'])[0]!;
    const ctx = session.context({ job, instance, signal: new AbortController().signal });
    const raw = ctx.relation('raw');
    const rows = await (await raw.read(ctx.relationContext)).collect();
    expect(rows.sort((a, b) => String(a.value).localeCompare(String(b.value)))).toEqual([
      { value: 'fourteen', year: 2014 },
      { value: 'thirteen', year: 2013 },
    ]);
    // The same definition in every instance: the pattern does not change with the parameter.
    const other = session.context({ job, instance: expandInstances('main', job.parameters, ['year=2013'])[0]!, signal: new AbortController().signal });
    expect(other.relation('raw').describe()).toBe(raw.describe());
  });
});
