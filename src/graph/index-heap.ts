/**
 * A binary min-heap of node indices. The executor keeps its ready nodes in one so that, among
 * ready nodes, the one declared first always starts first (stable across runs) in O(log n),
 * without per-node allocation; the wall-time simulation of `analysis.ts` orders finish events
 * with a custom comparison.
 */

/** Min-heap of non-negative integers below a fixed capacity. */
export class IndexHeap {
  #items: Int32Array;
  #size = 0;
  readonly #less: ((a: number, b: number) => boolean) | undefined;

  /**
   * @param capacity - the most items held at once.
   * @param less - the order; default: the smaller index first.
   */
  constructor(capacity: number, less?: (a: number, b: number) => boolean) {
    this.#items = new Int32Array(Math.max(1, capacity));
    this.#less = less;
  }

  /** Number of items held. */
  get size(): number {
    return this.#size;
  }

  /** Adds an item. */
  push(value: number): void {
    const items = this.#items;
    const less = this.#less;
    let i = this.#size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (less ? !less(value, p) : value >= p) break;
      items[i] = p;
      i = parent;
    }
    items[i] = value;
  }

  /** The least item without removing it; -1 when empty. */
  peek(): number {
    return this.#size === 0 ? -1 : this.#items[0]!;
  }

  /** Removes and returns the least item; -1 when empty. */
  pop(): number {
    if (this.#size === 0) return -1;
    const items = this.#items;
    const less = this.#less;
    const top = items[0]!;
    const last = items[--this.#size]!;
    const size = this.#size;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      let c = items[left]!;
      if (right < size) {
        const r = items[right]!;
        if (less ? less(r, c) : r < c) {
          child = right;
          c = r;
        }
      }
      if (less ? !less(c, last) : c >= last) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }

  /** Removes every item. */
  clear(): void {
    this.#size = 0;
  }
}
