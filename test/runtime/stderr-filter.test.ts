// A process worker's ordinary stderr reaches the user; V8's fatal out-of-memory report does not.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FatalReportFilter } from '../../src/runtime/stderr-filter.js';
import { createBackend } from '../../src/runtime/create-backend.js';
import { WorkerCrashedError } from '../../src/runtime/errors.js';
import { stepRef } from '../fixtures/runtime/ref.js';

const V8_REPORT = [
  '',
  '<--- Last few GCs --->',
  '',
  '[26974:0x20ae05a0]      113 ms: Scavenge 26.2 (30.4) -> 26.2 (34.4) MB, allocation failure;',
  '',
  '<--- JS stacktrace --->',
  '',
  'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
  '----- Native stack trace -----',
  ' 1: 0xb78db3 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]',
  '',
].join('\n');

function filtered(chunks: string[]): { out: string; held: string } {
  let out = '';
  const filter = new FatalReportFilter((text) => (out += text));
  for (const chunk of chunks) filter.push(chunk);
  filter.end();
  return { out, held: filter.heldBack };
}

describe('FatalReportFilter', () => {
  it('passes ordinary output through unchanged, blank lines and a last unterminated line included', () => {
    const text = 'warning: slow disk\n\n  indented\nno newline at the end';
    expect(filtered([text]).out).toBe(text);
    expect(filtered(text.split('')).out).toBe(text);
  });

  it('holds back the fatal report, whatever the chunking, and keeps what came before', () => {
    const text = `step says hi\n${V8_REPORT}`;
    for (const size of [1, 7, 64, text.length]) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
      const { out, held } = filtered(chunks);
      expect(out, `chunks of ${size}`).toBe('step says hi\n');
      expect(held).toContain('FATAL ERROR: Reached heap limit');
    }
  });

  it('writes a partial line at once when it cannot open the report', () => {
    let out = '';
    const filter = new FatalReportFilter((text) => (out += text));
    filter.push('progress 10%');
    expect(out).toBe('progress 10%');
    filter.push(' … FATAL ERROR: not at a line start\n');
    expect(out).toBe('progress 10% … FATAL ERROR: not at a line start\n');
  });
});

describe('process backend stderr', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('forwards ordinary output and holds back the out-of-memory report, summarised in the crash reason', async () => {
    let written = '';
    const original = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    });
    const backend = createBackend('process', { slots: 1, maxOldGenerationSizeMb: 32 });
    try {
      const signal = new AbortController().signal;
      await backend.run({ fn: stepRef('printToStderr'), mode: 'call', input: 'an ordinary line', label: 'step "print"' }, { slot: 0, taskId: 1, signal });
      const error = (await backend.run({ fn: stepRef('eatMemory'), mode: 'call', input: null, label: 'step "hog"' }, { slot: 0, taskId: 2, signal }).catch(
        (e: unknown) => e,
      )) as WorkerCrashedError;
      expect(error).toBeInstanceOf(WorkerCrashedError);
      expect(error.reason).toBe('ran out of memory (--max-old-space-size=32)');
    } finally {
      await backend.close();
    }
    expect(written).toContain('an ordinary line\n');
    expect(written).not.toMatch(/Last few GCs|JS stacktrace|FATAL ERROR|Native stack trace/);
  });
});
