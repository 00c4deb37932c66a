import { NetworkError } from 'ccxt';
import { at, P, streamRow, SYMBOL } from './fake-live-exchange';
import { candleTimes, range, setupSource } from './setup-source';

const dropped = (): NetworkError => new NetworkError('connection closed by remote server, closing code 1006');

describe('CcxtLiveSource reconnecting', () => {
  it('backs off 500 ms doubling to 30 s on the clock, then backfills the missed candles: no gap, no duplicate', async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(3);
    source.start(rec);
    await clock.run(0);
    exchange.pushCandles(SYMBOL, [streamRow(at(10))]);
    await clock.run(0);
    const failedAt = clock.now();
    exchange.watchFailure = dropped();
    exchange.failCandles(SYMBOL, dropped());
    await clock.runTo(failedAt + 91_000);
    exchange.watchFailure = undefined;
    await clock.runTo(failedAt + 91_500);

    const calls = exchange.watchCalls.map((c) => c.at);
    const waits = calls.slice(2).map((t, i) => t - calls[i + 1]!);
    expect(calls.slice(0, 2)).toEqual([failedAt, failedAt]);
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(rec.warnings()[0]).toBe('BTC/USDT: the candle stream failed (NetworkError: connection closed by remote server, closing code 1006); reconnecting in 500 ms');
    expect(rec.warnings().at(-1)).toMatch(/reconnecting in 30000 ms$/);
    // Before the last watch call (51.5 s into candle 11), REST filled what closed meanwhile: candle 10, final.
    expect(clock.now()).toBe(at(11) + 51_500);
    expect(rec.candles().map((c) => [c.time, c.close])).toEqual([[at(10), 111]]);

    exchange.pushCandles(SYMBOL, [streamRow(at(11))]);
    await clock.runTo(at(12) + 500);
    exchange.pushCandles(SYMBOL, [streamRow(at(11)), streamRow(at(12))]);
    await clock.runTo(at(13) + 500);
    exchange.pushCandles(SYMBOL, [streamRow(at(12)), streamRow(at(13))]);
    await clock.run(0);
    expect(candleTimes(rec)).toEqual(range(10, 12));
    expect(rec.refusedByGuard()).toEqual([]);
    expect(rec.notices.filter((n) => n.level === 'info').map((n) => n.message)).toEqual([
      'BTC/USDT: backfilled 1 candle(s) over REST, 2024-01-01T00:10:00.000Z to 2024-01-01T00:10:00.000Z',
      'BTC/USDT: data flows again after 8 failed attempt(s)',
    ]);
    await source.stop();
  });

  it('does not close the candle it was forming before the drop with its stale stream version', async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(3);
    source.start(rec);
    await clock.run(0);
    exchange.pushCandles(SYMBOL, [streamRow(at(10), 110.2)]);
    await clock.runTo(at(11) - 1000);
    exchange.failCandles(SYMBOL, dropped());
    // The reconnect comes 500 ms later, before candle 10 closes: nothing to backfill yet.
    await clock.run(500);
    expect(exchange.watchCalls).toHaveLength(3);
    await clock.runTo(at(11) + 1000);
    // ccxt's cache still holds candle 10 as it was before the drop; REST has its final version.
    exchange.pushCandles(SYMBOL, [streamRow(at(10), 110.2), streamRow(at(11))]);
    await clock.run(0);
    expect(rec.candles().map((c) => [c.time, c.close])).toEqual([[at(10), 111]]);
    expect(exchange.restCalls.at(-1)).toMatchObject({ since: at(10), limit: 1 });
    await source.stop();
  });

  it('resets the backoff once data flows again', async () => {
    const { clock, exchange, source, rec } = setupSource();
    await source.warmup(1);
    source.start(rec);
    await clock.run(0);
    for (let i = 0; i < 3; i++) {
      exchange.failCandles(SYMBOL, dropped());
      await clock.run(P / 4);
      exchange.pushCandles(SYMBOL, [streamRow(at(10))]);
      await clock.run(0);
    }
    expect(rec.warnings().map((w) => w.replace(/.*; /, ''))).toEqual(['reconnecting in 500 ms', 'reconnecting in 500 ms', 'reconnecting in 500 ms']);
    await source.stop();
  });

  it('retries a failing poll like a dropped stream, and fills the candles missed meanwhile', async () => {
    const { clock, exchange, source, rec } = setupSource({ transport: 'poll' });
    await source.warmup(3);
    exchange.restFailures.push(dropped(), dropped(), dropped());
    source.start(rec);
    await clock.run(0);
    await clock.runTo(at(11) + 30_000);
    expect(rec.warnings()).toEqual([
      'BTC/USDT: polling failed (NetworkError: connection closed by remote server, closing code 1006); retrying in 500 ms',
      'BTC/USDT: polling failed (NetworkError: connection closed by remote server, closing code 1006); retrying in 1000 ms',
      'BTC/USDT: polling failed (NetworkError: connection closed by remote server, closing code 1006); retrying in 2000 ms',
    ]);
    expect(candleTimes(rec)).toEqual([at(10)]);
    await source.stop();
  });
});
