// A weft process killed with SIGKILL mid-run: readers see its unfinished records as killed, the
// clean check does not trust a half-written target, and the store stays intact and writable.
import { describe, expect, it } from 'vitest';
import { planResume } from '../../../src/project/store/resume.js';
import { exited, firstLine, freshProject, spawnWriter, storeBackends, useBackend } from './backends.js';

for (const backend of await storeBackends('killed')) {
  describe.skipIf(!backend.available)(`${backend.name} state store after a killed writer`, () => {
    useBackend(backend);

    it('reports the running records of a SIGKILLed process as killed', async () => {
      const project = freshProject();
      const store = await backend.open();
      try {
        // An earlier build of the same target succeeded; the killed run was rewriting it.
        const earlier = await store.beginBatch({ project, job: 'main', lifecycle: 'build', args: 'earlier', instances: ['k=1'] });
        const done = await store.beginInstance({ batchId: earlier, project, job: 'main', instanceKey: 'k=1', params: {}, lifecycle: 'build' });
        await store.endTarget(await store.beginTarget({ instanceId: done, phase: 'build', target: 't', partitionKey: 'k=1', digest: 'd1' }), 'succeeded');

        const child = spawnWriter(['hang', backend.url(), project]);
        const ids = JSON.parse(await firstLine(child)) as { batch: number; instance: number; target: number };
        expect((await store.instancesOf(ids.batch))[0]?.status).toBe('running');
        child.kill('SIGKILL');
        expect((await exited(child)).signal).toBe('SIGKILL');

        expect((await store.lastBatch({ project, job: 'main', lifecycle: 'build', args: 'hang' }))?.status).toBe('killed');
        expect((await store.instancesOf(ids.batch)).map((i) => [i.id, i.status])).toEqual([[ids.instance, 'killed']]);
        expect((await store.targetsOf(ids.instance)).map((t) => [t.id, t.status])).toEqual([[ids.target, 'killed']]);
        expect(await store.targetState({ project, target: 't', phase: 'build', partitionKey: 'k=1' })).toMatchObject({ status: 'killed', digest: 'd1' });
        const plan = await planResume(store, { project, job: 'main', lifecycle: 'build', args: 'hang' });
        expect(plan?.pending).toEqual(['k=1', 'k=2']);
        expect((await store.history({ project, status: 'killed', limit: 5 })).map((b) => b.id)).toEqual([ids.batch]);
        expect((await store.history({ project, status: 'running', limit: 5 })).map((b) => b.id)).toEqual([earlier]);
      } finally {
        await store.close();
      }
      await backend.checkIntact();
    }, 60_000);

    it('stays intact and writable after a writer is killed in the middle of writing', async () => {
      const project = freshProject();
      const child = spawnWriter(['churn', backend.url(), project]);
      expect(await firstLine(child)).toBe('ready');
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGKILL');
      await exited(child);
      await backend.checkIntact();
      const store = await backend.open();
      try {
        const history = await store.history({ project, limit: 1000 });
        expect(history.length).toBeGreaterThanOrEqual(1);
        expect(history.every((b) => b.status === 'succeeded' || b.status === 'killed')).toBe(true);
        expect(history.at(-1)?.status).toBe('succeeded');
        const batch = await store.beginBatch({ project, job: 'main', lifecycle: 'build', args: 'after', instances: [] });
        await store.endBatch(batch, 'succeeded');
        expect((await store.history({ project, limit: 1 }))[0]).toMatchObject({ id: batch, status: 'succeeded' });
      } finally {
        await store.close();
      }
    }, 60_000);
  });
}
