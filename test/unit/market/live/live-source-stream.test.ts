import { BadSymbol, ExchangeClosedByUser, NotSupported } from 'ccxt';
import { at, P, streamRow, SYMBOL } from './fake-live-exchange';
import { candleTimes, range, setupSource } from './setup-source';

describe('CcxtLiveSource over websockets', () => {
  it('emits each closed candle exactly once from overlapping snapshots, continuing right after the warmup', async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(3);
    source.start(rec);
    await clock.run(0);
    exchange.pushCandles(SYMBOL, [streamRow(at(10), 110.2)]);
    await clock.run(1000);
    expect(rec.events).toEqual([]);
    await clock.runTo(at(11) + 500);
    exchange.pushCandles(SYMBOL, [streamRow(at(10), 110.9, 7), streamRow(at(11))]);
    await clock.run(1000);
    exchange.pushCandles(SYMBOL, [streamRow(at(10), 999), streamRow(at(11), 111.3)]);
    await clock.runTo(at(12) + 500);
    exchange.pushCandles(SYMBOL, [streamRow(at(11), 111.6), streamRow(at(12))]);
    await clock.run(0);

    expect(candleTimes(rec)).toEqual(range(10, 11));
    expect(rec.candles().map((c) => [c.close, c.volume])).toEqual([
      [110.9, 7],
      [111.6, 5],
    ]);
    // Warmup only: the stream closed every candle by itself.
    expect(exchange.restCalls).toHaveLength(1);
    expect(rec.notices).toEqual([]);
    await source.stop();
  });

  it('backfills over REST when the stream skips candles, then goes on without a gap or a duplicate', async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(3);
    source.start(rec);
    await clock.run(0);
    exchange.pushCandles(SYMBOL, [streamRow(at(10))]);
    await clock.run(1000);
    // The exchange's clock jumps 3 candles ahead of what was measured at start: before any of our timers
    // for candle 10 fires, the stream shows candle 13, so candles 10 to 12 have closed unseen.
    exchange.skewMs = 3 * P;
    exchange.pushCandles(SYMBOL, [streamRow(at(13))]);
    await clock.run(0);
    expect(candleTimes(rec)).toEqual(range(10, 12));
    // REST's final candle 10 wins over the stream's provisional one.
    expect(rec.candles()[0]!.close).toBe(111);
    expect(exchange.restCalls.at(-1)).toMatchObject({ since: at(10), limit: 3 });
    expect(rec.notices).toEqual([{ level: 'info', message: 'BTC/USDT: backfilled 3 candle(s) over REST, 2024-01-01T00:10:00.000Z to 2024-01-01T00:12:00.000Z' }]);

    exchange.pushCandles(SYMBOL, [streamRow(at(13)), streamRow(at(14))]);
    await clock.run(0);
    expect(candleTimes(rec)).toEqual(range(10, 13));
    await source.stop();
  });

  it('closes a candle over REST when the stream stays quiet past its close and the grace', async () => {
    const { clock, exchange, source, rec } = setupSource({ closeGraceMs: 2000 }, (e) => e.missing.add(at(12)));
    await source.warmup(3);
    source.start(rec);
    await clock.run(0);
    exchange.pushCandles(SYMBOL, [streamRow(at(10))]);
    await clock.runTo(at(11) + 1999);
    expect(rec.events).toEqual([]);
    await clock.run(1);
    expect(candleTimes(rec)).toEqual([at(10)]);
    expect(exchange.restCalls.at(-1)).toMatchObject({ since: at(10), at: at(11) + 2000 });
    // Nothing at all from the stream: each candle is settled once its close has passed, one request each;
    // candle 12 had no trades and the exchange has none for it, so there is nothing to emit.
    await clock.runTo(at(14) + 5000);
    expect(candleTimes(rec)).toEqual([at(10), at(11), at(13)]);
    expect(exchange.restCalls.slice(1).map((c) => c.at)).toEqual([at(11), at(12), at(13), at(14)].map((t) => t + 2000));
    await source.stop();
  });

  it('streams trades as ticks, holding a tick from after a close until its candle is out', async () => {
    const { clock, exchange, source, rec } = setupSource({}, (e) => (e.has = { watchOHLCV: true, watchTrades: true }));
    await source.warmup(3);
    source.start(rec);
    await clock.run(0);
    exchange.pushTrades(SYMBOL, [
      { timestamp: at(10) + 21_000, price: 110.1, amount: 0.5 },
      { timestamp: at(10) + 21_000, price: 110.2, amount: 0.5 },
      { timestamp: at(10) + 22_000, price: 110.3, amount: 1 },
    ]);
    await clock.run(0);
    expect(rec.ticks()).toEqual([
      { symbol: SYMBOL, time: at(10) + 21_000, price: 110.2, volume: 1 },
      { symbol: SYMBOL, time: at(10) + 22_000, price: 110.3, volume: 1 },
    ]);
    await clock.runTo(at(11) + 200);
    exchange.pushTrades(SYMBOL, [{ timestamp: at(11) + 100, price: 111.1, amount: 1 }]);
    await clock.run(0);
    expect(rec.ticks()).toHaveLength(2);
    exchange.pushCandles(SYMBOL, [streamRow(at(10)), streamRow(at(11))]);
    await clock.run(0);
    expect(rec.events.map((e) => (e.kind === 'tick' ? `tick ${e.tick.time - at(10)}` : `candle ${e.candle.time - at(10)}`))).toEqual([
      'tick 21000',
      'tick 22000',
      'candle 0',
      `tick ${P + 100}`,
    ]);
    expect(rec.refusedByGuard()).toEqual([]);
    await source.stop();
  });

  it('ends the feed of a symbol on an error retrying cannot fix, and keeps the others going', async () => {
    const { clock, exchange, source, rec } = setupSource({ symbols: ['BAD/USDT', SYMBOL] });
    await source.warmup(1);
    source.start(rec);
    await clock.run(0);
    exchange.failCandles('BAD/USDT', new BadSymbol('binance does not have market symbol BAD/USDT'));
    await clock.run(0);
    expect(rec.failed).toEqual([{ symbol: 'BAD/USDT', error: expect.any(BadSymbol) }]);
    await clock.runTo(at(11) + 500);
    exchange.pushCandles(SYMBOL, [streamRow(at(10)), streamRow(at(11))]);
    await clock.run(60_000);
    expect(candleTimes(rec)).toEqual([at(10)]);
    expect(exchange.watchCalls.filter((c) => c.symbol === 'BAD/USDT')).toHaveLength(1);
    await source.stop();
  });

  it('falls back to REST polling when the exchange turns out not to stream candles', async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(3);
    source.start(rec);
    await clock.run(0);
    exchange.failCandles(SYMBOL, new NotSupported('fake watchOHLCV() is not supported yet'));
    await clock.runTo(at(11) + 10_000);
    expect(rec.warnings()).toEqual(['BTC/USDT: no candle stream (NotSupported: fake watchOHLCV() is not supported yet); polling REST every 15 s instead']);
    expect(candleTimes(rec)).toEqual([at(10)]);
    expect(exchange.watchCalls).toHaveLength(1);
    await source.stop();
  });

  it("ends quietly when the exchange's connections are closed under it", async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(1);
    source.start(rec);
    await clock.run(0);
    exchange.failCandles(SYMBOL, new ExchangeClosedByUser('Connection closed by the user'));
    await clock.run(60_000);
    expect(rec.notices).toEqual([{ level: 'info', message: 'BTC/USDT: the exchange connection was closed; its feed ends' }]);
    expect(rec.failed).toEqual([]);
    expect(exchange.watchCalls).toHaveLength(1);
    await source.stop();
  });
});
