import { describe, expect, it } from 'vitest';
import { CapturedVariableError, UnsupportedFunctionError } from '../../src/runtime/errors.js';
import { checkSelfContained, toFunctionRef } from '../../src/runtime/lambda-check.js';
import { compileSource } from '../../src/runtime/function-resolver.js';
import { double } from '../fixtures/runtime/steps.js';

/** Builds functions whose source strict TypeScript cannot express (what other transpilers emit). */
function compile(...args: string[]): (...params: unknown[]) => unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the test needs exact function source
  return new Function(...args) as (...params: unknown[]) => unknown;
}

describe('lambda static check', () => {
  it('accepts self-contained lambdas and recompiles them to the same behaviour', () => {
    const source = checkSelfContained((xs: number[]) => xs.map((x) => Math.round(x * 2)).filter(Boolean), 'l');
    const fn = compileSource(source, 'test-1', 'l') as unknown as (xs: number[]) => number[];
    expect(fn([0, 1.2, 3])).toEqual([2, 6]);
  });

  it('accepts method shorthand, named recursion and the tsx keepNames helper', () => {
    const object = {
      twice(this: void, x: number): number {
        return x * 2;
      },
    };
    const method = compileSource(checkSelfContained(object.twice, 'm'), 'test-2', 'm') as unknown as (x: number) => number;
    expect(method(4)).toBe(8);
    const fact = function f(n: number): number {
      return n <= 1 ? 1 : n * f(n - 1);
    };
    expect((compileSource(checkSelfContained(fact, 'f'), 'test-3', 'f') as unknown as (n: number) => number)(5)).toBe(120);
    // What tsx (esbuild keepNames) produces for a named inner function.
    const fromTsx = compile('__name', 'return (x) => { const g = __name(function inner() { return 1; }, "inner"); return x + g(); }')(
      (f: unknown) => f,
    ) as (...args: never[]) => unknown;
    expect(() => checkSelfContained(fromTsx, 'tsx')).not.toThrow();
  });

  it('names every captured variable with its line and the fix', () => {
    const threshold = 3;
    const factor = 2;
    const fn = (x: number): boolean => {
      const scaled = x * factor;
      return scaled > threshold;
    };
    const error = (() => {
      try {
        checkSelfContained(fn, 'step "filter"');
      } catch (e) {
        return e as CapturedVariableError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CapturedVariableError);
    expect(error?.variables).toBe('factor, threshold');
    expect(error?.message).toMatch(/step "filter".*`factor` \(line 2 of the function\).*`threshold` \(line 3/s);
    expect(error?.message).toContain("step('id', fn)");
  });

  it('suggests step params for a pipeline step and `with` for parallelMap', () => {
    const threshold = 3;
    const fn = (x: number): boolean => x > threshold;
    expect(() => checkSelfContained(fn, 'step "filter"')).toThrow(/addStep\(fn, \{ params: \{ threshold \} \}\).*\(\{ threshold \}\) => ….*step\('id', fn\)/s);
    expect(() => checkSelfContained(fn, 'step "filter"')).not.toThrow(/ctx\.with/);
    expect(() => checkSelfContained(fn, 'parallelMap(filter)')).toThrow(/parallelMap\(fn, items, \{ with: \{ threshold \} \}\).*ctx\.with\.threshold/s);
  });

  it('rejects reads of non-standard globals through the global object, naming them', () => {
    const cases: Array<[string, string]> = [
      ['return (x) => x + globalThis.secret', 'globalThis.secret'],
      ['return (x) => x + global.secret', 'global.secret'],
      ['return (x) => x + self.secret', 'self.secret'],
      ['return (x) => x + globalThis["secret"]', 'globalThis["secret"]'],
      ['return (x, k) => x + globalThis[k]', 'globalThis[…]'],
      ['return (x) => { const g = globalThis; return g.secret + x; }', 'globalThis'],
      ['return (x) => self.Math.max(x, 1)', 'self.Math'],
    ];
    for (const [body, name] of cases) {
      const error = (() => {
        try {
          checkSelfContained(compile(body)() as (...args: never[]) => unknown, 'parallelMap(add)');
        } catch (e) {
          return e as CapturedVariableError;
        }
        return undefined;
      })();
      expect(error, body).toBeInstanceOf(CapturedVariableError);
      expect(error?.variables, body).toBe(name);
      expect(error?.message, body).toContain(`\`${name}\` (line 1 of the function)`);
    }
    expect(() => checkSelfContained(compile('return (x) => x + globalThis.secret')() as (...args: never[]) => unknown, 'parallelMap(add)')).toThrow(
      /\{ with: \{ secret \} \}.*ctx\.with\.secret/s,
    );
  });

  it('accepts standard globals read through the global object', () => {
    for (const body of ['return (x) => globalThis.Math.max(x, 1)', 'return (x) => global.JSON.stringify(x)', 'return (x) => globalThis["Number"](x)']) {
      expect(() => checkSelfContained(compile(body)() as (...args: never[]) => unknown, 'l'), body).not.toThrow();
    }
  });

  it('rejects classes, bound and native functions, this and arguments', () => {
    class Thing {}
    expect(() => checkSelfContained(Thing as never, 'c')).toThrow(UnsupportedFunctionError);
    expect(() => checkSelfContained(Math.max, 'n')).toThrow(/native or bound/);
    expect(() => checkSelfContained(((x: number) => x).bind(null), 'b')).toThrow(/native or bound/);
    expect(() =>
      checkSelfContained(function (this: { n: number }) {
        return this.n;
      }, 't'),
    ).toThrow(/`this`/);
    const arrow = compile('return () => arguments[0]')() as (...args: never[]) => unknown;
    expect(() => checkSelfContained(arrow, 'a')).toThrow(/`arguments`/);
  });

  it('returns module refs for registered functions, local refs on async, and caches source refs', () => {
    expect(toFunctionRef(double, 'd', 'thread')).toMatchObject({ kind: 'module', id: 'double' });
    const lambda = (x: number): number => x + 1;
    expect(toFunctionRef(lambda, 'l', 'async').kind).toBe('local');
    expect(toFunctionRef(lambda, 'l', 'thread')).toBe(toFunctionRef(lambda, 'l', 'process'));
  });
});
