import { NetworkError } from 'ccxt';
import { at, SYMBOL } from './fake-live-exchange';
import { candleTimes, range, setupSource } from './setup-source';

describe('CcxtLiveSource polling REST', () => {
  it('polls on the clock where the exchange has no websocket, closing candles by the exchange clock and ticking the forming price', async () => {
    const { clock, exchange, source, rec } = setupSource({}, (e) => (e.has = {}));
    await source.warmup(3);
    const start = clock.now();
    source.start(rec);
    await clock.runTo(at(11) + 5000);
    // The default interval: a quarter of the 1m timeframe, at most 15 s.
    // Each poll asks for the forming candle and the two before it.
    expect(exchange.restCalls.slice(1).map((c) => [c.at - start, c.since, c.limit])).toEqual([
      [0, at(8), 3],
      [15_000, at(8), 3],
      [30_000, at(8), 3],
      [45_000, at(9), 3],
    ]);
    expect(rec.events).toEqual([
      { kind: 'tick', tick: { symbol: SYMBOL, time: at(10) + 20_000, price: 110.5, volume: 5 } },
      { kind: 'candle', candle: { symbol: SYMBOL, timeframe: '1m', time: at(10), open: 110, high: 112, low: 109, close: 111, volume: 10 } },
      { kind: 'tick', tick: { symbol: SYMBOL, time: at(11) + 5000, price: 111.5, volume: 5 } },
    ]);
    expect(rec.refusedByGuard()).toEqual([]);
    await source.stop();
  });

  it('is used when asked for, even where the exchange has websockets', async () => {
    const { clock, exchange, source, rec } = setupSource({ transport: 'poll', pollIntervalMs: 5000 });
    await source.warmup(1);
    source.start(rec);
    await clock.run(20_000);
    expect(exchange.watchCalls).toEqual([]);
    expect(exchange.restCalls.slice(1).map((c) => c.at - exchange.restCalls[1]!.at)).toEqual([0, 5000, 10_000, 15_000, 20_000]);
    await source.stop();
  });

  it('leaves a period the exchange has no candle for empty, asking for it once', async () => {
    const { clock, exchange, source, rec } = setupSource({}, (e) => {
      e.has = {};
      e.missing.add(at(11));
    });
    await source.warmup(3);
    source.start(rec);
    await clock.runTo(at(14) + 5000);
    expect(candleTimes(rec)).toEqual([at(10), at(12), at(13)]);
    // One backfill request for candle 11 alone (polls ask for three candles at a time).
    expect(exchange.restCalls.filter((c) => c.since === at(11) && c.limit === 1)).toHaveLength(1);
    await source.stop();
  });

  it('fills the candles closed during a long outage page by page', async () => {
    const { clock, exchange, source, rec } = setupSource({ pageLimit: 4 }, (e) => (e.has = {}));
    await source.warmup(3);
    source.start(rec);
    await clock.run(1000);
    exchange.restDown = new NetworkError('down');
    await clock.runTo(at(22) + 30_000);
    expect(candleTimes(rec)).toEqual([]);
    exchange.restDown = undefined;
    await clock.runTo(at(25) + 20_000);
    expect(candleTimes(rec)).toEqual(range(10, 24));
    expect(rec.refusedByGuard()).toEqual([]);
    // Candles 10 to 21 closed during the outage: 12 of them, 4 per request.
    const backfill = exchange.restCalls.filter((c) => c.limit === 4 && c.at > at(22) + 30_000);
    expect(backfill.map((c) => [c.since, c.limit])).toEqual([
      [at(10), 4],
      [at(14), 4],
      [at(18), 4],
    ]);
    expect(rec.notices.filter((n) => n.level === 'info').map((n) => n.message)).toEqual([
      'BTC/USDT: backfilled 12 candle(s) over REST, 2024-01-01T00:10:00.000Z to 2024-01-01T00:21:00.000Z',
      expect.stringMatching(/^BTC\/USDT: data flows again after \d+ failed attempt\(s\)$/),
    ]);
    await source.stop();
  });
});
