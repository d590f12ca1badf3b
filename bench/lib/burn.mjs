// The CPU-bound kernel shared by weft's steps (work.ts) and piscina's worker (piscina-worker.mjs),
// so both run byte-for-byte the same loop. Plain JavaScript: piscina's workers load it without tsx.

/** Mixes `iterations` rounds of integer hashing; returns the hash so the loop cannot be elided. */
export function burn(iterations) {
  let x = 0x9e3779b9 | 0;
  for (let i = 0; i < iterations; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x85ebca6b) + i) | 0;
  }
  return x;
}
