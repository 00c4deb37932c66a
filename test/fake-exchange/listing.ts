import { isTimeframe, timeframeMs } from '../../src/market/timeframe';
import { ticker24hr, type FakeMarket } from './binance-format';
import { BinanceError } from './binance-error';
import type { CandleTrack } from './candle-track';
import { selectKlines } from './klines';

/** One market of the fake exchange: its filters and its candles. */
export interface Listed {
  market: FakeMarket;
  track: CandleTrack;
}

const DAY_MS = 86_400_000;

/** Length of a kline interval the market can serve; -1120 when it is not one, or not whole base candles. */
export function intervalMsOf(entry: Listed, interval: string): number {
  if (!isTimeframe(interval)) throw new BinanceError(400, -1120, 'Invalid interval.');
  const intervalMs = timeframeMs(interval);
  // The fake can only roll base candles up, never split them.
  if (intervalMs % entry.track.periodMs !== 0) throw new BinanceError(400, -1120, 'Invalid interval.');
  return intervalMs;
}

/** The 24-hour rolling ticker at exchange time `t`, from the base candles in that window. */
export function tickerAt(entry: Listed, t: number): Record<string, unknown> {
  const { track } = entry;
  const window = selectKlines(track.upTo(t), { interval: track.timeframe, intervalMs: track.periodMs, startTime: t - DAY_MS + 1, limit: Infinity }, t);
  return ticker24hr(entry.market, window, t);
}
