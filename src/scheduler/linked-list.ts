/**
 * An intrusive doubly-linked list: the items carry their own links, so adding and removing
 * allocate nothing and take constant time. The scheduler keeps its running tasks and its busy
 * task sets in such lists, where a `Map` or `Set` entry per task was a measurable share of what
 * dispatching a short task allocated.
 */

/** The links an item of a {@link LinkedList} carries; it can be in one list at a time. */
export interface Linked<T> {
  prev: T | undefined;
  next: T | undefined;
}

/** A list of items in the order they were added. */
export class LinkedList<T extends Linked<T>> {
  #head: T | undefined = undefined;
  #tail: T | undefined = undefined;

  /** True when `item` is in this list. */
  has(item: T): boolean {
    return item.prev !== undefined || this.#head === item;
  }

  /** Appends `item`, which must not be in a list. */
  add(item: T): void {
    item.prev = this.#tail;
    item.next = undefined;
    if (this.#tail === undefined) this.#head = item;
    else this.#tail.next = item;
    this.#tail = item;
  }

  /** Removes `item` if it is in this list. */
  delete(item: T): void {
    if (!this.has(item)) return;
    const { prev, next } = item;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    item.prev = item.next = undefined;
  }

  /** The first item for which `test` holds. */
  find(test: (item: T) => boolean): T | undefined {
    for (let item = this.#head; item !== undefined; item = item.next) if (test(item)) return item;
    return undefined;
  }

  /** The items, in order, as an array (safe to change the list while walking it). */
  toArray(): T[] {
    const items: T[] = [];
    for (let item = this.#head; item !== undefined; item = item.next) items.push(item);
    return items;
  }
}
