// Shared test helpers for the graph layer: promises released by hand and seeded random DAGs.
import type { GraphNode } from '../../src/graph/index.js';

/** A promise with its resolve and reject exposed. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** A random DAG: node i depends on up to `maxDeps` earlier nodes. */
export function randomNodes(n: number, seed: number, maxDeps = 3): GraphNode<number>[] {
  const rnd = prng(seed);
  const nodes: GraphNode<number>[] = [];
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    const k = i === 0 ? 0 : Math.floor(rnd() * (maxDeps + 1));
    for (let j = 0; j < k; j++) deps.add(`n${Math.floor(rnd() * i)}`);
    nodes.push({ id: `n${i}`, deps: [...deps], data: i });
  }
  return nodes;
}

/** A number of macrotask turns, to let other nodes interleave without any timing assumption. */
export async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
