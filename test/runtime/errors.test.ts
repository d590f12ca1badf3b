// Runtime errors that mean bad input are UsageErrors (the CLI exits 2), and keep their identity across a worker boundary.
import { describe, expect, it } from 'vitest';
import { UsageError, deserializeError, serializeError } from '../../src/errors.js';
import { CapturedVariableError, FunctionNotFoundError, UnsendableValueError, UnsupportedFunctionError, WorkerCrashedError } from '../../src/runtime/errors.js';

describe('runtime error classes', () => {
  const badInput = [
    { error: new CapturedVariableError('step "score"', [{ name: 'threshold', line: 2 }]), name: 'CapturedVariableError', code: 'WEFT_CAPTURED_VARIABLE', prop: ['variables', 'threshold'] },
    { error: new UnsupportedFunctionError('step "x"', 'it is a class'), name: 'UnsupportedFunctionError', code: 'WEFT_UNSUPPORTED_FUNCTION', prop: ['label', 'step "x"'] },
    { error: new UnsendableValueError('step "x"', 'input.client', 'a class instance', 'Pass plain data.'), name: 'UnsendableValueError', code: 'WEFT_UNSENDABLE', prop: ['path', 'input.client'] },
    { error: new FunctionNotFoundError('late', 'file:///m.ts'), name: 'FunctionNotFoundError', code: 'WEFT_FUNCTION_NOT_FOUND', prop: ['id', 'late'] },
  ] as const;

  it.each(badInput)('$name is a UsageError with its own name, code and props, also after crossing a worker boundary', ({ error, name, code, prop }) => {
    for (const e of [error, deserializeError(serializeError(error))]) {
      expect(e).toBeInstanceOf(UsageError);
      expect(e.name).toBe(name);
      expect((e as UsageError).code).toBe(code);
      expect((e as unknown as Record<string, unknown>)[prop[0]]).toBe(prop[1]);
    }
  });

  it('keeps a worker crash a runtime failure, not bad input', () => {
    expect(new WorkerCrashedError('step "a"', 0, 3, 'exited with code 3')).not.toBeInstanceOf(UsageError);
  });
});
