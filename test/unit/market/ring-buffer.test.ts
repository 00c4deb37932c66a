import { RingBuffer } from '../../../src/market/ring-buffer';

describe('RingBuffer newest()', () => {
  it('is undefined while the buffer is empty', () => {
    expect(new RingBuffer<number>(3).newest()).toBeUndefined();
  });

  it('is the item pushed last before the buffer is full', () => {
    const buffer = new RingBuffer<string>(3);
    buffer.push('a');
    expect(buffer.newest()).toBe('a');
    buffer.push('b');
    expect(buffer.newest()).toBe('b');
  });

  it('is the item pushed last when the write position has just wrapped to the start', () => {
    const buffer = new RingBuffer<number>(3);
    for (const n of [1, 2, 3]) buffer.push(n);
    // Full: the next write goes to slot 0 again, and the newest item sits in the last slot.
    expect(buffer.newest()).toBe(3);
    expect(buffer.last()).toEqual([1, 2, 3]);
  });

  it('follows the pushes around the buffer many times over', () => {
    const buffer = new RingBuffer<number>(3);
    for (let n = 1; n <= 10; n++) {
      buffer.push(n);
      expect(buffer.newest()).toBe(n);
      expect(buffer.newest()).toBe(buffer.last(1)[0]);
    }
    expect(buffer.size).toBe(3);
    expect(buffer.last()).toEqual([8, 9, 10]);
  });

  it('works with a capacity of one', () => {
    const buffer = new RingBuffer<number>(1);
    expect(buffer.newest()).toBeUndefined();
    buffer.push(7);
    expect(buffer.newest()).toBe(7);
    buffer.push(8);
    expect(buffer.newest()).toBe(8);
    expect(buffer.size).toBe(1);
  });

  it('hands back the object pushed, not a copy', () => {
    const buffer = new RingBuffer<{ time: number }>(2);
    const item = { time: 5 };
    buffer.push(item);
    expect(buffer.newest()).toBe(item);
  });
});
