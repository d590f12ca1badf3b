/**
 * Reads one text split as value batches whose rows are the lines themselves (strings, without
 * `\n` or `\r\n`), so `readText(...).flatMap((line) => line.split(' '))` sees strings. Empty lines
 * are rows too: a text source keeps every line of its files.
 */
import { valueBatch, type Batch } from '../batch/batch.js';
import { ByteWindow, CHUNK_SIZE } from './byte-window.js';
import { DEFAULT_TEXT_BATCH_ROWS, type FileSplit, type SplitStats } from './options.js';

/** Reads the lines that start in the split's byte range. */
export async function* readTextSplit(split: FileSplit, stats: SplitStats, signal?: AbortSignal): AsyncGenerator<Batch> {
  const batchRows = split.options.batchRows ?? DEFAULT_TEXT_BATCH_ROWS;
  const window = await ByteWindow.open(split.path, split.start, signal, CHUNK_SIZE, true);
  let lines: string[] = [];
  try {
    for (;;) {
      const { buf, limit } = window;
      let pos = window.pos;
      while (pos < limit && window.base + pos < split.end) {
        let nl = buf.indexOf(10, pos);
        if (nl >= limit) nl = -1;
        if (nl < 0 && !window.eof) break;
        const lineEnd = nl < 0 ? limit : nl;
        const end = lineEnd > pos && buf[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd;
        lines.push(buf.toString('utf8', pos, end));
        pos = nl < 0 ? limit : nl + 1;
        if (lines.length >= batchRows) {
          window.pos = pos;
          stats.rows += lines.length;
          yield valueBatch(lines);
          lines = [];
        }
      }
      window.pos = pos;
      if (window.base + pos >= split.end || (pos >= limit && window.eof)) break;
      if (!(await window.fill()) && window.pos >= window.limit) break;
    }
    if (lines.length > 0) {
      stats.rows += lines.length;
      yield valueBatch(lines);
    }
  } finally {
    await window.close();
  }
}
