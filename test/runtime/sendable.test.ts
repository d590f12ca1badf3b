import { describe, expect, it } from 'vitest';
import { UnsendableValueError } from '../../src/runtime/errors.js';
import { DuplicateFunctionError } from '../../src/runtime/errors.js';
import { registerModuleFunction } from '../../src/runtime/registry.js';
import { assertSendable } from '../../src/runtime/sendable.js';
import { collectTransferables } from '../../src/runtime/transfer.js';

const at = { label: 'step "load"', path: 'params' };

describe('assertSendable', () => {
  it('accepts everything structured clone keeps, including cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const value = {
      cyclic,
      list: [1, 'two', null, undefined, 3n],
      when: new Date(0),
      re: /x/g,
      map: new Map([['k', new Set([1])]]),
      bytes: new Uint8Array(4),
      view: new DataView(new ArrayBuffer(2)),
      error: new TypeError('t'),
      boxed: Object(1) as unknown,
      bare: Object.create(null) as unknown,
    };
    expect(() => assertSendable(value, at)).not.toThrow();
    expect(() => assertSendable(42, at)).not.toThrow();
  });

  it('names the path of functions, symbols, weak collections, promises and class instances', () => {
    class Client {}
    const cases: Array<[unknown, RegExp]> = [
      [{ client: new Client() }, /`params\.client`.*instance of Client.*without its methods/],
      [{ list: [1, () => 2] }, /`params\.list\[1\]`.*function/],
      [{ s: Symbol('x') }, /`params\.s`.*symbol/],
      [{ w: new WeakMap() }, /`params\.w`.*WeakMap/],
      [{ p: Promise.resolve(1) }, /`params\.p`.*Promise/],
      [{ m: new Map([['key', new Client()]]) }, /`params\.m\.get\("key"\)`/],
      [{ 'odd key': new Client() }, /`params\["odd key"\]`/],
    ];
    for (const [value, message] of cases) {
      expect(() => assertSendable(value, at)).toThrow(UnsendableValueError);
      expect(() => assertSendable(value, at)).toThrow(message);
    }
  });
});

describe('collectTransferables', () => {
  it('lists each ArrayBuffer once and skips shared buffers', () => {
    const buf = new ArrayBuffer(8);
    const found = collectTransferables({ a: buf, b: new Uint8Array(buf), c: [new Float64Array(2)], d: new SharedArrayBuffer(8) });
    expect(found.size).toBe(2);
    expect(found.has(buf)).toBe(true);
  });
});

describe('registerModuleFunction', () => {
  it('rejects a second function under the same id in one module, naming both', () => {
    function first(): number {
      return 1;
    }
    function second(): number {
      return 2;
    }
    registerModuleFunction('dup-test', first);
    expect(() => registerModuleFunction('dup-test', first)).not.toThrow();
    expect(() => registerModuleFunction('dup-test', second)).toThrow(DuplicateFunctionError);
    expect(() => registerModuleFunction('dup-test', second)).toThrow(/function first.*function second/);
  });
});
