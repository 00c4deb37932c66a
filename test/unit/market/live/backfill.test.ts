import { BadSymbol, NetworkError } from 'ccxt';
import { DEFAULT_RETRY_POLICY } from '../../../../src/exchange/with-retries';
import { fetchClosedCandles, lastClosedOpen } from '../../../../src/market/live/backfill';
import { at, FakeLiveExchange, P, SYMBOL, TF } from './fake-live-exchange';
import { SteppingClock } from './stepping-clock';

function setup(now = at(20) + 30_000): { clock: SteppingClock; exchange: FakeLiveExchange; retry: { clock: SteppingClock; policy: typeof DEFAULT_RETRY_POLICY } } {
  const clock = new SteppingClock(now);
  return { clock, exchange: new FakeLiveExchange(clock), retry: { clock, policy: DEFAULT_RETRY_POLICY } };
}

describe('fetchClosedCandles', () => {
  it('pages through a range longer than the exchange serves at once, each candle once, oldest first', async () => {
    const { exchange, retry } = setup();
    exchange.pageLimit = 4;
    const candles = await fetchClosedCandles(exchange, { symbol: SYMBOL, timeframe: TF, from: at(5), to: at(14), pageLimit: 1000 }, retry);
    expect(candles.map((c) => c.time)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map(at));
    expect(candles[0]).toEqual({ symbol: SYMBOL, timeframe: TF, time: at(5), open: 105, high: 107, low: 104, close: 106, volume: 10 });
    expect(exchange.restCalls.map((c) => [c.since, c.limit])).toEqual([
      [at(5), 10],
      [at(9), 6],
      [at(13), 2],
    ]);
  });

  it('asks no more than its page limit per request', async () => {
    const { exchange, retry } = setup();
    await fetchClosedCandles(exchange, { symbol: SYMBOL, timeframe: TF, from: at(0), to: at(9), pageLimit: 3 }, retry);
    expect(exchange.restCalls.map((c) => c.limit)).toEqual([3, 3, 3, 1]);
  });

  it('drops the still-forming candle and anything past the range', async () => {
    const { exchange, retry } = setup();
    const candles = await fetchClosedCandles(exchange, { symbol: SYMBOL, timeframe: TF, from: at(18), to: at(19), pageLimit: 1000 }, retry);
    expect(candles.map((c) => c.time)).toEqual([at(18), at(19)]);
  });

  it('returns nothing for an empty range, or one the exchange has no candles for', async () => {
    const { exchange, retry } = setup();
    expect(await fetchClosedCandles(exchange, { symbol: SYMBOL, timeframe: TF, from: at(5), to: at(4), pageLimit: 10 }, retry)).toEqual([]);
    exchange.missing.add(at(7)).add(at(8));
    const candles = await fetchClosedCandles(exchange, { symbol: SYMBOL, timeframe: TF, from: at(6), to: at(9), pageLimit: 10 }, retry);
    expect(candles.map((c) => c.time)).toEqual([at(6), at(9)]);
    expect(exchange.restCalls).toHaveLength(1);
  });

  it('retries a network error on the clock, and lets a bad symbol through at once', async () => {
    const { clock, exchange, retry } = setup();
    exchange.restFailures.push(new NetworkError('reset'));
    const fetching = fetchClosedCandles(exchange, { symbol: SYMBOL, timeframe: TF, from: at(5), to: at(6), pageLimit: 10 }, retry);
    await clock.run(DEFAULT_RETRY_POLICY.baseDelayMs);
    expect((await fetching).map((c) => c.time)).toEqual([at(5), at(6)]);
    expect(exchange.restCalls.map((c) => c.at - exchange.restCalls[0]!.at)).toEqual([0, DEFAULT_RETRY_POLICY.baseDelayMs]);

    exchange.restFailures.push(new BadSymbol('no such market'));
    await expect(fetchClosedCandles(exchange, { symbol: SYMBOL, timeframe: TF, from: at(5), to: at(6), pageLimit: 10 }, retry)).rejects.toBeInstanceOf(BadSymbol);
  });
});

describe('lastClosedOpen', () => {
  it('is the candle before the current one, once the grace has passed since the close', () => {
    expect(lastClosedOpen(at(10) + 5000, TF, 3000)).toBe(at(9));
    expect(lastClosedOpen(at(10) + 1000, TF, 3000)).toBe(at(8));
    expect(lastClosedOpen(at(10) + 3000, TF, 3000)).toBe(at(9));
    expect(lastClosedOpen(at(10) + P - 1, TF, 0)).toBe(at(9));
  });
});
