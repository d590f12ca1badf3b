/**
 * Step durations of a pipeline's previous run, kept under `.weft/runs/` so that `weft plan` can
 * predict the wall time of the next run for each `-j`.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineResult } from '../pipeline/index.js';

/** What is kept of a run. */
export interface LastRun {
  runId: string;
  status: string;
  endedAt: string;
  durationsMs: Record<string, number>;
}

function fileFor(dir: string, pipeline: string): string {
  return join(dir, '.weft', 'runs', `${pipeline.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

export async function saveLastRun(dir: string, result: PipelineResult): Promise<void> {
  const durationsMs: Record<string, number> = {};
  for (const s of result.steps) if (s.durationMs !== undefined && !s.cached) durationsMs[s.name] = s.durationMs;
  const record: LastRun = { runId: result.runId, status: result.status, endedAt: new Date(result.endedAt).toISOString(), durationsMs };
  const path = fileFor(dir, result.pipeline);
  await mkdir(join(dir, '.weft', 'runs'), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(record, null, 2));
  await rename(`${path}.tmp`, path);
}

export async function loadLastRun(dir: string, pipeline: string): Promise<LastRun | undefined> {
  try {
    return JSON.parse(await readFile(fileFor(dir, pipeline), 'utf8')) as LastRun;
  } catch {
    return undefined;
  }
}
