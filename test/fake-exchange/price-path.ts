import { defaultStartPrice } from '../../src/market/simulated-market';
import type { Candle } from '../../src/market/types';
import { onStep, type FakeMarket } from './binance-format';
import type { CandleTrack } from './candle-track';

/**
 * The price path the fake exchange plays: one step per base candle, taken when exchange time reaches the
 * candle's open time. A step trades its whole range at once, so "the price now" is the close of the candle
 * containing now. That is exactly what the klines and the ticker show for the forming candle, so a market
 * order fills at the price the bot last saw, and a resting limit order fills on the first later step whose
 * range reaches it.
 */
/** A base candle without its symbol and timeframe (the market and the track hold those); `time` is its open. */
export type PriceStep = Omit<Candle, 'symbol' | 'timeframe'>;

/** The candle rounded to the market's tick, as the klines show it. */
export function toStep(candle: Candle, market: FakeMarket): PriceStep {
  const tick = (p: number): number => Number(onStep(p, market.tickSize));
  return { time: candle.time, open: tick(candle.open), high: tick(candle.high), low: tick(candle.low), close: tick(candle.close), volume: candle.volume };
}

/** The last trade price at exchange time `t`: the close of the last candle opened by then. */
export function lastPriceAt(track: CandleTrack, market: FakeMarket, t: number): number {
  const candles = track.upTo(t);
  const i = firstAfter(candles, t) - 1;
  const candle = candles[i];
  // Before the first candle (or a market with none yet) the price is where generated candles start.
  return candle ? toStep(candle, market).close : Number(onStep(defaultStartPrice(market.symbol), market.tickSize));
}

/** The steps taken when time moves from `after` to `upTo`: candles opening in (after, upTo], ascending. */
export function stepsBetween(track: CandleTrack, market: FakeMarket, after: number, upTo: number): PriceStep[] {
  if (upTo <= after) return [];
  const candles = track.upTo(upTo);
  const from = firstAfter(candles, after);
  const to = firstAfter(candles, upTo);
  return candles.slice(from, to).map((c) => toStep(c, market));
}

/** Index of the first candle opening after `t`. */
function firstAfter(candles: readonly Candle[], t: number): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (candles[mid]!.time <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
