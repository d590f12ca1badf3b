import { describe, expect, it } from 'vitest';
import { EventStream } from '../../../src/events.js';
import { showJobProgress } from '../../../src/cli/project/project-progress.js';

function output(tty: boolean): { text: string; write(t: string): void; isTTY: boolean; columns: number } {
  return {
    text: '',
    isTTY: tty,
    columns: 100,
    write(t: string) {
      this.text += t;
    },
  };
}

function play(events: EventStream): void {
  const t = Date.now();
  events.emit({ type: 'run.started', runId: 'r.0.build', name: 'main[year=2013] build', time: t, nodes: 2 });
  events.emit({ type: 'run.started', runId: 'r.1.build', name: 'main[year=2014] build', time: t, nodes: 2 });
  events.emit({ type: 'node.started', runId: 'r.0.build', node: 'measurements', time: t, attempt: 1 });
  events.emit({ type: 'node.started', runId: 'r.1.build', node: 'measurements', time: t, attempt: 1 });
  events.emit({ type: 'node.succeeded', runId: 'r.0.build', node: 'measurements', time: t + 5, attempt: 1, durationMs: 1200 });
  events.emit({ type: 'node.failed', runId: 'r.1.build', node: 'measurements', time: t + 6, attempt: 1, error: { name: 'Error', message: 'disk full\nmore' } });
}

describe('job progress', () => {
  it('prints one timestamped line per target that starts or ends when not on a terminal', () => {
    const events = new EventStream();
    const out = output(false);
    const progress = showJobProgress(events, out, 2);
    play(events);
    progress.stop();
    const lines = out.text.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^\d{4}-\d{2}-\d{2}T\S+ main\[year=2013\] build measurements succeeded in 1\.2 s$/);
    expect(lines[3]).toMatch(/main\[year=2014\] build measurements failed: disk full$/);
  });

  it('shows instances × running targets live on a terminal, and failures above the block', () => {
    const events = new EventStream();
    const out = output(true);
    const progress = showJobProgress(events, out, 2);
    const t = Date.now();
    events.emit({ type: 'run.started', runId: 'r.0.build', name: 'main[year=2013] build', time: t, nodes: 2 });
    events.emit({ type: 'node.started', runId: 'r.0.build', node: 'stations', time: t, attempt: 1 });
    expect(out.text).toMatch(/0\/2 instances done, 0 target phases done\n {2}▸ main\[year=2013\] build: stations \d+ ms\n$/);
    play(events);
    progress.instanceDone();
    progress.stop();
    expect(out.text).toMatch(/✗ main\[year=2014\] build measurements: disk full\n/);
    expect(out.text).toMatch(/ {2}▸ main\[year=2014\] build: measurements \d+ ms\n/);
    // Stopping clears the running targets and leaves the final counts.
    expect(out.text.endsWith('[0J1/2 instances done, 2 target phases done, 1 failed\n')).toBe(true);
  });
});
