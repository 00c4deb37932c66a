import { BadRequest, DDoSProtection, NetworkError, OperationFailed, RateLimitExceeded } from 'ccxt';
import { RetriesExhausted, withRetries, type RetryPolicy } from '../../../src/exchange/with-retries';
import { InstantClock } from './memory-exchange';

const policy: RetryPolicy = { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 5000, maxRetryAfterMs: 60_000 };

/** Work that fails with the given errors, in turn, then succeeds. */
function failing(...errors: Error[]): { work: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    work: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'ok';
    },
    calls: () => calls,
  };
}

describe('withRetries', () => {
  it('doubles the wait after each failure, up to the cap', async () => {
    const clock = new InstantClock();
    const { work } = failing(new NetworkError('a'), new NetworkError('b'), new NetworkError('c'), new NetworkError('d'));
    await expect(withRetries(work, { clock, policy })).resolves.toBe('ok');
    expect(clock.waits).toEqual([1000, 2000, 4000, 5000]);
  });

  it('retries Binance\'s "unknown error" (OperationFailed), not only network errors', async () => {
    const { work, calls } = failing(new OperationFailed('binance {"code":-1000}'));
    await expect(withRetries(work, { clock: new InstantClock(), policy })).resolves.toBe('ok');
    expect(calls()).toBe(2);
  });

  it('waits Retry-After, in seconds or as an HTTP date, on a 429 or 418', async () => {
    const clock = new InstantClock(Date.UTC(2024, 0, 1));
    const headers = ['3', 'Mon, 01 Jan 2024 00:00:13 GMT'];
    const { work } = failing(new RateLimitExceeded('429'), new DDoSProtection('418'));
    await withRetries(work, { clock, policy, retryAfterHeader: () => headers.shift() });
    // The date is 13 s after the start, and 3 s have passed by then.
    expect(clock.waits).toEqual([3000, 10_000]);
  });

  it('falls back to backing off when a 429 has no Retry-After', async () => {
    const clock = new InstantClock();
    await withRetries(failing(new DDoSProtection('429')).work, { clock, policy, retryAfterHeader: () => undefined });
    expect(clock.waits).toEqual([1000]);
  });

  it('fails at once when Retry-After is longer than the policy waits, saying how long', async () => {
    const clock = new InstantClock();
    const { work, calls } = failing(new DDoSProtection('binance 418'));
    const err = await withRetries(work, { clock, policy, retryAfterHeader: () => '7200' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect((err as Error).message).toMatch(/asks to wait 7200 s \(Retry-After\)/);
    expect(calls()).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('gives up after maxRetries retries, naming the last error', async () => {
    const errors = Array.from({ length: 10 }, (_, i) => new NetworkError(`failure ${i + 1}`));
    const { work, calls } = failing(...errors);
    const err = await withRetries(work, { clock: new InstantClock(), policy }).catch((e: unknown) => e);
    expect(calls()).toBe(5);
    expect((err as RetriesExhausted).attempts).toBe(5);
    expect((err as Error).message).toBe('gave up after 5 attempts: NetworkError: failure 5');
  });

  it('passes other errors through untouched, without retrying', async () => {
    const bad = new BadRequest('binance {"code":-1102}');
    const { work, calls } = failing(bad);
    await expect(withRetries(work, { clock: new InstantClock(), policy })).rejects.toBe(bad);
    expect(calls()).toBe(1);
  });

  it('tells about each retry before waiting', async () => {
    const notices: string[] = [];
    await withRetries(failing(new NetworkError('x')).work, {
      clock: new InstantClock(),
      policy,
      onRetry: (n) => notices.push(`${n.retry}/${n.of} ${n.delayMs} ${n.error.name}`),
    });
    expect(notices).toEqual(['1/4 1000 NetworkError']);
  });
});
