// One suite, two backends: SQLite (embedded default) and PostgreSQL (shared) must record and read
// runs with the same semantics.
import { afterEach, describe, expect, it } from 'vitest';
import { StateStoreError } from '../../../src/project/errors.js';
import { planResume, unfinishedInstances } from '../../../src/project/store/resume.js';
import { MAX_ERROR_LENGTH, type FinalStatus, type StateStore } from '../../../src/project/store/state-store.js';
import { freshProject, storeBackends, useBackend } from './backends.js';

const open: StateStore[] = [];

for (const backend of await storeBackends('conformance')) {
  describe.skipIf(!backend.available)(`${backend.name} state store`, () => {
    useBackend(backend);
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    const openStore = async (): Promise<StateStore> => {
      const store = await backend.open();
      open.push(store);
      return store;
    };

    /** A batch of `keys` in a fresh project; returns the ids. */
    async function batchOf(store: StateStore, keys: string[], project = freshProject(), args = 'year:start=2011 year:end=2013') {
      const batch = await store.beginBatch({ project, job: 'main', lifecycle: 'build', args, instances: keys });
      return { project, batch, args };
    }
    async function instance(store: StateStore, project: string, batchId: number, key: string): Promise<number> {
      return store.beginInstance({ batchId, project, job: 'main', instanceKey: key, params: { year: Number(key.split('=')[1]) }, lifecycle: 'build' });
    }
    async function target(store: StateStore, instanceId: number, name: string, status: FinalStatus | null, digest = 'd1', phase = 'build'): Promise<number> {
      const id = await store.beginTarget({ instanceId, phase, target: name, partitionKey: 'year=2013', digest });
      if (status !== null) await store.endTarget(id, status, status === 'failed' ? new Error(`${name} broke`) : undefined);
      return id;
    }

    it('records a batch, its instances and targets with statuses, times, parameters and owner', async () => {
      const store = await openStore();
      const before = Date.now();
      const { project, batch } = await batchOf(store, ['year=2013']);
      const run = await instance(store, project, batch, 'year=2013');
      await target(store, run, 'stations', 'succeeded');
      await target(store, run, 'weather', 'failed');
      await store.endInstance(run, 'failed', new Error('weather broke', { cause: new Error('disk full') }));
      await store.endBatch(batch, 'failed');

      const [record] = await store.instancesOf(batch);
      expect(record).toMatchObject({ batchId: batch, project, job: 'main', instanceKey: 'year=2013', params: { year: 2013 }, lifecycle: 'build', status: 'failed' });
      expect(record?.error).toBe('weather broke\ncaused by: disk full');
      expect(record?.owner).toMatchObject({ pid: process.pid });
      expect(record?.startedAt).toBeGreaterThanOrEqual(before);
      expect(record?.endedAt).toBeGreaterThanOrEqual(record?.startedAt ?? Infinity);
      const targets = await store.targetsOf(run);
      expect(targets.map((t) => [t.target, t.status, t.error, t.partitionKey, t.digest, t.project])).toEqual([
        ['stations', 'succeeded', null, 'year=2013', 'd1', project],
        ['weather', 'failed', 'weather broke', 'year=2013', 'd1', project],
      ]);
      const last = await store.lastBatch({ project, job: 'main', lifecycle: 'build', args: 'year:start=2011 year:end=2013' });
      expect(last).toMatchObject({ id: batch, status: 'failed', instances: ['year=2013'] });
    });

    it('cuts long errors, cancels what an ended instance or batch left running, and rejects unknown ids', async () => {
      const store = await openStore();
      const { project, batch } = await batchOf(store, ['year=1', 'year=2']);
      const one = await instance(store, project, batch, 'year=1');
      const t = await target(store, one, 'left-running', null);
      await store.endInstance(one, 'failed', 'x'.repeat(10_000));
      const [cut] = await store.instancesOf(batch);
      expect(cut?.error).toHaveLength(MAX_ERROR_LENGTH);
      expect(cut?.error?.endsWith('…')).toBe(true);
      expect((await store.targetsOf(one))[0]).toMatchObject({ id: t, status: 'cancelled' });
      const two = await instance(store, project, batch, 'year=2');
      await target(store, two, 'also-running', null);
      await store.endBatch(batch, 'cancelled');
      expect((await store.instancesOf(batch)).map((i) => i.status)).toEqual(['failed', 'cancelled']);
      expect((await store.targetsOf(two))[0]?.status).toBe('cancelled');

      await expect(store.endInstance(999_999, 'succeeded')).rejects.toThrow(/No instance with id 999999/);
      await expect(store.endTarget(999_999, 'succeeded')).rejects.toBeInstanceOf(StateStoreError);
      await expect(store.endBatch(999_999, 'succeeded')).rejects.toThrow(/No batch with id 999999/);
      await expect(instance(store, project, 999_999, 'year=3')).rejects.toThrow(/No batch with id 999999/);
      await expect(store.beginTarget({ instanceId: 999_999, phase: 'build', target: 't', partitionKey: '', digest: '' })).rejects.toThrow(/No instance/);
      await expect(store.endInstance(one, 'running' as FinalStatus)).rejects.toThrow(/Expected an end status.*got "running"/);
    });

    it('finds the last batch of exactly the same project, job, lifecycle and args', async () => {
      const store = await openStore();
      const project = freshProject();
      const first = await store.beginBatch({ project, job: 'main', lifecycle: 'build', args: 'a', instances: [] });
      const second = await store.beginBatch({ project, job: 'main', lifecycle: 'build', args: 'a', instances: [] });
      await store.beginBatch({ project, job: 'main', lifecycle: 'build', args: 'b', instances: [] });
      await store.beginBatch({ project, job: 'main', lifecycle: 'destroy', args: 'a', instances: [] });
      await store.beginBatch({ project, job: 'other', lifecycle: 'build', args: 'a', instances: [] });
      await store.endBatch(first, 'succeeded');
      expect((await store.lastBatch({ project, job: 'main', lifecycle: 'build', args: 'a' }))?.id).toBe(second);
      expect((await store.lastBatch({ project, job: 'main', lifecycle: 'build', args: 'a' }))?.status).toBe('running');
      expect(await store.lastBatch({ project, job: 'main', lifecycle: 'build', args: 'c' })).toBeNull();
    });

    it('answers clean checks with the newest finished attempt of a target, partition and phase', async () => {
      const store = await openStore();
      const { project, batch } = await batchOf(store, ['year=2013']);
      const query = { project, target: 'stations', phase: 'build', partitionKey: 'year=2013' };
      expect(await store.targetState(query)).toBeNull();
      const run = await instance(store, project, batch, 'year=2013');
      await target(store, run, 'stations', 'succeeded', 'old');
      await target(store, run, 'stations', 'succeeded', 'new');
      await target(store, run, 'stations', 'succeeded', 'verify-digest', 'verify');
      expect(await store.targetState(query)).toMatchObject({ status: 'succeeded', digest: 'new', instanceId: run, error: null });
      // A live attempt in progress is passed over; a failed one is the newest finished state.
      await target(store, run, 'stations', null, 'in-progress');
      expect((await store.targetState(query))?.digest).toBe('new');
      await target(store, run, 'stations', 'failed', 'newest');
      expect(await store.targetState(query)).toMatchObject({ status: 'failed', digest: 'newest', error: 'stations broke' });
      expect(await store.targetState({ ...query, phase: 'verify' })).toMatchObject({ digest: 'verify-digest' });
      expect(await store.targetState({ ...query, partitionKey: 'year=2014' })).toBeNull();
      expect(await store.targetState({ ...query, project: freshProject() })).toBeNull();
      const state = await store.targetState(query);
      expect(state?.endedAt).toBeGreaterThan(0);
    });

    it('passes over live attempts, of this store and of other open stores, however many there are', async () => {
      const store = await openStore();
      const { project, batch } = await batchOf(store, ['year=2013']);
      const run = await instance(store, project, batch, 'year=2013');
      await target(store, run, 'stations', 'skipped', 'first');
      for (let i = 0; i < 40; i++) await target(store, run, 'stations', null, `live${i}`);
      const query = { project, target: 'stations', phase: 'build', partitionKey: 'year=2013' };
      expect(await store.targetState(query)).toMatchObject({ status: 'skipped', digest: 'first' });
      const other = await openStore();
      const otherRun = await instance(other, project, batch, 'year=2013');
      await target(other, otherRun, 'stations', null, 'other-live');
      expect(await store.targetState(query)).toMatchObject({ status: 'skipped', digest: 'first' });
      expect(await other.targetState(query)).toMatchObject({ status: 'skipped', digest: 'first' });
    });

    it('plans --resume: the instances of the last batch that did not succeed, in batch order', async () => {
      const store = await openStore();
      const keys = ['year=2011', 'year=2012', 'year=2013', 'year=2014', 'year=2015'];
      const { project, batch, args } = await batchOf(store, keys);
      const statuses: Record<string, FinalStatus> = { 'year=2011': 'succeeded', 'year=2012': 'failed', 'year=2013': 'skipped', 'year=2014': 'cancelled' };
      for (const [key, status] of Object.entries(statuses)) await store.endInstance(await instance(store, project, batch, key), status);
      // 2012 ran again within the batch (a retry) and succeeded: its newest run counts.
      await store.endInstance(await instance(store, project, batch, 'year=2012'), 'succeeded');
      await store.endBatch(batch, 'failed');
      const plan = await planResume(store, { project, job: 'main', lifecycle: 'build', args });
      expect(plan?.batch.id).toBe(batch);
      expect(plan?.pending).toEqual(['year=2014', 'year=2015']);
      expect(unfinishedInstances(plan!.batch, [])).toEqual(keys);
      expect(await planResume(store, { project, job: 'main', lifecycle: 'build', args: 'other' })).toBeNull();
    });

    it('lists history newest first with phase summaries, filtered by project, job and status', async () => {
      const store = await openStore();
      const project = freshProject();
      const { batch: older } = await batchOf(store, ['year=2013'], project, 'older');
      const run = await instance(store, project, older, 'year=2013');
      await target(store, run, 'a', 'succeeded', 'd', 'create');
      await target(store, run, 'a', 'succeeded', 'd', 'build');
      await target(store, run, 'b', 'skipped', 'd', 'build');
      await target(store, run, 'c', 'failed', 'd', 'verify');
      await target(store, run, 'd', 'succeeded', 'd', 'verify');
      await store.endInstance(run, 'failed', 'verify failed');
      await store.endBatch(older, 'failed');
      const { batch: newer } = await batchOf(store, ['year=2014'], project, 'newer');
      const live = await instance(store, project, newer, 'year=2014');
      await target(store, live, 'a', null, 'd', 'create');
      await store.beginBatch({ project, job: 'other', lifecycle: 'build', args: '', instances: [] });

      const main = await store.history({ project, job: 'main', limit: 10 });
      expect(main.map((b) => b.id)).toEqual([newer, older]);
      const [running, failed] = main;
      expect(running?.runs[0]?.phases).toEqual([
        expect.objectContaining({ phase: 'create', status: 'running', endedAt: null, targets: expect.objectContaining({ running: 1 }) as unknown }),
      ]);
      expect(failed?.runs[0]).toMatchObject({ status: 'failed', error: 'verify failed', instanceKey: 'year=2013' });
      expect(failed?.runs[0]?.phases.map((p) => [p.phase, p.status, p.targets.succeeded, p.targets.skipped, p.targets.failed])).toEqual([
        ['create', 'succeeded', 1, 0, 0],
        ['build', 'succeeded', 1, 1, 0],
        ['verify', 'failed', 1, 0, 1],
      ]);
      const phase = failed?.runs[0]?.phases[2];
      expect(phase?.endedAt).toBeGreaterThanOrEqual(phase?.startedAt ?? Infinity);

      expect((await store.history({ project, limit: 10 })).map((b) => b.job)).toEqual(['other', 'main', 'main']);
      expect((await store.history({ project, limit: 1 })).map((b) => b.job)).toEqual(['other']);
      expect((await store.history({ project, status: 'failed', limit: 10 })).map((b) => b.id)).toEqual([older]);
      expect((await store.history({ project, job: 'main', status: 'running', limit: 10 })).map((b) => b.id)).toEqual([newer]);
      expect(await store.history({ project, status: 'killed', limit: 10 })).toEqual([]);
      expect(await store.history({ project: freshProject(), limit: 10 })).toEqual([]);
      await expect(store.history({ project, limit: 0 })).rejects.toThrow(/Expected `limit` to be a whole number from 1 and up, got 0/);
    });

    it('reads the unfinished records of a closed store as killed', async () => {
      const writer = await backend.open();
      const { project, batch } = await batchOf(writer, ['year=2013']);
      const run = await instance(writer, project, batch, 'year=2013');
      await target(writer, run, 'stations', null);
      const reader = await openStore();
      expect((await reader.instancesOf(batch))[0]?.status).toBe('running');
      await writer.close();
      await writer.close();
      await expect(writer.beginBatch({ project, job: 'main', lifecycle: 'build', args: '', instances: [] })).rejects.toThrow(/is closed/);
      expect((await reader.instancesOf(batch))[0]?.status).toBe('killed');
      expect((await reader.targetsOf(run))[0]?.status).toBe('killed');
      expect((await reader.lastBatch({ project, job: 'main', lifecycle: 'build', args: 'year:start=2011 year:end=2013' }))?.status).toBe('killed');
      expect(await reader.targetState({ project, target: 'stations', phase: 'build', partitionKey: 'year=2013' })).toMatchObject({ status: 'killed', endedAt: null });
      const [killed] = await reader.history({ project, status: 'killed', limit: 5 });
      expect(killed?.runs[0]?.phases[0]).toMatchObject({ status: 'killed', endedAt: null });
    });

    it('keeps the heartbeat fresh, and reads a writer on another machine as killed once its lease ran out', async () => {
      const writer = await backend.open({ heartbeatMs: 20 });
      open.push(writer);
      const { project, batch } = await batchOf(writer, ['year=2013']);
      await instance(writer, project, batch, 'year=2013');
      const heartbeat = async (): Promise<number> =>
        Number((await backend.raw(`SELECT heartbeat_at FROM owners WHERE pid = ${process.pid} AND closed_at IS NULL ORDER BY heartbeat_at DESC`))[0]?.heartbeat_at);
      const first = await heartbeat();
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await heartbeat()).toBeGreaterThan(first);
      // Pretend the writer runs on another machine: only its heartbeat can tell whether it is alive.
      await backend.raw(`UPDATE owners SET machine = 'elsewhere#boot' WHERE token IN (SELECT owner FROM batches WHERE id = ${batch})`);
      expect((await (await openStore()).instancesOf(batch))[0]?.status).toBe('running');
      const later = await backend.open({ now: () => Date.now() + 61_000 });
      open.push(later);
      expect((await later.instancesOf(batch))[0]?.status).toBe('killed');
      const shortLease = await backend.open({ leaseMs: 60_000, now: () => Date.now() + 59_000 });
      open.push(shortLease);
      expect((await shortLease.lastBatch({ project, job: 'main', lifecycle: 'build', args: 'year:start=2011 year:end=2013' }))?.status).toBe('running');
    });
  });
}
