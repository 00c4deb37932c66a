import { at, FakeLiveExchange, SYMBOL, T0, TF } from './fake-live-exchange';
import { range, setupSource } from './setup-source';

describe('CcxtLiveSource warmup', () => {
  it('returns the requested number of closed candles, oldest first, never the forming one', async () => {
    const { source, exchange } = setupSource();
    const candles = await source.warmup(5);
    expect(candles.map((c) => c.time)).toEqual(range(5, 9));
    expect(candles.at(-1)).toEqual({ symbol: SYMBOL, timeframe: TF, time: at(9), open: 109, high: 111, low: 108, close: 110, volume: 10 });
    expect(exchange.restCalls).toEqual([{ symbol: SYMBOL, since: at(5), limit: 5, at: expect.any(Number) }]);
  });

  it('pages when the count is more than the exchange serves per request', async () => {
    const { source, exchange } = setupSource({ pageLimit: 4 }, (e) => (e.pageLimit = 3));
    const candles = await source.warmup(10);
    expect(candles.map((c) => c.time)).toEqual(range(0, 9));
    expect(exchange.restCalls.map((c) => [c.since, c.limit])).toEqual([
      [at(0), 4],
      [at(3), 4],
      [at(6), 4],
      [at(9), 1],
    ]);
  });

  it('orders the candles of several symbols by time, symbols in their given order', async () => {
    const { source } = setupSource({ symbols: ['ETH/USDT', 'BTC/USDT'] });
    const candles = await source.warmup(2);
    expect(candles.map((c) => [c.symbol, c.time - T0])).toEqual([
      ['ETH/USDT', at(8) - T0],
      ['BTC/USDT', at(8) - T0],
      ['ETH/USDT', at(9) - T0],
      ['BTC/USDT', at(9) - T0],
    ]);
  });

  it("judges what is closed by the exchange's clock, not ours", async () => {
    // Our clock says 1 s into candle 10; the exchange's is 5 s ahead, past the 3 s grace after candle 9 closed.
    const { source } = setupSource({}, (e) => (e.skewMs = 5000), at(10) + 1000);
    expect((await source.warmup(2)).map((c) => c.time)).toEqual(range(8, 9));
    const behind = setupSource({}, (e) => (e.skewMs = 0), at(10) + 1000);
    expect((await behind.source.warmup(2)).map((c) => c.time)).toEqual(range(7, 8));
  });

  it('fetches nothing for a warmup of 0 candles, and refuses a negative count', async () => {
    const { source, exchange } = setupSource();
    expect(await source.warmup(0)).toEqual([]);
    expect(exchange.restCalls).toEqual([]);
    await expect(source.warmup(-1)).rejects.toThrow(RangeError);
  });

  it('describes itself with the transport it will use', () => {
    expect(setupSource().source.description).toBe('live market (fake, websocket candles): BTC/USDT on 1m');
    const withTrades = setupSource({}, (e: FakeLiveExchange) => (e.has = { watchOHLCV: true, watchTrades: true }));
    expect(withTrades.source.description).toBe('live market (fake, websocket candles and trades): BTC/USDT on 1m');
    const polled = setupSource({}, (e: FakeLiveExchange) => (e.has = {}));
    expect(polled.source.transport).toBe('poll');
    expect(polled.source.description).toBe('live market (fake, REST polls every 15 s): BTC/USDT on 1m');
    expect(setupSource({ transport: 'poll', pollIntervalMs: 5000 }).source.description).toContain('REST polls every 5 s');
  });
});
