// piscina's side of the head-to-head benchmarks: the same trivial task and CPU kernel that weft's
// steps run (see work.ts), as named exports piscina calls with `run(input, { name })`.
import { burn } from './burn.mjs';

/** The trivial task: one addition. */
export function inc(x) {
  return x + 1;
}

/** The CPU-bound task: `iterations` rounds of the shared kernel. */
export function cpu(iterations) {
  return burn(iterations);
}
