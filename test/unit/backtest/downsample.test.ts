import { lastOfBuckets } from '../../../src/backtest/downsample';

describe('lastOfBuckets', () => {
  it('keeps the last item of each bucket', () => {
    // 10 items in 3 buckets: indexes 0-2, 3-5, 6-9 (cut at floor(10/3) = 3 and floor(20/3) = 6)
    expect(lastOfBuckets([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([3, 6, 10]);
  });

  it('always keeps the very last item', () => {
    const items = Array.from({ length: 1_001 }, (_, i) => i);
    const kept = lastOfBuckets(items, 7);
    expect(kept).toHaveLength(7);
    expect(kept[6]).toBe(1_000);
  });

  it('keeps everything when there are no more items than buckets', () => {
    const items = [1, 2, 3];
    expect(lastOfBuckets(items, 3)).toEqual([1, 2, 3]);
    expect(lastOfBuckets(items, 70)).toEqual([1, 2, 3]);
    expect(lastOfBuckets([], 5)).toEqual([]);
  });

  it('refuses a bucket count that is not a positive integer', () => {
    expect(() => lastOfBuckets([1], 0)).toThrow(/positive integer/);
    expect(() => lastOfBuckets([1], 2.5)).toThrow(/positive integer/);
  });
});
