import { DDoSProtection, ExchangeNotAvailable, InvalidNonce, OperationFailed, RateLimitExceeded, RequestTimeout, type Exchange } from 'ccxt';
import { SystemClock } from '../../src/core/clock';
import { DownloadFailed, downloadCandles } from '../../src/exchange/download-candles';
import { RetriesExhausted } from '../../src/exchange/with-retries';
import { ccxtFor } from '../fake-exchange/ccxt-for';
import { createFakeExchange, type FakeExchange } from '../fake-exchange/fake-exchange';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const KLINES = '/api/v3/klines';
/** Request times are wall-clock ms, timers run on the monotonic clock: a wait can look a few ms short. */
const TIMER_SLACK_MS = 5;

describe('fake exchange faults, as ccxt sees them', () => {
  let fake: FakeExchange;
  let exchange: Exchange;

  beforeAll(async () => {
    fake = await createFakeExchange({ timeframe: '1h', start: T0, now: T0 + 3000 * HOUR });
    exchange = ccxtFor(fake.url, { timeoutMs: 400 });
    await exchange.loadMarkets();
  });
  afterEach(() => fake.faults.clear());
  afterAll(() => fake.close());

  const klines = (): Promise<unknown> => exchange.fetchOHLCV('BTC/USDT', '1h', T0, 10);

  it('a 429 is a DDoSProtection in ccxt, with Retry-After in the response headers, and ccxt does not retry it', async () => {
    fake.faults.next({ match: { path: KLINES }, fault: { type: 'rate-limit', retryAfterSec: 3 } });
    const before = fake.requestsTo(KLINES).length;
    const err = await klines().catch((e: unknown) => e);
    // binance.handleErrors maps both 418 and 429 to DDoSProtection, before the generic 429 -> RateLimitExceeded.
    expect(err).toBeInstanceOf(DDoSProtection);
    expect(err).not.toBeInstanceOf(RateLimitExceeded);
    expect((err as Error).message).toContain('"code":-1003');
    expect(exchange.last_response_headers?.['Retry-After']).toBe('3');
    expect(fake.requestsTo(KLINES).length - before).toBe(1);
    // The fault is used up: the next request goes through.
    await expect(klines()).resolves.toHaveLength(10);
  });

  it('a 418 IP ban is a DDoSProtection with Retry-After too', async () => {
    fake.faults.next({ match: { path: KLINES }, fault: { type: 'ip-ban', retryAfterSec: 7200 } });
    const err = await klines().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DDoSProtection);
    expect((err as Error).message).toMatch(/418 .*IP banned until/);
    expect(exchange.last_response_headers?.['Retry-After']).toBe('7200');
  });

  it('a 500 with Binance\'s {code:-1000} is an OperationFailed; a 502 or 503 is ExchangeNotAvailable', async () => {
    fake.faults.next({ match: { path: KLINES }, fault: { type: 'server-error', status: 500 } });
    const e500 = await klines().catch((e: unknown) => e);
    expect(e500).toBeInstanceOf(OperationFailed);
    expect(e500).not.toBeInstanceOf(ExchangeNotAvailable);
    for (const status of [502, 503] as const) {
      fake.faults.next({ match: { path: KLINES }, fault: { type: 'server-error', status } });
      const err = await klines().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExchangeNotAvailable);
      expect((err as Error).message).toContain(String(status));
    }
  });

  it('a request the server never answers is a RequestTimeout after the client\'s timeout', async () => {
    fake.faults.next({ match: { path: KLINES }, fault: { type: 'timeout' } });
    const err = await klines().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeout);
    expect((err as Error).message).toContain('request timed out (400 ms)');
    const held = fake.requestsTo(KLINES).at(-1)!;
    expect(held.fault).toEqual({ type: 'timeout' });
  });

  it('a -1021 timestamp error is an InvalidNonce', async () => {
    fake.faults.next({ match: { path: KLINES }, fault: { type: 'timestamp' } });
    await expect(klines()).rejects.toBeInstanceOf(InvalidNonce);
  });

  it('applies a fault only to matching requests, as many times as asked, rules in order', async () => {
    fake.faults
      .next({ match: { path: /ticker/, method: 'GET' }, times: 2, fault: { type: 'server-error', status: 503 } })
      .next({ match: { path: KLINES, method: 'POST' }, fault: { type: 'server-error' } })
      .next({ fault: { type: 'timestamp' } });
    expect(fake.faults.pending()).toBe(4);
    // No rule for POST is reached by a GET; the catch-all rule takes the first request of any kind.
    await expect(exchange.fetchTime()).rejects.toBeInstanceOf(InvalidNonce);
    await expect(klines()).resolves.toHaveLength(10);
    await expect(exchange.fetchTicker('BTC/USDT')).rejects.toBeInstanceOf(ExchangeNotAvailable);
    await expect(exchange.fetchTicker('BTC/USDT')).rejects.toBeInstanceOf(ExchangeNotAvailable);
    await expect(exchange.fetchTicker('BTC/USDT')).resolves.toMatchObject({ symbol: 'BTC/USDT' });
    expect(fake.faults.pending()).toBe(1);
  });
});

