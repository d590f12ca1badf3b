import { describe, expect, it, vi } from 'vitest';
import { CancelledError, TimeoutError } from '../../src/errors.js';
import { EventStream } from '../../src/events.js';
import type { NodeEvent } from '../../src/events.js';
import { Dag, runGraph } from '../../src/graph/index.js';
import type { GraphNode } from '../../src/graph/index.js';

const node = (id: string, extra: Partial<GraphNode<null>> = {}, ...deps: string[]): GraphNode<null> => ({ id, deps, data: null, ...extra });

function recorder(): { events: EventStream; of: (type: NodeEvent['type']) => NodeEvent[] } {
  const events = new EventStream();
  const seen: NodeEvent[] = [];
  events.on('*', (e) => {
    if ('node' in e) seen.push(e);
  });
  return { events, of: (type) => seen.filter((e) => e.type === type) };
}

describe('runGraph: retries', () => {
  it('retries with exponential back-off capped by retryMaxDelayMs, recorded in events', async () => {
    const { events, of } = recorder();
    const attempts: number[] = [];
    const result = await runGraph(new Dag([node('flaky', { retries: 5, retryDelayMs: 1, retryMaxDelayMs: 3 })]), {
      name: 't',
      parallelism: 1,
      events,
      execute: (_n, ctx) => {
        attempts.push(ctx.attempt);
        return ctx.attempt < 5 ? Promise.reject(new Error(`try ${ctx.attempt}`)) : Promise.resolve({ value: 'ok' });
      },
    });
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(result.nodes.get('flaky')).toMatchObject({ status: 'succeeded', attempts: 5, value: 'ok' });
    expect(of('node.retried').map((e) => [e.attempt, e.delayMs, e.error?.message])).toEqual([
      [1, 1, 'try 1'],
      [2, 2, 'try 2'],
      [3, 3, 'try 3'],
      [4, 3, 'try 4'],
    ]);
    expect(of('node.started').map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
  });

  it('caps the back-off of nodes that set no cap by the run\'s retryMaxDelayMs (a node\'s own cap wins)', async () => {
    const { events, of } = recorder();
    const dag = new Dag([node('a', { retries: 3, retryDelayMs: 2 }), node('b', { retries: 2, retryDelayMs: 1, retryMaxDelayMs: 1 })]);
    await runGraph(dag, { name: 't', parallelism: 2, events, retryMaxDelayMs: 3, execute: (_n, ctx) => (ctx.attempt <= 2 ? Promise.reject(new Error('no')) : Promise.resolve({ value: 1 })) });
    expect(of('node.retried').map((e) => [e.node, e.delayMs])).toEqual(expect.arrayContaining([['a', 2], ['a', 3], ['b', 1], ['b', 1]]));
    await expect(runGraph(dag, { name: 't', parallelism: 1, retryMaxDelayMs: -1, execute: () => Promise.resolve({ value: 1 }) })).rejects.toThrow(/`retryMaxDelayMs` to be a number of milliseconds from 0 and up, got .*-1/);
  });

  it('fails the node with the last error once the retries are spent', async () => {
    const result = await runGraph(new Dag([node('bad', { retries: 2 })]), {
      name: 't',
      parallelism: 1,
      execute: (_n, ctx) => Promise.reject(new Error(`try ${ctx.attempt}`)),
    });
    expect(result.nodes.get('bad')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(result.error?.message).toBe('try 3');
  });

  it('cancels a back-off wait when the run is cancelled', async () => {
    const controller = new AbortController();
    const { events, of } = recorder();
    events.on('node.retried', () => controller.abort());
    const result = await runGraph(new Dag([node('a', { retries: 3, retryDelayMs: 600_000 })]), {
      name: 't',
      parallelism: 1,
      events,
      signal: controller.signal,
      execute: () => Promise.reject(new Error('first')),
    });
    expect(result.status).toBe('cancelled');
    expect(result.nodes.get('a')).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(of('node.cancelled')).toHaveLength(1);
  });

  it('cancels a back-off wait when another node fails fast', async () => {
    const result = await runGraph(new Dag([node('waiting', { retries: 1, retryDelayMs: 600_000 }), node('fatal', {}, 'gate'), node('gate')]), {
      name: 't',
      parallelism: 3,
      execute: (n) => (n.id === 'gate' ? Promise.resolve({}) : Promise.reject(new Error(n.id))),
    });
    expect(result.error?.message).toBe('fatal');
    expect(result.nodes.get('waiting')).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(result.nodes.get('waiting')?.error).toBeInstanceOf(CancelledError);
  });
});

describe('runGraph: timeouts', () => {
  it('times out a node that ignores its signal, aborting the signal with a TimeoutError', async () => {
    const signals: AbortSignal[] = [];
    const { events, of } = recorder();
    const result = await runGraph(new Dag([node('stuck', { timeoutMs: 20, retries: 1 }), node('after', {}, 'stuck')]), {
      name: 't',
      parallelism: 1,
      events,
      execute: (_n, ctx) => {
        signals.push(ctx.signal);
        return new Promise(() => {}); // never settles
      },
    });
    const stuck = result.nodes.get('stuck');
    expect(stuck).toMatchObject({ status: 'failed', attempts: 2 });
    expect(stuck?.error).toBeInstanceOf(TimeoutError);
    expect(stuck?.error?.message).toBe('node "stuck" ran longer than 20 ms');
    expect(signals.map((s) => s.reason instanceof TimeoutError)).toEqual([true, true]);
    expect(of('node.retried')[0]?.error).toMatchObject({ name: 'TimeoutError', props: { timeoutMs: 20 } });
    expect(result.nodes.get('after')?.status).toBe('not-run');
  });

  it('does not time out a node that settles first', async () => {
    let signal: AbortSignal | undefined;
    const result = await runGraph(new Dag([node('quick', { timeoutMs: 60_000 })]), {
      name: 't',
      parallelism: 1,
      execute: (_n, ctx) => {
        signal = ctx.signal;
        return Promise.resolve({ value: 1 });
      },
    });
    expect(result.status).toBe('succeeded');
    expect(signal?.aborted).toBe(false);
  });
});

describe('runGraph: a listener that cancels the run', () => {
  it('leaves no back-off timer and starts no further attempt', async () => {
    vi.useFakeTimers();
    try {
      for (const retryDelayMs of [0, 600_000]) {
        const controller = new AbortController();
        const events = new EventStream();
        events.on('node.retried', () => controller.abort());
        let calls = 0;
        const result = await runGraph(new Dag([node('a', { retries: 3, retryDelayMs })]), {
          name: 't',
          parallelism: 1,
          events,
          signal: controller.signal,
          execute: () => (calls++, Promise.reject(new Error('no'))),
        });
        expect(result.status).toBe('cancelled');
        expect(calls).toBe(1);
        expect(vi.getTimerCount()).toBe(0);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not call execute when the run is cancelled from node.started', async () => {
    const controller = new AbortController();
    const events = new EventStream();
    events.on('node.started', () => controller.abort());
    let calls = 0;
    const result = await runGraph(new Dag([node('a'), node('b')]), {
      name: 't',
      parallelism: 2,
      events,
      signal: controller.signal,
      execute: () => (calls++, Promise.resolve({})),
    });
    expect(calls).toBe(0);
    expect(result.nodes.get('a')?.status).toBe('cancelled');
    expect(result.nodes.get('b')?.status).toBe('not-run');
  });
});
