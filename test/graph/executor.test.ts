import { describe, expect, it } from 'vitest';
import { CancelledError, UsageError } from '../../src/errors.js';
import { EventStream } from '../../src/events.js';
import type { WeftEvent } from '../../src/events.js';
import { Dag, runGraph } from '../../src/graph/index.js';
import type { ExecuteContext, GraphNode, NodeExecution } from '../../src/graph/index.js';
import { deferred, randomNodes, turns } from './helpers.js';

const node = (id: string, ...deps: string[]): GraphNode<null> => ({ id, deps, data: null });
const ok = (): Promise<NodeExecution> => Promise.resolve({});
const statuses = (nodes: Map<string, { status: string }>): Record<string, string> =>
  Object.fromEntries([...nodes].map(([id, r]) => [id, r.status]));

/** Rejects with the abort reason once the signal aborts: a node that honours cancellation. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
}

describe('runGraph: order and bounds', () => {
  it('starts ready nodes in declaration order with parallelism 1', async () => {
    const dag = new Dag([node('x'), node('y', 'z'), node('z'), node('w')]);
    const started: string[] = [];
    const result = await runGraph(dag, {
      name: 't',
      parallelism: 1,
      execute: async (n) => {
        started.push(n.id);
        await turns(1);
        return { value: n.id.toUpperCase() };
      },
    });
    expect(started).toEqual(['x', 'z', 'y', 'w']);
    expect(result.status).toBe('succeeded');
    expect(result.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect([...result.nodes.keys()]).toEqual(['x', 'y', 'z', 'w']);
    expect(result.nodes.get('y')).toMatchObject({ status: 'succeeded', value: 'Y', attempts: 1 });
  });

  it('never has more than `parallelism` nodes in flight, and starts a node only after its deps', async () => {
    const dag = new Dag(randomNodes(300, 7, 2));
    let inFlight = 0;
    let peak = 0;
    const ended = new Set<string>();
    const result = await runGraph(dag, {
      name: 't',
      parallelism: 3,
      execute: async (n) => {
        for (const dep of n.deps) expect(ended.has(dep)).toBe(true);
        peak = Math.max(peak, ++inFlight);
        await turns(1 + (n.data % 3));
        inFlight--;
        ended.add(n.id);
        return {};
      },
    });
    expect(result.status).toBe('succeeded');
    expect(ended.size).toBe(300);
    expect(peak).toBe(3);
  });

  it('runs a 10k-node random DAG of no-op nodes completely', async () => {
    const dag = new Dag(randomNodes(10_000, 3));
    let calls = 0;
    const result = await runGraph(dag, { name: 't', parallelism: Infinity, execute: () => (calls++, ok()) });
    expect(result.status).toBe('succeeded');
    expect(calls).toBe(10_000);
  });

  it('rejects a bad parallelism with a UsageError', async () => {
    const dag = new Dag([node('a')]);
    await expect(runGraph(dag, { name: 't', parallelism: 0, execute: ok })).rejects.toThrow(UsageError);
    await expect(runGraph(dag, { name: 't', parallelism: 1.5, execute: ok })).rejects.toThrow(/got number 1.5/);
  });

  it('treats a synchronous throw as a failure and a non-object resolution as success', async () => {
    const dag = new Dag([node('a'), node('b'), node('c')]);
    const result = await runGraph(dag, {
      name: 't',
      parallelism: 2,
      failurePolicy: 'keep-going',
      execute: (n) => {
        if (n.id === 'a') throw new RangeError('sync');
        return Promise.resolve((n.id === 'b' ? undefined : 42) as unknown as NodeExecution);
      },
    });
    expect(result.nodes.get('a')?.error).toBeInstanceOf(RangeError);
    expect(result.nodes.get('b')?.status).toBe('succeeded');
    expect(result.nodes.get('c')?.status).toBe('succeeded');
  });
});

describe('runGraph: failure policies', () => {
  it('fail-fast aborts running nodes, starts nothing new, and leaves the rest not-run', async () => {
    // b and a run together; a fails; b honours its signal; c (queued) and d (a's dependent) never start.
    const dag = new Dag([node('b'), node('a'), node('c'), node('d', 'a'), node('e')]);
    const started: string[] = [];
    let bReason: unknown;
    const boom = new Error('boom');
    const result = await runGraph(dag, {
      name: 't',
      parallelism: 2,
      execute: async (n, ctx) => {
        started.push(n.id);
        if (n.id === 'a') throw boom;
        if (n.id === 'b') {
          try {
            return await untilAborted(ctx.signal);
          } finally {
            bReason = ctx.signal.reason;
          }
        }
        return {};
      },
    });
    expect(started).toEqual(['b', 'a']);
    expect(result.status).toBe('failed');
    expect(result.error).toBe(boom);
    expect(statuses(result.nodes)).toEqual({ b: 'cancelled', a: 'failed', c: 'not-run', d: 'not-run', e: 'not-run' });
    expect(bReason).toBeInstanceOf(CancelledError);
    expect((bReason as Error).message).toBe('run failed fast after node "a" failed');
  });

  it('fail-fast keeps the outcome of a running node that finishes anyway', async () => {
    const dag = new Dag([node('slow'), node('bad')]);
    const result = await runGraph(dag, {
      name: 't',
      parallelism: 2,
      execute: (n, ctx) => {
        if (n.id === 'bad') return Promise.reject(new Error('bad'));
        return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ value: 'done anyway' })));
      },
    });
    expect(result.nodes.get('slow')).toMatchObject({ status: 'succeeded', value: 'done anyway' });
    expect(result.status).toBe('failed');
  });

  it('keep-going skips exactly the transitive dependents of a failure', async () => {
    const dag = new Dag([node('a'), node('b', 'a'), node('c', 'b'), node('x'), node('d', 'a', 'x'), node('y'), node('z', 'y', 'x')]);
    const result = await runGraph(dag, {
      name: 't',
      parallelism: 2,
      failurePolicy: 'keep-going',
      execute: async (n) => {
        await turns(1);
        if (n.id === 'a') throw new Error('a broke');
        return {};
      },
    });
    expect(statuses(result.nodes)).toEqual({ a: 'failed', b: 'skipped', c: 'skipped', x: 'succeeded', d: 'skipped', y: 'succeeded', z: 'succeeded' });
    expect(result.nodes.get('b')?.reason).toBe('dependency a failed');
    expect(result.nodes.get('c')?.reason).toBe('dependency b was skipped');
    expect(result.nodes.get('d')?.reason).toBe('dependency a failed');
    expect(result.nodes.get('c')?.attempts).toBe(0);
    expect(result.status).toBe('failed');
    expect(result.error?.message).toBe('a broke');
  });

  it('propagates a skip decided by execute without failing the run', async () => {
    const dag = new Dag([node('gate'), node('after', 'gate'), node('later', 'after'), node('free')]);
    const result = await runGraph(dag, {
      name: 't',
      parallelism: 1,
      execute: (n) => Promise.resolve(n.id === 'gate' ? { skipped: { reason: 'when: false' } } : {}),
    });
    expect(result.status).toBe('succeeded');
    expect(result.nodes.get('gate')).toMatchObject({ status: 'skipped', reason: 'when: false', attempts: 1 });
    expect(result.nodes.get('after')).toMatchObject({ status: 'skipped', reason: 'dependency gate was skipped' });
    expect(result.nodes.get('later')?.status).toBe('skipped');
    expect(result.nodes.get('free')?.status).toBe('succeeded');
  });
});

describe('runGraph: cancellation', () => {
  it('ends promptly when the run signal aborts, even if a node ignores its signal', async () => {
    const dag = new Dag([node('a'), node('b', 'a'), node('c')]);
    const controller = new AbortController();
    const started = deferred();
    let seen: ExecuteContext | undefined;
    void started.promise.then(() => controller.abort());
    const result = await runGraph(dag, {
      name: 'job',
      parallelism: 1,
      signal: controller.signal,
      execute: (_n, ctx) => {
        seen = ctx;
        started.resolve();
        return new Promise(() => {}); // never settles, ignores its signal
      },
    });
    expect(result.status).toBe('cancelled');
    expect(result.error).toBeInstanceOf(CancelledError);
    expect(result.error?.message).toBe('run "job" was cancelled');
    expect(statuses(result.nodes)).toEqual({ a: 'cancelled', b: 'not-run', c: 'not-run' });
    expect(seen?.signal.reason).toBe(result.error);
  });

  it('passes a CancelledError reason through to running attempts', async () => {
    const dag = new Dag([node('a')]);
    const controller = new AbortController();
    const reason = new CancelledError('Ctrl-C');
    const result = await runGraph(dag, {
      name: 't',
      parallelism: 1,
      signal: controller.signal,
      execute: (_n, ctx) => {
        queueMicrotask(() => controller.abort(reason));
        return untilAborted(ctx.signal);
      },
    });
    expect(result.error).toBe(reason);
    expect(result.nodes.get('a')).toMatchObject({ status: 'cancelled', reason: 'Ctrl-C' });
  });

  it('starts nothing when the signal is already aborted', async () => {
    let calls = 0;
    const result = await runGraph(new Dag([node('a'), node('b')]), {
      name: 't',
      parallelism: 2,
      signal: AbortSignal.abort(),
      execute: () => (calls++, ok()),
    });
    expect(calls).toBe(0);
    expect(result.status).toBe('cancelled');
    expect(statuses(result.nodes)).toEqual({ a: 'not-run', b: 'not-run' });
  });
});

describe('runGraph: events', () => {
  it('reports a small run in order, with backend, slot and durations', async () => {
    const events = new EventStream();
    const seen: WeftEvent[] = [];
    events.on('*', (e) => seen.push(e));
    const dag = new Dag([node('a'), node('b', 'a')]);
    const result = await runGraph(dag, {
      name: 'pipe',
      runId: 'r1',
      parallelism: 2,
      events,
      execute: (n) => Promise.resolve(n.id === 'a' ? { backend: 'thread', slot: 1, value: 1 } : { cached: true }),
    });
    expect(result.runId).toBe('r1');
    expect(seen.map((e) => ('node' in e ? `${e.type}:${e.node}` : e.type))).toEqual([
      'run.started',
      'node.queued:a',
      'node.started:a',
      'node.succeeded:a',
      'node.queued:b',
      'node.started:b',
      'node.succeeded:b',
      'run.succeeded',
    ]);
    expect(seen[0]).toMatchObject({ type: 'run.started', runId: 'r1', name: 'pipe', nodes: 2 });
    expect(seen[3]).toMatchObject({ attempt: 1, backend: 'thread', slot: 1 });
    expect(typeof (seen[3] as { durationMs?: number }).durationMs).toBe('number');
    expect(seen[6]).toMatchObject({ cached: true });
  });

  it('reports failures, skips and the failed run with serialized errors', async () => {
    const events = new EventStream();
    const seen: WeftEvent[] = [];
    events.on('*', (e) => seen.push(e));
    await runGraph(new Dag([node('a'), node('b', 'a')]), {
      name: 'pipe',
      parallelism: 1,
      failurePolicy: 'keep-going',
      events,
      execute: () => Promise.reject(new TypeError('nope')),
    });
    const types = seen.map((e) => e.type);
    expect(types).toEqual(['run.started', 'node.queued', 'node.started', 'node.failed', 'node.skipped', 'run.failed']);
    expect(seen[3]).toMatchObject({ node: 'a', error: { name: 'TypeError', message: 'nope' } });
    expect(seen[4]).toMatchObject({ node: 'b', reason: 'dependency a failed' });
    expect(seen[5]).toMatchObject({ error: { message: 'nope' } });
  });
});
