import { MinHeap } from '../../../src/core/min-heap';

describe('MinHeap', () => {
  it('pops items in ascending order whatever order they were pushed in', () => {
    const heap = new MinHeap<number>((a, b) => a - b);
    const values = [5, 3, 9, 1, 1, 8, 2, 7, 0, 6];
    for (const v of values) heap.push(v);
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.pop()!);
    expect(out).toEqual([...values].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });
});
