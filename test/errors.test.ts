import { describe, expect, it } from 'vitest';
import { CancelledError, TimeoutError, deserializeError, serializeError } from '../src/errors.js';

describe('error serialization', () => {
  it('rebuilds weft errors by name so instanceof still works', () => {
    const original = new TimeoutError('step "a" ran longer than 10 ms', 10, { cause: new RangeError('inner') });
    const copy = deserializeError(structuredClone(serializeError(original)));
    expect(copy).toBeInstanceOf(TimeoutError);
    expect(copy.message).toBe(original.message);
    expect((copy as TimeoutError).timeoutMs).toBe(10);
    expect(copy.cause).toBeInstanceOf(RangeError);
  });

  it('keeps a user error name, stack and code', () => {
    class MyError extends Error {
      override name = 'MyError';
      code = 'E_MINE';
    }
    const copy = deserializeError(serializeError(new MyError('boom')));
    expect(copy.name).toBe('MyError');
    expect((copy as Error & { code: string }).code).toBe('E_MINE');
    expect(copy.stack).toContain('boom');
    expect(copy).not.toBeInstanceOf(CancelledError);
  });

  it('turns thrown non-errors into messages', () => {
    expect(serializeError('nope')).toEqual({ name: 'Error', message: 'nope' });
  });
});
