import type { SimulatedClock } from '../../../../src/core/simulated-clock';
import type { LiveExchange, LiveTrade, OhlcvValues } from '../../../../src/market/live/types';
import { alignToTimeframe, timeframeMs } from '../../../../src/market/timeframe';

export const TF = '1m';
export const P = timeframeMs(TF);
export const T0 = Date.UTC(2024, 0, 1);
export const SYMBOL = 'BTC/USDT';

/** The final (REST) row of the candle opening at `time`; its prices say which candle it is. */
export function finalRow(time: number): number[] {
  const i = (time - T0) / P;
  return [time, 100 + i, 102 + i, 99 + i, 101 + i, 10];
}

/** A stream version of a candle: the same open, a provisional close and volume. */
export function streamRow(time: number, close = 100.5 + (time - T0) / P, volume = 5): number[] {
  const i = (time - T0) / P;
  return [time, 100 + i, 102 + i, 99 + i, close, volume];
}

interface Deferred<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** Open time of the i-th candle after T0. */
export const at = (i: number): number => T0 + i * P;

/**
 * A scripted exchange. REST serves a candle for every period up to the exchange's "now" (the clock plus
 * `skewMs`), the forming one last with provisional values, like Binance. Watch calls return promises the
 * test resolves or rejects with push/fail; `watchFailure` makes every new watch call reject at once.
 */
export class FakeLiveExchange implements LiveExchange {
  readonly id = 'fake';
  has: Record<string, boolean | undefined> = { watchOHLCV: true, watchTrades: false };
  skewMs = 0;
  /** False: fetchTime answers undefined, like an exchange without a time endpoint. */
  tellsTime = true;
  /** How long a fetchTime takes on the clock. */
  roundTripMs = 0;
  /** The most rows one fetchOHLCV returns, whatever limit is asked. */
  pageLimit = 1000;
  /** Periods the exchange has no candle for (no trades then, and it omits empty candles). */
  readonly missing = new Set<number>();
  readonly restCalls: Array<{ symbol: string; since: number | undefined; limit: number | undefined; at: number }> = [];
  readonly watchCalls: Array<{ symbol: string; at: number }> = [];
  readonly restFailures: Error[] = [];
  watchFailure: Error | undefined;
  /** REST requests never answer (a hung connection). */
  restHangs = false;
  /** Every REST request fails with this while it is set (an outage). */
  restDown: Error | undefined;
  last_response_headers: Record<string, string> | undefined;
  private readonly ohlcvWaiters = new Map<string, Array<Deferred<OhlcvValues[]>>>();
  private readonly tradeWaiters = new Map<string, Array<Deferred<LiveTrade[]>>>();

  constructor(private readonly clock: SimulatedClock) {}

  now(): number {
    return this.clock.now() + this.skewMs;
  }

  async fetchTime(): Promise<number | undefined> {
    if (!this.tellsTime) return undefined;
    // The exchange reads its clock half-way through the round trip.
    if (this.roundTripMs > 0) this.clock.advance(this.roundTripMs / 2);
    const time = this.now();
    if (this.roundTripMs > 0) this.clock.advance(this.roundTripMs / 2);
    return time;
  }

  async fetchOHLCV(symbol: string, _timeframe?: string, since?: number, limit?: number): Promise<number[][]> {
    this.restCalls.push({ symbol, since, limit, at: this.clock.now() });
    if (this.restHangs) return new Promise<number[][]>(() => undefined);
    const failure = this.restDown ?? this.restFailures.shift();
    if (failure) throw failure;
    const forming = alignToTimeframe(this.now(), TF);
    const count = Math.min(limit ?? 500, this.pageLimit);
    const rows: number[][] = [];
    if (since === undefined) {
      for (let t = forming; rows.length < count && t >= T0; t -= P) if (!this.missing.has(t)) rows.unshift(this.row(t, forming));
    } else {
      for (let t = alignToTimeframe(since + P - 1, TF); rows.length < count && t <= forming; t += P) if (!this.missing.has(t)) rows.push(this.row(t, forming));
    }
    return rows;
  }

  watchOHLCV(symbol: string): Promise<OhlcvValues[]> {
    this.watchCalls.push({ symbol, at: this.clock.now() });
    if (this.watchFailure) return Promise.reject(this.watchFailure);
    return waiter(this.ohlcvWaiters, symbol);
  }

  watchTrades(symbol: string): Promise<LiveTrade[]> {
    return waiter(this.tradeWaiters, symbol);
  }

  /** Resolves the pending watchOHLCV of `symbol` with `rows`. */
  pushCandles(symbol: string, rows: number[][]): void {
    take(this.ohlcvWaiters, symbol, 'watchOHLCV').resolve(rows);
  }

  failCandles(symbol: string, error: Error): void {
    take(this.ohlcvWaiters, symbol, 'watchOHLCV').reject(error);
  }

  pushTrades(symbol: string, trades: LiveTrade[]): void {
    take(this.tradeWaiters, symbol, 'watchTrades').resolve(trades);
  }

  failTrades(symbol: string, error: Error): void {
    take(this.tradeWaiters, symbol, 'watchTrades').reject(error);
  }

  waiting(symbol: string): { candles: number; trades: number } {
    return { candles: this.ohlcvWaiters.get(symbol)?.length ?? 0, trades: this.tradeWaiters.get(symbol)?.length ?? 0 };
  }

  private row(time: number, forming: number): number[] {
    return time === forming ? streamRow(time) : finalRow(time);
  }
}

function waiter<T>(waiters: Map<string, Array<Deferred<T>>>, symbol: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const list = waiters.get(symbol) ?? [];
    list.push({ resolve, reject });
    waiters.set(symbol, list);
  });
}

function take<T>(waiters: Map<string, Array<Deferred<T>>>, symbol: string, what: string): Deferred<T> {
  const next = waiters.get(symbol)?.shift();
  if (!next) throw new Error(`no ${what} call of ${symbol} is waiting`);
  return next;
}
