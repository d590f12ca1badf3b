import { describe, expect, it } from 'vitest';
import { Pipeline, step } from '../../src/index.js';

const load = step('types_load', () => [1, 2, 3]);
const train = step('types_train', ({ rows, epochs }: { rows: string[]; epochs: number }) => rows.length * epochs);
const sum = step('types_sum', ({ values }: { values: number[] }) => values.reduce((a, b) => a + b, 0));

describe('typed wiring', () => {
  it('accepts a handle whose output type fits the argument', () => {
    const p = new Pipeline('types');
    const loaded = p.addStep(load);
    p.addStep(sum, { inputs: { values: loaded } });
    expect(p.steps.map((s) => s.name)).toEqual(['types_load', 'types_sum']);
  });

  it('makes a miswired input a compile error', () => {
    const p = new Pipeline('types_bad');
    const loaded = p.addStep(load);
    // @ts-expect-error — `rows` takes string[], but types_load produces number[]
    p.addStep(train, { inputs: { rows: loaded }, params: { epochs: 1 } });
    // @ts-expect-error — `epochs` must be a number
    p.addStep(train, { name: 't2', params: { epochs: 'three' } });
    // @ts-expect-error — types_train has no argument `nope`
    p.addStep(train, { name: 't3', inputs: ['nope'] });
    expect(p.steps).toHaveLength(4);
  });
});
