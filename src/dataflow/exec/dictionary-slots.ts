/**
 * Consecutive batches of one source split share one string dictionary that only grows (see
 * sources/byte-interner.ts). An operator that keeps per-key state maps each dictionary id to its
 * slot once and keeps that map from batch to batch, so a key costs one hash lookup per split
 * rather than one per row.
 */

/** A dictionary id → slot map (-1: not looked up yet), kept while the dictionary stays the same. */
export class DictionarySlots {
  #dictionary: readonly string[] | undefined;
  #slots = new Int32Array(0);

  /** The map for `dictionary`: the previous one (grown to fit) when it is the same array, else a fresh one. */
  of(dictionary: readonly string[]): Int32Array {
    const known = this.#dictionary === dictionary ? this.#slots : new Int32Array(0);
    if (known.length >= dictionary.length) return known;
    const slots = new Int32Array(Math.max(dictionary.length, known.length * 2)).fill(-1);
    slots.set(known);
    this.#dictionary = dictionary;
    this.#slots = slots;
    return slots;
  }
}
