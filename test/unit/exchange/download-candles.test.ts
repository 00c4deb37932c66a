import { DDoSProtection, ExchangeNotAvailable, BadSymbol, RequestTimeout } from 'ccxt';
import { DownloadFailed, downloadCandles, missingRanges } from '../../../src/exchange/download-candles';
import { RetriesExhausted } from '../../../src/exchange/with-retries';
import { HOUR, hourlyRows, InstantClock, MemoryExchange, T0 } from './memory-exchange';

const times = (rows: ReadonlyArray<readonly number[]>): number[] => rows.map((r) => r[0]!);
const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 250, maxRetryAfterMs: 60_000 };

describe('downloadCandles', () => {
  it('pages through a long range, each page starting right after the last candle received', async () => {
    const rows = hourlyRows(2600);
    // Exchange time half-way through candle 2500: candles 0..2499 are closed, 2500 is forming.
    const exchange = new MemoryExchange(rows, T0 + 2500 * HOUR + HOUR / 2);
    const result = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0 }, { clock: new InstantClock() });
    expect(exchange.calls).toEqual([
      { since: T0, limit: 1000 },
      { since: T0 + 1000 * HOUR, limit: 1000 },
      { since: T0 + 2000 * HOUR, limit: 500 },
    ]);
    expect(result.added).toBe(2500);
    expect(result.rows).toEqual(rows.slice(0, 2500));
    expect(result.lastClosed).toBe(T0 + 2499 * HOUR);
    expect(result.gaps).toEqual([]);
  });

  it('stops between pages when asked (--duration), keeping what it received', async () => {
    const exchange = new MemoryExchange(hourlyRows(2600), T0 + 2500 * HOUR + HOUR / 2);
    let pages = 0;
    const result = await downloadCandles(
      exchange,
      { symbol: 'BTC/USDT', timeframe: '1h', from: T0 },
      { clock: new InstantClock(), onProgress: () => (pages += 1), shouldStop: () => pages >= 2 },
    );
    // onProgress runs once before the first page and once after each: two calls mean one page fetched.
    expect(exchange.calls).toEqual([{ since: T0, limit: 1000 }]);
    expect(result.stopped).toBe(true);
    expect(result.added).toBe(1000);
    expect(times(result.rows).at(-1)).toBe(T0 + 999 * HOUR);
  });

  it('never keeps the forming candle, even when the exchange sends it', async () => {
    const exchange = new MemoryExchange(hourlyRows(50), T0 + 10 * HOUR + 1);
    const result = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0, pageLimit: 1000 }, { clock: new InstantClock() });
    expect(times(result.rows).at(-1)).toBe(T0 + 9 * HOUR);
    // A candle that opened exactly now is forming too.
    const onBoundary = new MemoryExchange(hourlyRows(50), T0 + 10 * HOUR);
    const second = await downloadCandles(onBoundary, { symbol: 'BTC/USDT', timeframe: '1h', from: T0 }, { clock: new InstantClock() });
    expect(times(second.rows).at(-1)).toBe(T0 + 9 * HOUR);
  });

  it('stops at `to`, and starts at the first candle opening at or after `from`', async () => {
    const exchange = new MemoryExchange(hourlyRows(100), T0 + 100 * HOUR);
    const result = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0 + 2 * HOUR + 1, to: T0 + 20 * HOUR + 5 }, { clock: new InstantClock() });
    expect(times(result.rows)[0]).toBe(T0 + 3 * HOUR);
    expect(times(result.rows).at(-1)).toBe(T0 + 20 * HOUR);
    expect(result.rows).toHaveLength(18);
  });

  it('resumes after the last existing candle and never duplicates one', async () => {
    const rows = hourlyRows(300);
    const exchange = new MemoryExchange(rows, T0 + 300 * HOUR);
    const existing = rows.slice(0, 200);
    const result = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0, existing }, { clock: new InstantClock() });
    expect(exchange.calls).toEqual([{ since: T0 + 200 * HOUR, limit: 100 }]);
    expect(result.added).toBe(100);
    expect(times(result.rows)).toEqual(times(rows));
  });

  it('fills holes inside the existing rows and before them, when the exchange has those candles', async () => {
    const rows = hourlyRows(100);
    const exchange = new MemoryExchange(rows, T0 + 100 * HOUR);
    const existing = [...rows.slice(20, 40), ...rows.slice(45)];
    const result = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0, existing }, { clock: new InstantClock() });
    expect(exchange.calls).toEqual([
      { since: T0, limit: 20 },
      { since: T0 + 40 * HOUR, limit: 5 },
    ]);
    expect(result.added).toBe(25);
    expect(result.rows).toEqual(rows);
    expect(result.gaps).toEqual([]);
  });

  it('resumes without `from` from the existing rows alone', async () => {
    const rows = hourlyRows(30);
    const exchange = new MemoryExchange(rows, T0 + 30 * HOUR);
    const result = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', existing: rows.slice(5, 10) }, { clock: new InstantClock() });
    expect(times(result.rows)).toEqual(times(rows.slice(5)));
  });

  it('reports a range the exchange has no candles for as a gap and invents none', async () => {
    const rows = hourlyRows(100).filter((r) => r[0] < T0 + 40 * HOUR || r[0] >= T0 + 46 * HOUR);
    const exchange = new MemoryExchange(rows, T0 + 100 * HOUR);
    const result = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0, pageLimit: 30 }, { clock: new InstantClock() });
    expect(result.rows).toEqual(rows);
    expect(result.gaps).toEqual([{ from: T0 + 39 * HOUR, to: T0 + 46 * HOUR, missing: 6 }]);
    // Asking again for the hole costs one request and still adds nothing.
    const again = new MemoryExchange(rows, T0 + 100 * HOUR);
    const second = await downloadCandles(again, { symbol: 'BTC/USDT', timeframe: '1h', existing: result.rows }, { clock: new InstantClock() });
    expect(again.calls).toEqual([{ since: T0 + 40 * HOUR, limit: 6 }]);
    expect(second.added).toBe(0);
  });

  it('ends quietly when the exchange has nothing from `from` on', async () => {
    const exchange = new MemoryExchange([], T0 + 100 * HOUR);
    const result = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0 }, { clock: new InstantClock() });
    expect(exchange.calls).toHaveLength(1);
    expect(result.rows).toEqual([]);
  });

  it('retries a failing page with exponential backoff and carries on where it was', async () => {
    const rows = hourlyRows(100);
    const exchange = new MemoryExchange(rows, T0 + 100 * HOUR)
      .failNext(new ExchangeNotAvailable('binance 502 Bad Gateway'))
      .failNext(new RequestTimeout('binance request timed out'));
    const clock = new InstantClock();
    const result = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0 }, { clock, retry: policy });
    expect(clock.waits).toEqual([100, 200]);
    expect(exchange.calls.map((c) => c.since)).toEqual([T0, T0, T0]);
    expect(result.rows).toEqual(rows);
  });

  it('waits what Retry-After asks for on a 429', async () => {
    const exchange = new MemoryExchange(hourlyRows(10), T0 + 10 * HOUR).failNext(new DDoSProtection('binance 429 Too Many Requests'), { 'Retry-After': '7' });
    const clock = new InstantClock();
    const notices: boolean[] = [];
    await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0 }, { clock, retry: policy, onRetry: (n) => notices.push(n.retryAfter) });
    expect(clock.waits).toEqual([7000]);
    expect(notices).toEqual([true]);
  });

  it('gives up after the last retry, handing back the candles received so far', async () => {
    // The first page arrives, then every request fails.
    const exchange = new MemoryExchange(hourlyRows(100), T0 + 100 * HOUR).failAfter(1, new ExchangeNotAvailable('binance 503 Service Unavailable'));
    const err = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0, pageLimit: 40 }, { clock: new InstantClock(), retry: policy }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DownloadFailed);
    const failed = err as DownloadFailed;
    expect(failed.added).toBe(40);
    expect(failed.rows).toHaveLength(40);
    expect(failed.cause).toBeInstanceOf(RetriesExhausted);
    expect(failed.cause.message).toMatch(/gave up after 4 attempts: ExchangeNotAvailable: binance 503/);
    expect(exchange.calls).toHaveLength(1 + 1 + policy.maxRetries);
  });

  it('does not retry an error a retry cannot fix', async () => {
    const exchange = new MemoryExchange(hourlyRows(10), T0 + 10 * HOUR).failNext(new BadSymbol('binance {"code":-1121,"msg":"Invalid symbol."}'));
    const clock = new InstantClock();
    const err = await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0 }, { clock, retry: policy }).catch((e: unknown) => e);
    expect((err as DownloadFailed).cause).toBeInstanceOf(BadSymbol);
    expect(clock.waits).toEqual([]);
    expect(exchange.calls).toHaveLength(1);
  });

  it('reports its progress against the most candles there can be', async () => {
    const exchange = new MemoryExchange(hourlyRows(60), T0 + 60 * HOUR);
    const progress: Array<[number, number]> = [];
    await downloadCandles(exchange, { symbol: 'BTC/USDT', timeframe: '1h', from: T0, pageLimit: 25 }, { clock: new InstantClock(), onProgress: (a, b) => progress.push([a, b]) });
    expect(progress).toEqual([[0, 60], [25, 60], [50, 60], [60, 60]]);
  });
});

describe('missingRanges', () => {
  it('lists the stretches of [start, end] that the times leave out', () => {
    const h = (n: number): number => T0 + n * HOUR;
    expect(missingRanges([h(2), h(3), h(6)], h(0), h(9), HOUR)).toEqual([[h(0), h(1)], [h(4), h(5)], [h(7), h(9)]]);
    expect(missingRanges([h(0), h(1)], h(0), h(1), HOUR)).toEqual([]);
    expect(missingRanges([], h(0), h(1), HOUR)).toEqual([[h(0), h(1)]]);
    // Times outside the range do not count.
    expect(missingRanges([h(-5), h(20)], h(0), h(1), HOUR)).toEqual([[h(0), h(1)]]);
  });
});
