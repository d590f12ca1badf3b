import { afterEach, describe, expect, it } from 'vitest';
import { readJob } from '../../src/project/jobs/job.js';
import { expandInstances } from '../../src/project/jobs/instances.js';
import type { ProjectSession } from '../../src/project/session.js';
import { memorySession } from './project-fixture.js';

/** Four slow relations read by four mappings, all joined into one: a wide diamond. */
const project = (parallelism: number, failing = false): string => `name: planning
config: [weft.execution.mapping.parallelism=${parallelism}]
relations:
${[1, 2, 3, 4].map((i) => `  r${i}: { kind: memory, schemaDelayMs: 150, schema: { k: string, v${i}: double }, rows: [{ k: a, v${i}: ${i} }] }`).join('\n')}
mappings:
${[1, 2, 3, 4].map((i) => `  m${i}: { kind: read, relation: r${i} }`).join('\n')}
  j12: { kind: join, inputs: [m1, m2], columns: k }
  j34: { kind: join, inputs: [m3, m4], columns: k }
  all: { kind: join, inputs: [j12, j34], columns: k }
  left: { kind: select, input: all, columns: { k: k, s: "v1 + v2${failing ? ' + nope' : ''}" } }
  right: { kind: select, input: all, columns: { k: k, t: v3 * v4 } }
`;

let session: ProjectSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

function context(s: ProjectSession) {
  const job = readJob(s.project, 'none');
  return s.context({ job, instance: expandInstances('none', [], [])[0]!, signal: new AbortController().signal });
}

describe('mapping planning', () => {
  it('plans up to weft.execution.mapping.parallelism mappings at once, each once, however many read it', async () => {
    const opened = await memorySession({ 'project.yml': `${project(4)}jobs:\n  none: {}\n` });
    session = opened.session;
    const ctx = context(session);
    const [left, right] = await Promise.all([ctx.mapping('left'), ctx.mapping('right'), ctx.mapping('all')]);
    expect(opened.data.schemaPeak).toBe(4);
    expect(left.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['k:string', 's:double']);
    expect(await left.dataset.collect()).toEqual([{ k: 'a', s: 3 }]);
    expect(await right.dataset.collect()).toEqual([{ k: 'a', t: 12 }]);
    expect(ctx.mapping('all')).toBe(ctx.mapping('all'));
  });

  it('plans one at a time by default', async () => {
    const opened = await memorySession({ 'project.yml': `${project(1)}jobs:\n  none: {}\n` });
    session = opened.session;
    await context(session).mapping('left');
    expect(opened.data.schemaPeak).toBe(1);
  });

  it('fails cleanly, never deadlocks: every mapping that needs a failed one rejects with its position', async () => {
    ({ session } = await memorySession({ 'project.yml': `${project(2, true)}jobs:\n  none: {}\n` }));
    const ctx = context(session);
    const results = await Promise.allSettled([ctx.mapping('left'), ctx.mapping('right')]);
    expect(results[0].status).toBe('rejected');
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/project\.yml:\d+:\d+: unknown column `nope`/);
    expect(results[1].status).toBe('fulfilled');
  });

  it('reports a mapping that reads itself, through others', async () => {
    ({ session } = await memorySession({
      'project.yml': 'name: loop\nmappings:\n  a: { kind: filter, input: b, condition: "true" }\n  b: { kind: filter, input: a, condition: "true" }\njobs:\n  none: {}\n',
    }));
    await expect(context(session).mapping('a')).rejects.toThrow(/mapping `a` reads itself: a → b → a/);
  });
});
