import { describe, expect, it } from 'vitest';
import { ByteInterner } from '../../../src/dataflow/sources/byte-interner.js';

describe('the byte interner', () => {
  it('gives equal bytes one entry and different bytes different entries, short and long, across table growth', () => {
    const interner = new ByteInterner();
    // Byte strings that differ only by trailing zero bytes, by length around the packed limit, or by one byte.
    const texts = ['', '\0', 'a', 'a\0', 'a\0\0', '\0a', 'abcdefg', 'abcdefg\0', 'abcdefgh', 'abcdefgi', 'abcdefghijk', 'abcdefghijk\0', 'abcdefghijkl', 'abcdefghij\0', '\u00e9', '\u{1f600}x'];
    for (let i = 0; i < 5000; i++) texts.push(`w${i}`, `long-word-${i}`);
    const entries = new Map<string, number>();
    for (const round of [0, 1]) {
      for (const text of texts) {
        const bytes = Buffer.concat([Buffer.from('xx'), Buffer.from(text), Buffer.from('yy')]);
        const entry = interner.intern(bytes, 2, bytes.length - 2);
        if (round === 0 && !entries.has(text)) entries.set(text, entry);
        expect(entry).toBe(entries.get(text));
        expect(interner.text(entry)).toBe(text);
      }
    }
    expect(new Set(entries.values()).size).toBe(entries.size);
    expect(interner.size).toBe(entries.size);
  });
});
