import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/errors.js';
import { Dag, runGraph } from '../../src/graph/index.js';

/** a → b → c, and d alone. */
const dag = new Dag([
  { id: 'a', deps: [], data: 1 },
  { id: 'b', deps: ['a'], data: 2 },
  { id: 'c', deps: ['b'], data: 3 },
  { id: 'd', deps: [], data: 4 },
]);

describe('execute settling through ctx.succeed / ctx.fail', () => {
  it('runs the graph in dependency order when execute returns nothing and settles later', async () => {
    const order: string[] = [];
    const result = await runGraph(dag, {
      name: 'g',
      parallelism: 2,
      execute: (node, ctx) => {
        order.push(node.id);
        setTimeout(() => ctx.succeed({ value: node.data * 10 }), 1);
        return undefined;
      },
    });
    expect(result.status).toBe('succeeded');
    expect(order.indexOf('a')).toBeLessThan(order.indexOf('b'));
    expect(order.indexOf('b')).toBeLessThan(order.indexOf('c'));
    expect([...result.nodes.values()].map((n) => n.value)).toEqual([10, 20, 30, 40]);
  });

  it('a settlement inside execute is taken after execute returned, and only the first counts', async () => {
    const events: string[] = [];
    const result = await runGraph(dag, {
      name: 'g',
      parallelism: 1,
      failurePolicy: 'keep-going',
      execute: (node, ctx) => {
        events.push(`start ${node.id}`);
        if (node.id === 'b') ctx.fail(new Error('b broke'));
        else ctx.succeed({ value: node.id });
        ctx.succeed({ value: 'late' });
        events.push(`returned ${node.id}`);
        return undefined;
      },
    });
    expect(events.slice(0, 4)).toEqual(['start a', 'returned a', 'start b', 'returned b']);
    expect(result.nodes.get('a')).toMatchObject({ status: 'succeeded', value: 'a' });
    expect(result.nodes.get('b')).toMatchObject({ status: 'failed' });
    expect(result.nodes.get('b')?.error?.message).toBe('b broke');
    expect(result.nodes.get('c')).toMatchObject({ status: 'skipped' });
    expect(result.nodes.get('d')).toMatchObject({ status: 'succeeded', value: 'd' });
  });

  it('a node that never settles times out, and its late succeed is ignored', async () => {
    let late: (() => void) | undefined;
    const single = new Dag([{ id: 'slow', deps: [], data: 0, timeoutMs: 10 }]);
    const result = await runGraph(single, {
      name: 'g',
      parallelism: 1,
      execute: (_node, ctx) => {
        late = () => ctx.succeed({ value: 'too late' });
        return undefined;
      },
    });
    late?.();
    expect(result.status).toBe('failed');
    expect(result.nodes.get('slow')?.error).toBeInstanceOf(TimeoutError);
    expect(result.nodes.get('slow')?.value).toBeUndefined();
  });
});
