/** Mixes `iterations` rounds of integer hashing; returns the hash so the loop cannot be elided. */
export declare function burn(iterations: number): number;
