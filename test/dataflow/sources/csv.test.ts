import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSplits } from '../../../src/dataflow/sources/index.js';
import { readAll, tempDir } from './helpers.js';

describe('CSV source', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir({
      'quoted.csv': 'name,note\n"Smith, J.","said ""hi"""\nplain,"a,b"\n"",x\n',
      'multiline.csv': 'id,text\n1,"first\nsecond"\n2,"one\r\ntwo"\n3,plain\n',
      'typed.csv': 'n,flag,when,label,empty\n1.5,true,2024-01-02,a,\n-2,FALSE,2024-01-02T03:04:05.678Z,b,\n3e2,true,2024-01-02 03:04:05+02:00,,\n',
      'nulls.csv': 'a,b,c\n1,,x\n,true,\n3,false,z\n',
      'noheader.csv': '1,a\n2,b\n',
      'semicolon.csv': "x;y\n'1;2';3\n",
      'epoch.csv': 'id,ts\n1,1700000000000\n2,2023-11-14T22:13:20Z\n',
      'more/a.csv': 'k,v\n1,2\n',
      'more/b.csv': 'k,v\n3,4\n',
      'more/c.csv': 'k,w\n5,6\n',
    });
  });
  afterAll(() => tmp.cleanup());

  it('unquotes RFC 4180 fields: doubled quotes, delimiters inside quotes, empty quoted string', async () => {
    const { rows } = await readAll('csv', tmp.path('quoted.csv'));
    expect(rows).toEqual([
      { name: 'Smith, J.', note: 'said "hi"' },
      { name: 'plain', note: 'a,b' },
      { name: '', note: 'x' },
    ]);
  });

  it('reads newlines inside quotes with multiline, one split per file', async () => {
    const { rows, splits } = await readAll('csv', tmp.path('multiline.csv'), { multiline: true, splitSize: 4 });
    expect(splits).toHaveLength(1);
    expect(rows).toEqual([
      { id: 1, text: 'first\nsecond' },
      { id: 2, text: 'one\r\ntwo' },
      { id: 3, text: 'plain' },
    ]);
  });

  it('infers float64, bool, timestamp and string; empty columns are nullable strings', async () => {
    const { schema } = await planSplits('csv', tmp.path('typed.csv'), {}, 1);
    expect(schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['n', 'float64'],
      ['flag', 'bool'],
      ['when', 'timestamp'],
      ['label', 'string'],
      ['empty', 'string'],
    ]);
    const { rows } = await readAll('csv', tmp.path('typed.csv'));
    expect(rows).toEqual([
      { n: 1.5, flag: true, when: new Date(Date.UTC(2024, 0, 2)), label: 'a', empty: null },
      { n: -2, flag: false, when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), label: 'b', empty: null },
      { n: 300, flag: true, when: new Date(Date.UTC(2024, 0, 2, 1, 4, 5)), label: null, empty: null },
    ]);
  });

  it('empty fields are nulls in every column type', async () => {
    const { rows } = await readAll('csv', tmp.path('nulls.csv'));
    expect(rows).toEqual([
      { a: 1, b: null, c: 'x' },
      { a: null, b: true, c: null },
      { a: 3, b: false, c: 'z' },
    ]);
  });

  it('an explicit schema overrides inference (int32, string for numbers)', async () => {
    const { rows, splits } = await readAll('csv', tmp.path('typed.csv'), { schema: { n: 'string', label: 'string' } });
    expect(splits[0]!.schema!.fields.map((f) => f.type)).toEqual(['string', 'bool', 'timestamp', 'string', 'string']);
    expect((rows[0] as { n: unknown }).n).toBe('1.5');
    const ints = await readAll('csv', tmp.path('nulls.csv'), { schema: { a: 'int32' } });
    expect(ints.splits[0]!.schema!.fields[0]).toEqual({ name: 'a', type: 'int32', nullable: true });
    expect(ints.rows.map((r) => (r as { a: unknown }).a)).toEqual([1, null, 3]);
  });

  it('an explicit schema naming a column the header lacks is an error naming both', async () => {
    await expect(planSplits('csv', tmp.path('nulls.csv'), { schema: { nope: 'int32' } }, 1)).rejects.toThrow(/"nope".*"a", "b", "c"/);
  });

  it('an unknown column type in an explicit schema is an error listing the types, with the one meant', async () => {
    const plan = (schema: unknown, format: 'csv' | 'ndjson' = 'csv') => planSplits(format, tmp.path('nulls.csv'), { schema: schema as never }, 1);
    await expect(plan({ a: 'integr' })).rejects.toThrow(
      `Expected the type of column "a" in \`schema\` to be one of 'string', 'float64', 'int32', 'bool', 'timestamp', got string "integr". Did you mean 'int32'?`,
    );
    await expect(plan({ a: 'double' }, 'ndjson')).rejects.toThrow(/got string "double"\. Did you mean 'float64'\?/);
    await expect(plan({ a: 7 })).rejects.toThrow(/column "a" .* got number 7\.$/);
    await expect(plan(['a'])).rejects.toThrow(/Expected `schema` to be 'infer' or an object of column types/);
  });

  it('without a header, fields are c0, c1… or named by the explicit schema', async () => {
    expect((await readAll('csv', tmp.path('noheader.csv'), { header: false })).rows).toEqual([
      { c0: 1, c1: 'a' },
      { c0: 2, c1: 'b' },
    ]);
    expect((await readAll('csv', tmp.path('noheader.csv'), { header: false, schema: { id: 'int32', name: 'string' } })).rows).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
  });

  it('honours a custom delimiter and quote', async () => {
    const { rows } = await readAll('csv', tmp.path('semicolon.csv'), { delimiter: ';', quote: "'" });
    expect(rows).toEqual([{ x: '1;2', y: 3 }]);
  });

  it('timestamps accept epoch milliseconds and ISO text in one column', async () => {
    const { rows } = await readAll('csv', tmp.path('epoch.csv'), { schema: { ts: 'timestamp' } });
    expect(rows).toEqual([
      { id: 1, ts: new Date(1_700_000_000_000) },
      { id: 2, ts: new Date(1_700_000_000_000) },
    ]);
  });

  it('strings are dictionary-encoded per batch', async () => {
    const { splits } = await planSplits('csv', tmp.path('more/a.csv'), {}, 1);
    expect(splits[0]!.schema!.fields.map((f) => f.type)).toEqual(['float64', 'float64']);
    const { rows } = await readAll('csv', tmp.path('quoted.csv'), { batchRows: 2 });
    expect(rows).toHaveLength(3);
  });

  it('reads several files with the same header, and rejects a file whose header differs', async () => {
    expect((await readAll('csv', [tmp.path('more/a.csv'), tmp.path('more/b.csv')])).rows).toEqual([
      { k: 1, v: 2 },
      { k: 3, v: 4 },
    ]);
    await expect(readAll('csv', tmp.path('more/*.csv'))).rejects.toThrow(/header of .*c\.csv.*\(k, v\), found k, w/);
  });

  it('rejects bad dialect options with the value and a fix', async () => {
    await expect(planSplits('csv', tmp.path('quoted.csv'), { delimiter: ';;' }, 1)).rejects.toThrow(/`delimiter` to be one ASCII character.*";;"/);
    await expect(planSplits('csv', tmp.path('quoted.csv'), { onError: 'quarantine' }, 1)).rejects.toThrow(/quarantinePath/);
  });
});
