/**
 * What `weft run` shows while a run goes on, read from the one event stream.
 *
 * On a terminal: a live block with a bar of done/total and each running step with its elapsed time,
 * redrawn in place. Elsewhere (CI logs, pipes): one timestamped line per event.
 */
import type { EventStream, NodeEvent, WeftEvent } from '../events.js';

/** Something to write text to (process.stderr in the CLI). */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Starts showing progress; returns the function that stops it (and clears the live block). */
export function showProgress(events: EventStream, out: Output, options: { live?: boolean } = {}): () => void {
  return options.live ?? out.isTTY === true ? liveView(events, out) : plainLines(events, out);
}

function plainLines(events: EventStream, out: Output): () => void {
  return events.on('*', (event: WeftEvent) => {
    const line = describe(event);
    if (line) out.write(`${new Date(event.time).toISOString()} ${line}\n`);
  });
}

function describe(event: WeftEvent): string | undefined {
  switch (event.type) {
    case 'run.started':
      return `run ${event.name} started (${event.nodes ?? '?'} steps, run ${event.runId})`;
    case 'run.succeeded':
    case 'run.failed':
    case 'run.cancelled':
      return `run ${event.name} ${event.type.slice(4)}${event.error ? `: ${event.error.message}` : ''}`;
    case 'node.started':
      return `step ${event.node} started${where(event)}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'node.succeeded':
      return `step ${event.node} succeeded${event.cached ? ' (cached)' : ''}${ms(event.durationMs)}`;
    case 'node.failed':
      return `step ${event.node} failed${ms(event.durationMs)}: ${event.error?.message ?? 'unknown error'}`;
    case 'node.retried':
      return `step ${event.node} attempt ${event.attempt} failed, retrying in ${event.delayMs ?? 0} ms: ${event.error?.message ?? ''}`;
    case 'node.skipped':
    case 'node.cancelled':
      return `step ${event.node} ${event.type.slice(5)}${event.reason ? `: ${event.reason}` : ''}`;
    case 'job.started':
      return `job ${event.jobId} ${event.action} started (${event.stages} stages, ${event.tasks} tasks)`;
    case 'job.succeeded':
      return `job ${event.jobId} ${event.action} succeeded: ${event.rows ?? 0} rows${ms(event.durationMs)}`;
    case 'job.failed':
      return `job ${event.jobId} ${event.action} failed${ms(event.durationMs)}: ${event.error?.message.split('\n')[0] ?? 'unknown error'}`;
    case 'stage.started':
      return `job ${event.jobId} stage ${event.stageId} started: ${event.name} (${event.tasks} tasks)`;
    case 'stage.succeeded':
      return `job ${event.jobId} stage ${event.stageId} succeeded: ${event.rowsIn ?? 0} rows in, ${event.rowsOut ?? 0} out${ms(event.durationMs)}`;
    case 'stage.failed':
      return `job ${event.jobId} stage ${event.stageId} failed${ms(event.durationMs)}`;
    default:
      return undefined;
  }
}

function where(event: NodeEvent): string {
  if (event.backend === undefined) return '';
  return ` on ${event.backend}${event.slot !== undefined ? ` slot ${event.slot}` : ''}`;
}

function ms(value: number | undefined): string {
  return value === undefined ? '' : ` in ${formatDuration(value)}`;
}

/** `850 ms`, `12.3 s`, `4m 05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

function liveView(events: EventStream, out: Output): () => void {
  let total = 0;
  let done = 0;
  let failed = 0;
  let name = '';
  const running = new Map<string, { since: number; where: string }>();
  let drawn = 0;
  const finished: string[] = [];

  const draw = (): void => {
    const width = Math.max(20, Math.min(40, (out.columns ?? 80) - 40));
    const filled = total === 0 ? 0 : Math.round((done / total) * width);
    const lines = [...finished.splice(0)];
    lines.push(`${name} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${failed ? `, ${failed} failed` : ''}`);
    const now = Date.now();
    for (const [node, info] of running) lines.push(`  ▸ ${node}${info.where}  ${formatDuration(now - info.since)}`);
    out.write(`${drawn > 0 ? `\x1b[${drawn}A\x1b[0J` : ''}${lines.join('\n')}\n`);
    drawn = 1 + running.size;
  };

  const stop = events.on('*', (event: WeftEvent) => {
    switch (event.type) {
      case 'run.started':
        total = event.nodes ?? 0;
        name = event.name;
        break;
      case 'node.started':
        running.set(event.node, { since: event.time, where: where(event) });
        break;
      case 'node.succeeded':
      case 'node.failed':
      case 'node.skipped':
      case 'node.cancelled':
        running.delete(event.node);
        done++;
        if (event.type === 'node.failed') {
          failed++;
          finished.push(`✗ ${event.node}: ${event.error?.message ?? 'failed'}`);
        }
        break;
      default:
        return;
    }
    draw();
  });
  const timer = setInterval(draw, 200);
  timer.unref();
  return () => {
    clearInterval(timer);
    stop();
    running.clear();
    draw();
  };
}
