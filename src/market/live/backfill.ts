import { withRetries, type RetryContext } from '../../exchange/with-retries';
import { alignToTimeframe, timeframeMs } from '../timeframe';
import type { Candle } from '../types';
import { byTimeLastWins, ohlcvCandle } from './ohlcv-candle';
import type { LiveExchange } from './types';

export interface ClosedCandlesRequest {
  symbol: string;
  timeframe: string;
  /** Open time of the first candle wanted: the one after the last emitted. */
  from: number;
  /** Open time of the last candle wanted: the last closed one; anything later is still forming and dropped. */
  to: number;
  /** Candles asked per request; an exchange that returns fewer is paged on from the last one received. */
  pageLimit: number;
}

/**
 * The closed candles opening in [from, to] over REST, oldest first, one per time, paged the way ccxt
 * pages (`since` right after the last candle received). Transient errors are retried by withRetries; a
 * range the exchange has no candles for comes back empty rather than invented.
 */
export async function fetchClosedCandles(exchange: Pick<LiveExchange, 'fetchOHLCV'>, request: ClosedCandlesRequest, retry: RetryContext): Promise<Candle[]> {
  const { symbol, timeframe, from, to } = request;
  const periodMs = timeframeMs(timeframe);
  const candles: Candle[] = [];
  let since = from;
  while (since <= to) {
    const limit = Math.max(1, Math.min(request.pageLimit, Math.floor((to - since) / periodMs) + 1));
    const page = await withRetries(() => exchange.fetchOHLCV(symbol, timeframe, since, limit), retry);
    let lastReceived = -Infinity;
    for (const row of page) {
      const candle = ohlcvCandle(symbol, timeframe, row);
      if (!candle) continue;
      lastReceived = Math.max(lastReceived, candle.time);
      if (candle.time >= since && candle.time <= to) candles.push(candle);
    }
    // Nothing at or after `since`: the exchange has no more candles in the range.
    if (lastReceived < since) break;
    since = lastReceived + periodMs;
  }
  return byTimeLastWins(candles);
}

/**
 * Open time of the last candle closed at `exchangeNow`. The grace keeps a candle that closed a moment ago
 * by our estimate of the exchange's clock, but may still be forming by its real clock, out.
 */
export function lastClosedOpen(exchangeNow: number, timeframe: string, graceMs: number): number {
  return alignToTimeframe(exchangeNow - graceMs, timeframe) - timeframeMs(timeframe);
}
