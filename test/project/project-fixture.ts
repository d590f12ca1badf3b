// A session over a temporary project that uses the in-memory relation kind, for execution tests.
import type { EventStream } from '../../src/events.js';
import { MAPPING_KINDS, TARGET_KINDS } from '../../src/project/builtin-kinds.js';
import { ProjectSession } from '../../src/project/session.js';
import { writeProject } from './helpers.js';
import { MemoryData, memoryKind } from './memory-relation.js';

/** Opens a session on a project made of `files`, with memory relations over fresh data. */
export async function memorySession(files: Record<string, string>, options: { conf?: string[]; defines?: string[]; events?: EventStream } = {}): Promise<{ session: ProjectSession; data: MemoryData; printed: string[]; dir: string }> {
  const dir = writeProject(files);
  const data = new MemoryData();
  const printed: string[] = [];
  const session = await ProjectSession.open({
    path: dir,
    kinds: { relations: new Map([['memory', memoryKind(data)]]), mappings: MAPPING_KINDS, targets: TARGET_KINDS },
    conf: ['weft.execution.backend=async', 'weft.parallelism.default=2', ...(options.conf ?? [])],
    ...(options.defines ? { defines: options.defines } : {}),
    ...(options.events ? { events: options.events } : {}),
    print: (text) => printed.push(text),
  });
  return { session, data, printed, dir };
}
