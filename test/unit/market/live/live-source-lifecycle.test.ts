import { NetworkError } from 'ccxt';
import type { Exchange, pro } from 'ccxt';
import type { LiveExchange } from '../../../../src/market/live/types';
import { at, streamRow, SYMBOL } from './fake-live-exchange';
import { setupSource } from './setup-source';

// Compile-time: the real ccxt pro exchange satisfies the interface the source needs (checked by tsc).
const asLiveExchange = (exchange: InstanceType<typeof pro.binance>): LiveExchange => exchange;
const anyCcxtExchange = (exchange: Exchange): LiveExchange => exchange;

describe('CcxtLiveSource staleness', () => {
  it('reports symbols stale after three silent candle periods, then resumed with the length of the silence', async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(1);
    const start = clock.now();
    source.start(rec);
    await clock.run(180_000);
    expect(rec.stale).toEqual([]);
    await clock.run(5000);
    expect(rec.stale).toEqual([{ symbols: [SYMBOL], lastUpdate: start, thresholdMs: 180_000 }]);
    await clock.runTo(start + 200_000);
    exchange.pushCandles(SYMBOL, [streamRow(at(13))]);
    await clock.run(5000);
    expect(rec.resumed).toEqual([{ symbols: [SYMBOL], staleForMs: 200_000 }]);
    expect(rec.stale).toHaveLength(1);
    await source.stop();
  });

  it('expects updates at the poll interval when polling, so an outage shows within a minute', async () => {
    const { clock, exchange, source, rec } = setupSource({ symbols: [SYMBOL, 'ETH/USDT'] }, (e) => (e.has = {}));
    await source.warmup(1);
    source.start(rec);
    await clock.run(1000);
    const lastPoll = clock.now() - 1000;
    exchange.restDown = new NetworkError('down');
    await clock.run(65_000);
    expect(rec.stale).toEqual([{ symbols: [SYMBOL, 'ETH/USDT'], lastUpdate: lastPoll, thresholdMs: 60_000 }]);
    exchange.restDown = undefined;
    await clock.run(60_000);
    expect(rec.resumed).toHaveLength(1);
    expect(rec.resumed[0]!.symbols).toEqual([SYMBOL, 'ETH/USDT']);
    await source.stop();
  });
});

describe('CcxtLiveSource clock skew', () => {
  it("warns at start when the exchange's clock is off by more than the threshold", async () => {
    const { clock, source, rec } = setupSource({}, (e) => {
      e.skewMs = 2500;
      e.roundTripMs = 300;
    });
    source.start(rec);
    await clock.run(0);
    expect(rec.warnings()).toEqual([
      "the exchange's clock is 2500 ms ahead of ours (±150 ms); candle closes are judged by the exchange's clock, but check this machine's time sync",
    ]);
    await source.stop();
  });

  it('says so when the exchange is on this machine, as a local fake replaying an old market is', async () => {
    const { clock, source, rec } = setupSource({ localExchange: 'localhost:8080' }, (e) => {
      e.skewMs = -3 * 86_400_000;
      e.roundTripMs = 20;
    });
    source.start(rec);
    await clock.run(0);
    expect(rec.warnings()).toEqual([
      "the exchange's clock is 3 days behind ours (±10 ms), as expected if exchange.baseUrl (localhost:8080, this machine) is a local exchange replaying a recorded market; candle closes are judged by the exchange's clock",
    ]);
    await source.stop();
  });

  it('stays quiet below the threshold, and says so when the exchange has no clock to read', async () => {
    const small = setupSource({ skewWarnMs: 1000 }, (e) => (e.skewMs = -900));
    await small.source.warmup(1);
    small.source.start(small.rec);
    await small.clock.run(0);
    expect(small.rec.notices).toEqual([]);
    await small.source.stop();

    const none = setupSource({}, (e) => (e.tellsTime = false));
    none.source.start(none.rec);
    await none.clock.run(0);
    expect(none.rec.warnings()).toEqual(['the exchange does not tell its time; candle closes are judged by our own clock']);
    await none.source.stop();
  });
});

describe('CcxtLiveSource stop', () => {
  it('ends every loop at once although the watch calls never answer, and leaves no timer behind', async () => {
    const { clock, exchange, source, rec } = setupSource({}, (e) => (e.has = { watchOHLCV: true, watchTrades: true }));
    await source.warmup(1);
    source.start(rec);
    await clock.run(0);
    expect(exchange.waiting(SYMBOL)).toEqual({ candles: 1, trades: 1 });
    await source.stop();
    expect(clock.pendingTimers()).toBe(0);
    // Answers after stop go nowhere, and nothing asks the exchange again.
    exchange.pushCandles(SYMBOL, [streamRow(at(10)), streamRow(at(11))]);
    exchange.failTrades(SYMBOL, new NetworkError('closed'));
    await clock.run(600_000);
    expect(rec.events).toEqual([]);
    expect(rec.notices).toEqual([]);
    expect(exchange.watchCalls).toHaveLength(1);
    expect(exchange.restCalls).toHaveLength(1);
  });

  it('ends a loop waiting out a reconnect backoff', async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(1);
    source.start(rec);
    await clock.run(0);
    exchange.failCandles(SYMBOL, new NetworkError('dropped'));
    await clock.run(100);
    await source.stop();
    expect(clock.pendingTimers()).toBe(0);
    await clock.run(60_000);
    expect(exchange.watchCalls).toHaveLength(1);
  });

  it('ends a loop waiting on a REST request that never answers', async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(1);
    source.start(rec);
    exchange.restHangs = true;
    // Past candle 10's close and the grace: the loop asks REST for it, and waits.
    await clock.runTo(at(11) + 4000);
    expect(exchange.restCalls).toHaveLength(2);
    await source.stop();
    expect(clock.pendingTimers()).toBe(0);
    expect(rec.events).toEqual([]);
  });

  it('refuses to start twice and to warm up once started, and starts again after a stop (a restarted DataAgent)', async () => {
    const { source, rec } = setupSource();
    source.start(rec);
    expect(() => source.start(rec)).toThrow(/already running/);
    await expect(source.warmup(1)).rejects.toThrow(/before start/);
    await source.stop();
    await source.stop();

    source.start(rec);
    expect(() => source.start(rec)).toThrow(/already running/);
    await source.stop();
    expect([typeof asLiveExchange, typeof anyCcxtExchange]).toEqual(['function', 'function']);
  });
});