describe('download through faults', () => {
  let fake: FakeExchange;

  beforeEach(async () => {
    fake = await createFakeExchange({ timeframe: '1h', start: T0, now: T0 + 1500 * HOUR });
  });
  afterEach(() => fake.close());

  const download = (exchange: Exchange, retry = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 10_000 }) =>
    downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0 }, { clock: new SystemClock(), retry });

  it('waits for Retry-After after a 429, then resumes with the same page', async () => {
    fake.faults.next({ match: { path: KLINES }, times: 1, fault: { type: 'rate-limit', retryAfterSec: 1 } });
    const result = await download(ccxtFor(fake.url));
    expect(result.added).toBe(1500);
    expect(result.rows.slice(0, 1000)).toEqual(fake.klines('BTC/USDT', '1h', { startTime: T0, limit: 1000 }));
    const [limited, retried, next] = fake.requestsTo(KLINES);
    expect(limited!.fault).toEqual({ type: 'rate-limit', retryAfterSec: 1 });
    expect(retried!.query).toEqual(limited!.query);
    expect(retried!.time - limited!.time).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
    expect(next!.query['startTime']).toBe(String(T0 + 1000 * HOUR));
  });

  it('retries a 500 a bounded number of times with growing waits, then carries on', async () => {
    fake.faults.next({ match: { path: KLINES }, times: 3, fault: { type: 'server-error', status: 500 } });
    const result = await download(ccxtFor(fake.url));
    expect(result.added).toBe(1500);
    const times = fake.requestsTo(KLINES).slice(0, 4).map((r) => r.time);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100 - TIMER_SLACK_MS);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS);
    expect(times[3]! - times[2]!).toBeGreaterThanOrEqual(400 - TIMER_SLACK_MS);
  });

  it('gives up after the last retry, with the error and the exchange named', async () => {
    fake.faults.next({ match: { path: KLINES }, times: 10, fault: { type: 'server-error', status: 502 } });
    const err = await download(ccxtFor(fake.url), { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadFailed);
    const cause = (err as DownloadFailed).cause;
    expect(cause).toBeInstanceOf(RetriesExhausted);
    expect(cause.message).toMatch(/^gave up after 3 attempts: ExchangeNotAvailable: binance GET .* 502 Bad Gateway/);
    expect(fake.requestsTo(KLINES)).toHaveLength(3);
  });

  it('retries a request that timed out', async () => {
    fake.faults.next({ match: { path: KLINES }, fault: { type: 'timeout' } });
    const result = await download(ccxtFor(fake.url, { timeoutMs: 300 }));
    expect(result.added).toBe(1500);
    expect(fake.requestsTo(KLINES)[1]!.query).toEqual(fake.requestsTo(KLINES)[0]!.query);
  });
});
