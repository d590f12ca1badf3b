import { describe, expect, it } from 'vitest';
import { EventStream } from '../../src/index.js';
import { formatDuration, showProgress } from '../../src/cli/progress.js';

function sink(isTTY: boolean): { text: () => string; write: (s: string) => void; isTTY: boolean; columns: number } {
  let out = '';
  return { text: () => out, write: (s: string) => void (out += s), isTTY, columns: 100 };
}

function drive(events: EventStream): void {
  const t = Date.now();
  events.emit({ type: 'run.started', runId: 'r1', name: 'demo', time: t, nodes: 2 });
  events.emit({ type: 'node.started', runId: 'r1', node: 'a', time: t, attempt: 1, backend: 'thread', slot: 0 });
  events.emit({ type: 'node.started', runId: 'r1', node: 'b', time: t, attempt: 1, backend: 'thread', slot: 1 });
  events.emit({ type: 'node.succeeded', runId: 'r1', node: 'a', time: t + 5, attempt: 1, durationMs: 5 });
  events.emit({ type: 'node.failed', runId: 'r1', node: 'b', time: t + 7, attempt: 1, durationMs: 7, error: { name: 'Error', message: 'bad row' } });
  events.emit({ type: 'run.failed', runId: 'r1', name: 'demo', time: t + 8 });
}

describe('progress', () => {
  it('prints one timestamped line per event when not on a terminal', () => {
    const events = new EventStream();
    const out = sink(false);
    const stop = showProgress(events, out);
    drive(events);
    stop();
    const lines = out.text().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT.*Z run demo started \(2 steps/);
    expect(lines).toContainEqual(expect.stringMatching(/step a started on thread slot 0$/));
    expect(lines).toContainEqual(expect.stringMatching(/step b failed in 7 ms: bad row$/));
  });

  it('redraws a live block with a bar and the running steps on a terminal', () => {
    const events = new EventStream();
    const out = sink(true);
    const stop = showProgress(events, out);
    drive(events);
    stop();
    const text = out.text();
    expect(text).toMatch(/demo \[#+\.*\] 1\/2/);
    expect(text).toMatch(/▸ b on thread slot 1/);
    expect(text).toMatch(/✗ b: bad row/);
    expect(text).toMatch(/demo \[#+\] 2\/2, 1 failed/);
    expect(text).toContain('\x1b[');
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4m 05s');
  });
});
