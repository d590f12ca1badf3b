import { describe, expect, it } from 'vitest';
import { Pipeline, preflight } from '../../src/pipeline/index.js';
import { UnsendableValueError } from '../../src/runtime/index.js';

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

describe('preflight reuse', () => {
  const target = { backend: 'thread', pools: ['default'] } as const;

  it('prepares the steps once per plan and backend, and again after addStep or a changed step backend', () => {
    const pipeline = new Pipeline('p');
    const options: { name: string; backend?: 'async' } = { name: 'a' };
    pipeline.addStep((): number => 1, options);
    const first = preflight(pipeline, target);
    expect(preflight(pipeline, target)).toBe(first);
    expect(preflight(pipeline, { ...target, backend: 'async' })).not.toBe(first);
    options.backend = 'async';
    const changed = preflight(pipeline, target);
    expect(changed).not.toBe(first);
    expect(changed.list[0]!.backend).toBe('async');
    pipeline.addStep((x: { a: number }): number => x.a, { name: 'b', inputs: ['a'] });
    const grown = preflight(pipeline, target);
    expect(grown.list.map((p) => p.step.name)).toEqual(['a', 'b']);
    expect(grown.list[0]!.consumers).toBe(1);
    expect(grown.list[1]!.inputs.map((i) => [i.arg, i.output, i.producer.step.name])).toEqual([['a', 'a', 'a']]);
  });

  it('checks params again on every run: a value made unsendable after an earlier run is refused', () => {
    const pipeline = new Pipeline('p');
    const config: Record<string, unknown> = { threshold: 1 };
    pipeline.addStep((_: { config: unknown }): number => 1, { name: 'a', params: { config } });
    preflight(pipeline, target);
    config.callback = (): void => {};
    expect(() => preflight(pipeline, target)).toThrow(UnsendableValueError);
  });
});
