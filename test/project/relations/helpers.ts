/** Shared set-up of the relation tests: a project folder, an environment, a relation context, a relation from a raw spec. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionEnvironment } from '../../../src/dataflow/index.js';
import type { BackendKind } from '../../../src/events.js';
import type { Relation, RelationContext, RelationKind } from '../../../src/project/relations/relation.js';

/** A fresh project directory. */
export function projectDir(prefix = 'weft-rel-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const envs: ExecutionEnvironment[] = [];

/** An environment of its own (closed by {@link closeEnvs}). */
export function makeEnv(backend: BackendKind = 'async', parallelism = 2): ExecutionEnvironment {
  const env = ExecutionEnvironment.create({ backend, parallelism, slots: 2 });
  envs.push(env);
  return env;
}

/** Closes every environment made by {@link makeEnv}. */
export async function closeEnvs(): Promise<void> {
  await Promise.all(envs.splice(0).map((e) => e.close()));
}

let runs = 0;

/** A relation context on `env` with a fresh run id. */
export function context(env: ExecutionEnvironment, signal: AbortSignal = new AbortController().signal): RelationContext {
  return { env, signal, runId: `run-${process.pid}-${++runs}` };
}

/** A relation of `kind` from a raw spec, validated the way the project loader validates it. */
export function relationOf<S>(kind: RelationKind<S>, raw: unknown, dir: string, name = 'rel'): Relation {
  const spec = kind.spec.parse(raw);
  return kind.create(spec, { name, projectDir: dir, location: undefined, locate: () => undefined });
}

/** Rows sorted by their JSON, for order-independent comparison. */
export function sorted<T>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}
