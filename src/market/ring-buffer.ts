/** A fixed-capacity buffer that overwrites its oldest item when full: O(1) push, nothing ever shifts. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  /** Index the next push writes to. */
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    this.items[this.head] = item;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.count < this.capacity) this.count += 1;
  }

  /** The item pushed last, if any. */
  newest(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head === 0 ? this.capacity - 1 : this.head - 1];
  }

  /** The newest `limit` items (all when absent), oldest first. */
  last(limit: number = this.count): T[] {
    const n = Math.max(0, Math.min(Math.floor(limit), this.count));
    const out = new Array<T>(n);
    let index = (this.head - n + this.capacity) % this.capacity;
    for (let i = 0; i < n; i++) {
      out[i] = this.items[index] as T;
      index = index + 1 === this.capacity ? 0 : index + 1;
    }
    return out;
  }
}
