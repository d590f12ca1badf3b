// Many writers at once: the `-j` instances of one process sharing a store, two stores of one process
// on the same database, and two weft processes writing the same store (real child processes).
import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../../src/project/store/state-store.js';
import { exited, freshProject, lineReader, spawnWriter, storeBackends, useBackend } from './backends.js';

/** One job instance with `targets` targets built concurrently, as the executor runs them. */
async function runInstance(store: StateStore, project: string, batchId: number, key: string, targets: number): Promise<number> {
  const run = await store.beginInstance({ batchId, project, job: 'main', instanceKey: key, params: { key }, lifecycle: 'build' });
  await Promise.all(
    Array.from({ length: targets }, async (_, i) => {
      const t = await store.beginTarget({ instanceId: run, phase: 'build', target: `t${i}`, partitionKey: key, digest: 'd' });
      await store.endTarget(t, 'succeeded');
    }),
  );
  await store.endInstance(run, 'succeeded');
  return run;
}

async function runBatch(stores: StateStore[], project: string, instances: number, targets: number): Promise<number> {
  const keys = Array.from({ length: instances }, (_, i) => `k=${i}`);
  const batch = await stores[0]!.beginBatch({ project, job: 'main', lifecycle: 'build', args: '', instances: keys });
  await Promise.all(keys.map((key, i) => runInstance(stores[i % stores.length]!, project, batch, key, targets)));
  await stores[0]!.endBatch(batch, 'succeeded');
  return batch;
}

for (const backend of await storeBackends('concurrency')) {
  describe.skipIf(!backend.available)(`${backend.name} state store under concurrent writers`, () => {
    useBackend(backend);

    it('records every instance and target when many -j instances of one process write at once', async () => {
      const store = await backend.open();
      try {
        const project = freshProject();
        const batch = await runBatch([store], project, 24, 6);
        const runs = await store.instancesOf(batch);
        expect(runs).toHaveLength(24);
        expect(new Set(runs.map((r) => r.instanceKey)).size).toBe(24);
        expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
        const targets = await Promise.all(runs.map((r) => store.targetsOf(r.id)));
        expect(targets.flat().filter((t) => t.status === 'succeeded')).toHaveLength(24 * 6);
        const [history] = await store.history({ project, limit: 1 });
        expect(history?.runs.every((r) => r.phases[0]?.targets.succeeded === 6)).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('records everything when two stores of one process share the database', async () => {
      const stores = [await backend.open(), await backend.open()];
      try {
        const project = freshProject();
        const batches = await Promise.all([runBatch(stores, project, 10, 4), runBatch([stores[1]!, stores[0]!], project, 10, 4)]);
        for (const batch of batches) expect((await stores[0]!.instancesOf(batch)).map((r) => r.status)).toEqual(Array(10).fill('succeeded'));
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
      await backend.checkIntact();
    });

    it('records everything when two weft processes write the same store at once', async () => {
      const project = freshProject();
      const children = ['one', 'two'].map((tag) => spawnWriter(['write', backend.url(), project, '40', tag]));
      const readers = children.map(lineReader);
      // Both processes have their store open before either writes, so their writes overlap.
      expect(await Promise.all(readers.map((next) => next()))).toEqual(['ready', 'ready']);
      for (const child of children) child.stdin?.write('go\n');
      // Both batches have begun before either writes its instances: the batches overlap for sure.
      expect(await Promise.all(readers.map((next) => next()))).toEqual(['begun', 'begun']);
      for (const child of children) child.stdin?.write('go\n');
      const lines = await Promise.all(readers.map((next) => next()));
      expect((await Promise.all(children.map(exited))).map((e) => e.code)).toEqual([0, 0]);
      const store = await backend.open();
      try {
        for (const line of lines) {
          const { batch } = JSON.parse(line) as { batch: number };
          const runs = await store.instancesOf(batch);
          expect(runs.map((r) => r.status)).toEqual(Array(40).fill('succeeded'));
          expect(new Set(runs.map((r) => r.owner.pid)).size).toBe(1);
          expect((await store.targetsOf(runs[39]!.id)).map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
        }
        const history = await store.history({ project, limit: 10 });
        expect(history.map((b) => b.args).sort()).toEqual(['one', 'two']);
        expect(history.every((b) => b.status === 'succeeded' && b.owner.pid !== process.pid)).toBe(true);
        const [a, b] = history;
        // The two batches ran at the same time.
        expect(a!.startedAt).toBeLessThan(b!.endedAt!);
        expect(b!.startedAt).toBeLessThan(a!.endedAt!);
      } finally {
        await store.close();
      }
      await backend.checkIntact();
    }, 60_000);
  });
}
