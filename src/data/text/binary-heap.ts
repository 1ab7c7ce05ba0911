/**
 * A binary min-heap ordered by a caller-supplied `less`. BPE uses it twice: training pops the most
 * frequent pair, encoding pops the lowest-ranked adjacent pair. Entries are never updated in
 * place; callers push a fresh entry when a priority changes and discard stale ones when popped
 * ("lazy deletion"), which keeps this structure small and the callers' checks explicit.
 *
 * @example
 * const h = new BinaryHeap<number>((a, b) => a < b);
 * h.push(3); h.push(1); h.pop(); // 1
 */
export class BinaryHeap<T> {
  private readonly items: T[] = [];

  /** @param less true when `a` must come out before `b`. */
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  /** How many entries the heap holds (stale ones included). */
  get size(): number {
    return this.items.length;
  }

  /** Adds an entry. O(log n). */
  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!this.less(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and returns the first entry by `less`, or `undefined` when empty. O(log n). */
  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0] as T;
    const last = items.pop() as T;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        let child = left;
        if (right < n && this.less(items[right] as T, items[left] as T)) child = right;
        const c = items[child] as T;
        if (!this.less(c, last)) break;
        items[i] = c;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
