/**
 * What `weft job …` shows while a job runs — instances × targets, live — read from the one event
 * stream: each phase of each instance is a DAG run named `<job>[<instance>] <phase>`, each target
 * one of its nodes. On a terminal a live block shows the instances done and the targets running in
 * each instance; elsewhere, one timestamped line per target that starts or ends.
 */
import type { EventStream, NodeEvent, WeftEvent } from '../../events.js';
import { formatDuration, type Output } from '../progress.js';

/** A running progress display. */
export interface JobProgress {
  /** Counts an instance as finished. */
  readonly instanceDone: () => void;
  /** Stops showing progress (and clears the live block). */
  readonly stop: () => void;
}

/** Starts showing progress for a job of `instances` instances. */
export function showJobProgress(events: EventStream, out: Output, instances: number): JobProgress {
  const names = new Map<string, string>();
  const unsubscribe = events.on('run.started', (e) => names.set(e.runId, e.name));
  if (out.isTTY !== true) {
    const stop = plainLines(events, out, names);
    return { instanceDone: () => undefined, stop: () => (stop(), unsubscribe()) };
  }
  const view = liveView(events, out, names, instances);
  return { instanceDone: view.instanceDone, stop: () => (view.stop(), unsubscribe()) };
}

function plainLines(events: EventStream, out: Output, names: ReadonlyMap<string, string>): () => void {
  return events.on('*', (event: WeftEvent) => {
    if (!event.type.startsWith('node.') || event.type === 'node.queued') return;
    const e = event as NodeEvent;
    out.write(`${new Date(e.time).toISOString()} ${names.get(e.runId) ?? e.runId} ${e.node} ${describe(e)}\n`);
  });
}

function describe(e: NodeEvent): string {
  switch (e.type) {
    case 'node.started':
      return 'started';
    case 'node.succeeded':
      return `succeeded${e.durationMs === undefined ? '' : ` in ${formatDuration(e.durationMs)}`}`;
    case 'node.failed':
      return `failed: ${(e.error?.message ?? 'unknown error').split('\n')[0]}`;
    default:
      return `${e.type.slice(5)}${e.reason ? `: ${e.reason}` : ''}`;
  }
}

function liveView(events: EventStream, out: Output, names: ReadonlyMap<string, string>, instances: number): JobProgress {
  const running = new Map<string, Map<string, number>>();
  let finished = 0;
  let done = 0;
  let failed = 0;
  let drawn = 0;
  const log: string[] = [];
  const draw = (): void => {
    const now = Date.now();
    const active = [...running].filter(([, targets]) => targets.size > 0);
    const block = [`${finished}/${instances} instances done, ${done} target phases done${failed ? `, ${failed} failed` : ''}`];
    for (const [run, targets] of active) block.push(`  ▸ ${run}: ${[...targets].map(([t, since]) => `${t} ${formatDuration(now - since)}`).join(', ')}`);
    out.write(`${drawn > 0 ? `\x1b[${drawn}A\x1b[0J` : ''}${[...log.splice(0), ...block].join('\n')}\n`);
    drawn = block.length;
  };
  const stop = events.on('*', (event: WeftEvent) => {
    if (!event.type.startsWith('node.') || event.type === 'node.queued') return;
    const e = event as NodeEvent;
    const run = names.get(e.runId) ?? e.runId;
    const targets = running.get(run) ?? new Map<string, number>();
    running.set(run, targets);
    if (e.type === 'node.started') targets.set(e.node, e.time);
    else {
      targets.delete(e.node);
      if (targets.size === 0) running.delete(run);
      done++;
      if (e.type === 'node.failed') {
        failed++;
        log.push(`✗ ${run} ${e.node}: ${(e.error?.message ?? 'failed').split('\n')[0]}`);
      }
    }
    draw();
  });
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    instanceDone: () => {
      finished++;
      draw();
    },
    stop: () => {
      clearInterval(timer);
      stop();
      running.clear();
      draw();
    },
  };
}
