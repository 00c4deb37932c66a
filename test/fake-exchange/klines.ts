import { alignToTimeframe } from '../../src/market/timeframe';
import type { Candle } from '../../src/market/types';

export interface KlineQuery {
  /** Open time of the candle interval, e.g. '1h'; a whole multiple of the base candles. */
  interval: string;
  intervalMs: number;
  startTime?: number;
  endTime?: number;
  limit: number;
}

/** One kline as Binance computes it, before formatting: an interval's base candles rolled into one. */
export interface Kline extends Omit<Candle, 'symbol' | 'timeframe'> {
  /** Base candles it was made of; a kline still forming at "now" has fewer than a full interval's worth. */
  parts: number;
}

/**
 * The klines Binance returns for a query, from ascending base candles, at exchange time `now`:
 * - with startTime: the first `limit` klines opening at or after it (and at or before endTime), so a range
 *   without candles is skipped, not padded;
 * - without: the last `limit` klines opening at or before endTime (or now).
 * The kline containing `now` is included, made of the base candles opened so far: Binance serves the
 * forming candle too, and a client has to leave it out itself.
 */
export function selectKlines(base: readonly Candle[], query: KlineQuery, now: number): Kline[] {
  const last = Math.min(query.endTime ?? Infinity, now);
  if (query.startTime !== undefined) return forward(base, query, Math.max(query.startTime, 0), last, now);
  return backward(base, query, last, now);
}

function forward(base: readonly Candle[], query: KlineQuery, startTime: number, last: number, now: number): Kline[] {
  const out: Kline[] = [];
  // The kline containing startTime opened before it and is not asked for.
  let from = alignToTimeframe(startTime, query.interval);
  if (from < startTime) from += query.intervalMs;
  let i = lowerBound(base, from);
  while (out.length < query.limit && i < base.length) {
    const open = alignToTimeframe(base[i]!.time, query.interval);
    if (open > last || base[i]!.time > now) break;
    const kline = rollUp(base, i, open + query.intervalMs, now);
    out.push({ ...kline, time: open });
    i += kline.parts;
    i = lowerBound(base, open + query.intervalMs, i);
  }
  return out;
}

function backward(base: readonly Candle[], query: KlineQuery, last: number, now: number): Kline[] {
  const out: Kline[] = [];
  // Index just past the last base candle of the last kline that may be returned.
  let end = lowerBound(base, Math.min(alignToTimeframe(last, query.interval) + query.intervalMs, now + 1));
  while (out.length < query.limit && end > 0) {
    const open = alignToTimeframe(base[end - 1]!.time, query.interval);
    const start = lowerBound(base, open);
    const kline = rollUp(base, start, open + query.intervalMs, now);
    if (kline.parts > 0) out.push({ ...kline, time: open });
    end = start;
  }
  return out.reverse();
}

function rollUp(base: readonly Candle[], start: number, before: number, now: number): Omit<Kline, 'time'> {
  const first = base[start]!;
  let { high, low, close, volume } = first;
  let parts = 1;
  for (let i = start + 1; i < base.length && base[i]!.time < before && base[i]!.time <= now; i++) {
    const c = base[i]!;
    if (c.high > high) high = c.high;
    if (c.low < low) low = c.low;
    close = c.close;
    volume += c.volume;
    parts++;
  }
  return { open: first.open, high, low, close, volume, parts };
}

/** First index at or after `from` whose candle opens at or after `time`. */
function lowerBound(base: readonly Candle[], time: number, from = 0): number {
  let lo = from;
  let hi = base.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (base[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
