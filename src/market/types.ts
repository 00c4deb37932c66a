/** Market data as every part of the bot sees it, whatever its source (simulated, replayed, live). */

/** One OHLCV candle. `time` is the candle's open time in ms since the epoch, as ccxt gives it. */
export interface Candle {
  symbol: string;
  timeframe: string;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One trade print (or simulated price step). */
export interface Tick {
  symbol: string;
  time: number;
  price: number;
  volume: number;
}

/**
 * The closed candles of one candle period, every symbol's in the order the market gave them (live data:
 * the candles that arrived together). Played in phases (see PERIOD_PHASES in bus/topics.ts), each
 * phase's message carrying this same payload.
 */
export interface MarketPeriod {
  /** The period's open time, as its candles carry it (live data: the newest one's). */
  time: number;
  readonly candles: readonly Candle[];
}

export interface MarketEnded {
  /** Candle periods played. */
  candles: number;
  reason: string;
}

export interface HistoryRequest {
  symbol: string;
  timeframe: string;
  /** The last `limit` candles; all kept ones when absent. */
  limit?: number;
}

export type MarketEvent = { kind: 'tick'; tick: Tick } | { kind: 'candle'; candle: Candle };

/**
 * A source of market events the DataAgent pulls from, one candle period at a time, so a simulated or
 * replayed market can be paced by the clock or run flat out in a backtest.
 */
export interface MarketSource {
  /** One line for the banner, e.g. "simulated market (seed 7): BTC/USDT, ETH/USDT on 1m". */
  readonly description: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /**
   * The events of the next candle period for every symbol, in time order: the period's ticks, then the
   * candles that closed. Undefined when the source has no more data. The array and its events are the
   * source's: it may reuse them on the next call (a replay does), so read them before asking again.
   */
  next(): readonly MarketEvent[] | undefined;
}
