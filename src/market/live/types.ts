import type { Candle, MarketEvent } from '../types';

/** One ccxt OHLCV row, [open time ms, open, high, low, close, volume]; ccxt leaves a value undefined when the exchange omits it. */
export type OhlcvValues = ReadonlyArray<number | undefined>;

/** The fields of a ccxt Trade a tick needs; ccxt types them all as possibly undefined. */
export interface LiveTrade {
  timestamp?: number | undefined;
  price?: number | undefined;
  amount?: number | undefined;
}

/**
 * What the live source needs of a ccxt exchange. A `ccxt.pro` instance is one (its `has` says which
 * watch methods really work: the base class declares them all, throwing NotSupported); tests pass scripted
 * objects. Optional parameters only, so the real methods with their extra `params` still fit.
 */
export interface LiveExchange {
  readonly id?: string;
  readonly has: Readonly<Record<string, boolean | string | undefined>>;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<ReadonlyArray<OhlcvValues>>;
  /** ccxt pro: the candles updated since the previous call for this symbol, the last one usually still forming. */
  watchOHLCV?(symbol: string, timeframe?: string): Promise<ReadonlyArray<OhlcvValues>>;
  /** ccxt pro: the trades received since the previous call, oldest first. */
  watchTrades?(symbol: string): Promise<ReadonlyArray<LiveTrade>>;
  /** The exchange's clock in ms; undefined when it has no time endpoint. */
  fetchTime(): Promise<number | undefined>;
  /** ccxt: the headers of the last REST response, Retry-After among them. */
  readonly last_response_headers?: Record<string, string> | undefined;
}

export interface StaleNotice {
  symbols: string[];
  /** Local clock time of the oldest last update among `symbols`. */
  lastUpdate: number;
  thresholdMs: number;
}

export interface ResumedNotice {
  symbols: string[];
  /** Longest silence among `symbols`, from the last update before it to the first one after. */
  staleForMs: number;
}

export interface LiveFeedHandlers {
  /** Ticks and closed candles, in time order per symbol, each closed candle exactly once, no gaps the exchange could fill. */
  onEvents(events: MarketEvent[]): void;
  onStale(notice: StaleNotice): void;
  onResumed(notice: ResumedNotice): void;
  /** Reconnects, backfills, clock skew, fallbacks: one sentence each. */
  onNotice(level: 'info' | 'warn', message: string): void;
  /**
   * The feed of `symbol` ended for good on an error retrying cannot fix (BadSymbol, NotSupported...); the
   * other symbols go on. The DataAgent decides whether the run can continue without it.
   */
  onSymbolFailed(symbol: string, error: Error): void;
  /** A symbol's data connection failed (`connected` false, with the error's class as `kind`) or answers again. */
  onConnection?(symbol: string, connected: boolean, reason: string, kind?: string): void;
}

export interface LiveMarketSource {
  readonly kind: 'live';
  readonly description: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /**
   * The last `limit` closed candles per symbol, ordered by time (symbols in their configured order at equal
   * times), fetched over REST before the live stream starts. The stream then continues right after them.
   */
  warmup(limit: number): Promise<Candle[]>;
  start(handlers: LiveFeedHandlers): void;
  /** Ends every loop promptly; no handler is called once it resolves. Closing ccxt's websockets (`exchange.close()`) stays the caller's job. */
  stop(): Promise<void>;
}
