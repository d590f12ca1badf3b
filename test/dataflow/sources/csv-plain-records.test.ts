import { describe, expect, it } from 'vitest';
import { rowsOf, type Schema } from '../../../src/dataflow/batch/index.js';
import { CsvRecordScanner } from '../../../src/dataflow/sources/csv-record-scanner.js';
import { CsvRowConverter } from '../../../src/dataflow/sources/csv-row-converter.js';

/** Seeded generator, so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCHEMA: Schema = {
  fields: [
    { name: 'n', type: 'float64', nullable: true },
    { name: 's', type: 'string', nullable: true },
    { name: 'b', type: 'bool', nullable: true },
    { name: 't', type: 'timestamp', nullable: true },
    { name: 'i', type: 'int32', nullable: true },
  ],
};

const VALUES = [
  ['1', '-2', '+3', '4.5', '-0', '0.000', '.5', '5.', '1e3', '12345678901234567', '', '-', 'x', '007', '"7"', '1 '],
  ['a', 'bb', '', '"q,uoted"', '"es""c"', 'ü', 'k1', 'with space', 'tail\r'],
  ['true', 'FALSE', '', 'yes'],
  [
    '2024-01-01T00:00:00',
    '2024-02-30',
    '1700000000000',
    '',
    '2024-01-01 10:20',
    'bad',
    // 19 bytes like the one-pass timestamp form: valid ones, and every way to miss it.
    '2024-02-29 23:59:59',
    '1999-12-31T12:34:56',
    '2023-02-29T00:00:00',
    '2024-13-01T00:00:00',
    '2024-01-01T24:00:00',
    '2024-01-01T23:60:00',
    '2024-01-01T23:59:60',
    '2024-01-01X00:00:00',
    '2024/01/01T00:00:00',
    '2024-0a-01T00:00:00',
    '2024-01-01T00:00:0Z',
    '2024-01-01T00:00:00Z',
    '2024-01-01T00:00:00.5',
  ],
  ['1', '-3', '2.5', '', '99999999999'],
];

/** Random CSV lines: mostly good, some blank, some with a field too few or too many, LF or CRLF. */
function randomText(random: () => number): string {
  const lines: string[] = [];
  for (let r = 0; r < 200; r++) {
    const x = random();
    if (x < 0.03) lines.push('');
    else {
      const fields = VALUES.map((options) => options[Math.floor(random() * options.length)]!);
      if (x < 0.06) fields.pop();
      else if (x < 0.09) fields.push('extra');
      lines.push(fields.join(','));
    }
  }
  const eol = random() < 0.3 ? '\r\n' : '\n';
  return lines.join(eol) + eol;
}

/** Converts every record of `text`, with or without the one-pass path; rows, then `line: problem` per bad record. */
function convert(text: string, plain: boolean, batchRows: number): unknown[] {
  const buf = Buffer.from(text, 'utf8');
  const scanner = new CsvRecordScanner({ delimiter: 44, quote: 34, multiline: false });
  const rows = new CsvRowConverter(SCHEMA, batchRows, '"');
  const out: unknown[] = [];
  let line = 0;
  for (let pos = 0; pos < buf.length; ) {
    if (rows.length >= batchRows) out.push(...rowsOf(rows.finish()));
    if (plain) {
      const before = rows.length;
      const next = rows.addPlain(buf, pos, buf.length, buf.length, batchRows);
      if (next !== pos) {
        line += rows.length - before;
        pos = next;
        continue;
      }
    }
    const next = scanner.scan(buf, pos, buf.length, true);
    if (!scanner.blank) {
      const problem = scanner.error ?? rows.add(buf, scanner);
      if (problem !== undefined) out.push(`${line}: ${problem}`);
    }
    line += scanner.newlines;
    pos = next;
  }
  out.push(...rowsOf(rows.finish()));
  return out;
}

describe('one-pass conversion of plain CSV records', () => {
  it('gives exactly the rows and the errors of the scanner path (random records, nulls, CRLF, bad values)', () => {
    const random = prng(7);
    for (let round = 0; round < 40; round++) {
      const text = randomText(random);
      const batchRows = 1 + Math.floor(random() * 50);
      const scanned = convert(text, false, batchRows);
      const plain = convert(text, true, batchRows);
      expect(plain).toEqual(scanned);
      expect(plain.filter((r) => typeof r !== 'string').length).toBeGreaterThan(0);
    }
  });

  it('reads a timestamp field by its delimiter when the delimiter is a byte of the one-pass timestamp form', () => {
    const byName = (name: string): Schema['fields'][number] => SCHEMA.fields.find((f) => f.name === name)!;
    const fields = [byName('t'), byName('s'), byName('n')];
    const text = '2024-01-01 10:00:00 7\n2024-01-01 10:00:00 7 8\n';
    const buf = Buffer.from(text);
    const rows = new CsvRowConverter({ fields }, 10, '"', ' ');
    const scanner = new CsvRecordScanner({ delimiter: 32, quote: 34, multiline: false });
    expect(rows.addPlain(buf, 0, buf.length, buf.length, 10)).toBe(text.indexOf('\n') + 1);
    const next = scanner.scan(buf, text.indexOf('\n') + 1, buf.length, true);
    expect(next).toBe(buf.length);
    expect(rows.add(buf, scanner)).toMatch(/expected 3 fields/);
    expect(rowsOf(rows.finish())).toEqual([{ t: new Date(Date.UTC(2024, 0, 1)), s: '10:00:00', n: 7 }]);
  });

  it('stops at a record that does not end before the buffer does, and before the split end', () => {
    const text = '1,a,true,2024-01-01,1\n2,b,false,2024-01-02,2\n3,c';
    const buf = Buffer.from(text);
    const rows = new CsvRowConverter(SCHEMA, 100, '"');
    const first = rows.addPlain(buf, 0, buf.length, buf.length, 100);
    expect(rows.length).toBe(2);
    expect(buf.subarray(first).toString()).toBe('3,c');
    const again = new CsvRowConverter(SCHEMA, 100, '"');
    expect(again.addPlain(buf, 0, buf.length, 5, 100)).toBe(text.indexOf('\n') + 1);
    expect(again.length).toBe(1);
  });
});
