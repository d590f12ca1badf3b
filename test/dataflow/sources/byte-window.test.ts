import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteWindow } from '../../../src/dataflow/sources/byte-window.js';
import { tempDir } from './helpers.js';

/** Lines of varied length, some longer than the smallest chunk. */
const TEXT = Array.from({ length: 200 }, (_, i) => `${i}:${'x'.repeat((i * 7) % 40)}`).join('\n') + '\nlast line without newline';

/** Every line the window yields from `start` on, with its file offset, consuming as a reader does (line by line, refilling on a partial line). */
async function linesFrom(path: string, start: number, chunkSize: number, readAhead: boolean): Promise<Array<[number, string]>> {
  const window = await ByteWindow.open(path, start, undefined, chunkSize, readAhead);
  const out: Array<[number, string]> = [];
  try {
    for (;;) {
      const nl = window.buf.indexOf(10, window.pos);
      if (nl >= 0 && nl < window.limit) {
        out.push([window.offset, window.buf.toString('utf8', window.pos, nl)]);
        window.pos = nl + 1;
        continue;
      }
      if (!(await window.fill())) break;
    }
    if (window.pos < window.limit) out.push([window.offset, window.buf.toString('utf8', window.pos, window.limit)]);
  } finally {
    await window.close();
  }
  return out;
}

describe('ByteWindow', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir({ 'lines.txt': TEXT, 'empty.txt': '' });
  });
  afterAll(() => tmp.cleanup());

  it('gives the same lines at the same offsets with and without read-ahead, for any chunk size and start', async () => {
    const lines = TEXT.split('\n');
    for (const chunkSize of [5, 16, 64, 1 << 20]) {
      for (const start of [0, 1, 37, 500, TEXT.length - 3]) {
        const plain = await linesFrom(tmp.path('lines.txt'), start, chunkSize, false);
        const ahead = await linesFrom(tmp.path('lines.txt'), start, chunkSize, true);
        expect(ahead).toEqual(plain);
        for (const [offset, line] of ahead) expect(TEXT.slice(offset, offset + line.length)).toBe(line);
        if (start === 0) expect(ahead.map(([, line]) => line)).toEqual(lines);
      }
    }
    expect(await linesFrom(tmp.path('empty.txt'), 0, 8, true)).toEqual([]);
  });
});
