import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline/index.js';

describe('Pipeline.plan reuse', () => {
  const noop = (): number => 1;

  it('reuses the plan while the steps are unchanged, and rebuilds it after addStep', () => {
    const pipeline = new Pipeline('p');
    pipeline.addStep(noop, { name: 'a' });
    const first = pipeline.plan();
    expect(pipeline.plan().dag).toBe(first.dag);
    pipeline.addStep(noop, { name: 'b', after: ['a'] });
    const second = pipeline.plan();
    expect(second.dag).not.toBe(first.dag);
    expect(second.dag.nodes.map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('sees retry and timeout options changed after an earlier plan', () => {
    const pipeline = new Pipeline('p');
    const options: { name: string; retries?: number; timeoutMs?: number } = { name: 'a' };
    pipeline.addStep(noop, options);
    expect(pipeline.plan().dag.get('a').retries).toBeUndefined();
    options.retries = 2;
    options.timeoutMs = 50;
    const node = pipeline.plan().dag.get('a');
    expect(node.retries).toBe(2);
    expect(node.timeoutMs).toBe(50);
  });
});
