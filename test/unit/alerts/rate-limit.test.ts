import { RateLimiter } from '../../../src/alerts/rate-limit';

describe('RateLimiter', () => {
  it('of 1,000 identical alerts within the interval sends the first and then one summary of the other 999', () => {
    const limiter = new RateLimiter<number>(300_000);
    const sent = [];
    for (let i = 0; i < 1000; i++) {
      const passed = limiter.offer('drawdown:equity', i, i * 10);
      if (passed) sent.push(passed);
    }
    expect(sent).toEqual([{ item: 0, suppressed: 0 }]);
    expect(limiter.nextDueAt()).toBe(300_000);
    expect(limiter.flush(299_999)).toEqual([]);
    expect(limiter.flush(300_000)).toEqual([{ item: 999, suppressed: 999 }]);
    expect(limiter.nextDueAt()).toBeUndefined();
    // The summary started an interval of its own.
    expect(limiter.offer('drawdown:equity', 1000, 300_001)).toBeUndefined();
    expect(limiter.flush(600_000)).toEqual([{ item: 1000, suppressed: 1 }]);
  });

  it('limits each key on its own', () => {
    const limiter = new RateLimiter<string>(1000);
    expect(limiter.offer('a', 'a1', 0)).toEqual({ item: 'a1', suppressed: 0 });
    expect(limiter.offer('b', 'b1', 10)).toEqual({ item: 'b1', suppressed: 0 });
    expect(limiter.offer('a', 'a2', 20)).toBeUndefined();
    expect(limiter.nextDueAt()).toBe(1000);
    expect(limiter.flush(1000)).toEqual([{ item: 'a2', suppressed: 1 }]);
  });

  it('lets the next alert carry the count when it comes after the interval, before any flush', () => {
    const limiter = new RateLimiter<string>(1000);
    limiter.offer('a', 'x', 0);
    limiter.offer('a', 'y', 500);
    limiter.offer('a', 'z', 600);
    expect(limiter.offer('a', 'w', 1500)).toEqual({ item: 'w', suppressed: 2 });
    expect(limiter.nextDueAt()).toBeUndefined();
  });

  it('sends again at once after a quiet interval', () => {
    const limiter = new RateLimiter<string>(1000);
    limiter.offer('a', 'x', 0);
    expect(limiter.flush(1000)).toEqual([]);
    expect(limiter.offer('a', 'y', 1001)).toEqual({ item: 'y', suppressed: 0 });
  });
});
