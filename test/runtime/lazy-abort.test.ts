import { describe, expect, it } from 'vitest';
import { LazyAbortController, abortSourceOf } from '../../src/runtime/lazy-abort.js';

describe('LazyAbortController', () => {
  it('gives a signal already aborted with the first reason when the abort came before it was read', () => {
    const controller = new LazyAbortController();
    const first = new Error('first');
    controller.abort(first);
    controller.abort(new Error('second'));
    expect(controller.aborted).toBe(true);
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBe(first);
  });

  it('calls function and handleEvent listeners once, in the order added, then the signal listeners', () => {
    const controller = new LazyAbortController();
    const calls: string[] = [];
    controller.signal.addEventListener('abort', () => calls.push('signal'));
    controller.addAbortListener(() => calls.push('fn'));
    controller.addAbortListener({ handleEvent: () => calls.push('object') });
    const removed = (): number => calls.push('removed');
    controller.addAbortListener(removed);
    controller.removeAbortListener(removed);
    controller.abort('why');
    controller.abort('again');
    expect(calls).toEqual(['fn', 'object', 'signal']);
    expect(controller.reason).toBe('why');
  });

  it('never calls a listener added after the abort', () => {
    const controller = new LazyAbortController();
    controller.abort('done');
    let called = false;
    controller.addAbortListener(() => (called = true));
    expect(called).toBe(false);
  });
});

describe('abortSourceOf', () => {
  it('sees a plain AbortSignal through the AbortSource interface', () => {
    const controller = new AbortController();
    const source = abortSourceOf(controller.signal);
    let calls = 0;
    const listener = { handleEvent: () => calls++ };
    source.addAbortListener(listener);
    expect(source.aborted).toBe(false);
    controller.abort('stop');
    expect(calls).toBe(1);
    expect(source.aborted).toBe(true);
    expect(source.reason).toBe('stop');
    expect(source.signal).toBe(controller.signal);
  });

  it('returns an AbortSource unchanged', () => {
    const lazy = new LazyAbortController();
    expect(abortSourceOf(lazy)).toBe(lazy);
  });
});
