import { describe, expect, it } from 'vitest';
import { LinkedList, type Linked } from '../../src/scheduler/linked-list.js';

class Item implements Linked<Item> {
  prev: Item | undefined = undefined;
  next: Item | undefined = undefined;
  constructor(readonly name: string) {}
}

const names = (list: LinkedList<Item>): string[] => list.toArray().map((i) => i.name);

describe('intrusive linked list', () => {
  it('keeps insertion order through removals at the head, middle and tail', () => {
    const list = new LinkedList<Item>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => new Item(n)) as [Item, Item, Item, Item];
    for (const item of [a, b, c, d]) list.add(item);
    expect(names(list)).toEqual(['a', 'b', 'c', 'd']);
    list.delete(b);
    expect(names(list)).toEqual(['a', 'c', 'd']);
    list.delete(a);
    list.delete(d);
    expect(names(list)).toEqual(['c']);
    expect([list.has(a), list.has(c)]).toEqual([false, true]);
    list.delete(c);
    expect(names(list)).toEqual([]);
    expect(list.has(c)).toBe(false);
    // Removing an item that is not in the list changes nothing; an item can come back.
    list.delete(c);
    list.add(b);
    list.add(a);
    expect(names(list)).toEqual(['b', 'a']);
    expect(list.find((i) => i.name === 'a')).toBe(a);
    expect(list.find((i) => i.name === 'z')).toBeUndefined();
  });

  it('can be changed while walking its array copy', () => {
    const list = new LinkedList<Item>();
    const items = Array.from({ length: 5 }, (_, i) => new Item(String(i)));
    for (const item of items) list.add(item);
    for (const item of list.toArray()) if (Number(item.name) % 2 === 0) list.delete(item);
    expect(names(list)).toEqual(['1', '3']);
  });
});
