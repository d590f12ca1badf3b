import { describe, expect, it } from 'vitest';
import { ResourceLocks } from '../../src/project/execution/resource-locks.js';
import type { Resource } from '../../src/project/resources.js';

const stations: Resource = { kind: 'file', name: '/out/stations' };
const year = (y: number): Resource => ({ kind: 'file', name: '/out/measurements', partition: { year: String(y) } });
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Acquires and records when the grant arrives. */
function track(locks: ResourceLocks, log: string[], name: string, writes: Resource[], reads: Resource[]): Promise<() => void> {
  return locks.acquire(writes, reads).then((release) => {
    log.push(name);
    return release;
  });
}

describe('resource locks across job instances', () => {
  it('lets one writer at a time write a resource, and the next one in when it releases', async () => {
    const locks = new ResourceLocks();
    const log: string[] = [];
    const a = await track(locks, log, 'a', [stations], []);
    const b = track(locks, log, 'b', [stations], []);
    await tick();
    expect(log).toEqual(['a']);
    a();
    (await b)();
    expect(log).toEqual(['a', 'b']);
  });

  it('shares reads, makes a writer wait for readers, and lets no later reader pass a waiting writer', async () => {
    const locks = new ResourceLocks();
    const log: string[] = [];
    const r1 = await track(locks, log, 'r1', [], [stations]);
    const r2 = await track(locks, log, 'r2', [], [stations]);
    const w = track(locks, log, 'w', [stations], []);
    const r3 = track(locks, log, 'r3', [], [stations]);
    await tick();
    expect(log).toEqual(['r1', 'r2']);
    r1();
    r2();
    (await w)();
    (await r3)();
    expect(log).toEqual(['r1', 'r2', 'w', 'r3']);
  });

  it('never blocks writes of different partitions, but a read of the whole relation waits for them', async () => {
    const locks = new ResourceLocks();
    const log: string[] = [];
    const w1 = await track(locks, log, '2011', [year(2011)], []);
    const w2 = await track(locks, log, '2012', [year(2012)], []);
    const all = track(locks, log, 'all', [], [{ kind: 'file', name: '/out/measurements' }]);
    await tick();
    expect(log).toEqual(['2011', '2012']);
    w1();
    await tick();
    expect(log).toEqual(['2011', '2012']);
    w2();
    (await all)();
    expect(log).toEqual(['2011', '2012', 'all']);
  });

  it('grants nothing-to-lock at once and ignores a second release', async () => {
    const locks = new ResourceLocks();
    const none = await locks.acquire([], []);
    none();
    const a = await locks.acquire([stations], []);
    a();
    a();
    const b = await locks.acquire([stations], [year(2011)]);
    b();
  });
});
