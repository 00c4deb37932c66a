import type { Clock } from '../../core/clock';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from '../../exchange/with-retries';
import { timeframeMs } from '../timeframe';
import type { Candle } from '../types';
import { fetchClosedCandles, lastClosedOpen } from './backfill';
import { CandleCloser } from './candle-closer';
import { clockSkewWarning, measureClockSkew, type ClockSkew } from './clock-skew';
import { DEFAULT_RECONNECT_POLICY, type ReconnectPolicy } from './reconnect';
import { Scope } from './scope';
import { StaleGuard, type StaleTransition } from './stale-guard';
import { SymbolFeed, type FeedSettings } from './symbol-feed';
import type { LiveExchange, LiveFeedHandlers, LiveMarketSource } from './types';

export interface CcxtLiveSourceOptions {
  exchange: LiveExchange;
  clock: Clock;
  symbols: readonly string[];
  timeframe: string;
  /**
   * 'auto': websockets when the exchange has watchOHLCV, REST polling otherwise. 'poll': REST only, e.g.
   * for an exchange pointed at a local fake over REST, whose websocket URLs still lead to the real one.
   */
  transport?: 'auto' | 'poll';
  /** Between REST polls. Default: a quarter of the timeframe, at most 15 s. */
  pollIntervalMs?: number;
  /** How long past a candle's close the exchange's clock must be before REST is asked for it. Default 3 s. */
  closeGraceMs?: number;
  /** Candles per REST request; Binance serves at most 1000. Default 1000. */
  pageLimit?: number;
  reconnect?: ReconnectPolicy;
  /** For single REST requests (warmup, backfills); a failed watch or poll reconnects under `reconnect`. */
  retry?: RetryPolicy;
  /** A symbol silent for less than this is never called stale. Default 60 s. */
  staleFloorMs?: number;
  /** How often staleness is checked. Default 5 s. */
  staleCheckMs?: number;
  /** A clock skew beyond this is warned about at start. Default 1000 ms. */
  skewWarnMs?: number;
  /** Host of an exchange.baseUrl on this machine: the skew warning says a local fake may explain it. */
  localExchange?: string;
}

/**
 * Live market data from a ccxt exchange: a REST warmup, then per symbol a websocket stream of candles
 * (plus trades as ticks when the exchange streams them), or REST polling where it has no websockets.
 * Closed candles come exactly once and without gaps the exchange could fill, across reconnects.
 *
 * stop() ends the loops but leaves ccxt's websockets open: after it, the caller that owns the exchange
 * must `await exchange.close()`, or the open sockets keep the process alive.
 */
export class CcxtLiveSource implements LiveMarketSource {
  readonly kind = 'live' as const;
  readonly description: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly transport: 'websocket' | 'poll';
  private readonly exchange: LiveExchange;
  private readonly clock: Clock;
  private readonly settings: FeedSettings;
  private readonly closers: ReadonlyMap<string, CandleCloser>;
  private skew: ClockSkew | undefined;
  private skewProblem: string | undefined;
  private scope: Scope | undefined;
  private running: Promise<void> | undefined;
  /** Stopped, and not started again. */
  private stopped = false;

  constructor(private readonly options: CcxtLiveSourceOptions) {
    if (options.symbols.length === 0) throw new RangeError('a live market source needs at least one symbol');
    const periodMs = timeframeMs(options.timeframe);
    const { exchange } = options;
    this.exchange = exchange;
    this.clock = options.clock;
    this.symbols = [...options.symbols];
    this.timeframe = options.timeframe;
    const websocket = options.transport !== 'poll' && Boolean(exchange.has['watchOHLCV']) && typeof exchange.watchOHLCV === 'function';
    this.transport = websocket ? 'websocket' : 'poll';
    this.settings = {
      timeframe: options.timeframe,
      periodMs,
      transport: this.transport,
      trades: Boolean(exchange.has['watchTrades']) && typeof exchange.watchTrades === 'function',
      pollIntervalMs: options.pollIntervalMs ?? Math.min(periodMs / 4, 15_000),
      closeGraceMs: options.closeGraceMs ?? 3000,
      pageLimit: options.pageLimit ?? 1000,
      reconnect: options.reconnect ?? DEFAULT_RECONNECT_POLICY,
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
    };
    this.closers = new Map(this.symbols.map((s) => [s, new CandleCloser(s, options.timeframe)]));
    const how = websocket ? (this.settings.trades ? 'websocket candles and trades' : 'websocket candles') : `REST polls every ${this.settings.pollIntervalMs / 1000} s`;
    this.description = `live market (${exchange.id ?? 'exchange'}, ${how}): ${this.symbols.join(', ')} on ${options.timeframe}`;
  }

  async warmup(limit: number): Promise<Candle[]> {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`warmup needs a whole number of candles, got ${limit}`);
    if (this.scope) throw new Error('warmup must come before start');
    await this.measureSkew();
    const to = lastClosedOpen(this.exchangeNow(), this.timeframe, this.settings.closeGraceMs);
    const from = to - (limit - 1) * this.settings.periodMs;
    const retry = { clock: this.clock, policy: this.settings.retry, retryAfterHeader: () => this.exchange.last_response_headers?.['Retry-After'] };
    const perSymbol: Candle[][] = [];
    for (const [symbol, closer] of this.closers) {
      const request = { symbol, timeframe: this.timeframe, from, to, pageLimit: this.settings.pageLimit };
      const fetched = limit > 0 ? await fetchClosedCandles(this.exchange, request, retry) : [];
      // The stream continues right after `to`, even where the exchange had no candle.
      perSymbol.push(closer.settle(fetched, to));
    }
    // Stable: symbols keep their order at equal times.
    return perSymbol.flat().sort((a, b) => a.time - b.time);
  }

  start(handlers: LiveFeedHandlers): void {
    // Started again after a stop (the DataAgent restarted): the candle closers still know the last candle
    // each symbol closed, so the new feeds backfill from there as after a dropped stream.
    if (this.scope && !this.stopped) throw new Error('a live market source is already running');
    this.stopped = false;
    const scope = new Scope(this.clock);
    this.scope = scope;
    const guard = this.staleGuard();
    const live = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A): void => {
      if (!scope.stopped) fn(...args);
    };
    const output = {
      scope,
      exchangeNow: () => this.exchangeNow(),
      emit: live(handlers.onEvents.bind(handlers)),
      notice: live(handlers.onNotice.bind(handlers)),
      updated: (symbol: string) => guard.update(symbol, scope.now()),
      connection: live((symbol: string, connected: boolean, reason: string, kind?: string) => handlers.onConnection?.(symbol, connected, reason, kind)),
      failed: live((symbol: string, error: Error) => {
        guard.forget(symbol);
        handlers.onSymbolFailed(symbol, error);
      }),
    };
    for (const symbol of this.symbols) guard.update(symbol, scope.now());
    scope.setInterval(() => this.reportStale(guard.check(scope.now()), handlers), this.options.staleCheckMs ?? 5000, { keepAlive: false });

    this.running = (async () => {
      if (!this.skew && !this.skewProblem) await scope.race(this.measureSkew());
      if (scope.stopped) return;
      this.reportSkew(output.notice);
      const feeds = this.symbols.map((symbol) => new SymbolFeed(this.exchange, this.closers.get(symbol)!, this.settings, output));
      // A loop reports its own failures; anything escaping one is a bug, reported rather than left unhandled.
      await Promise.all(feeds.map((feed) => feed.run().catch((err: unknown) => output.failed(feed.symbol, err instanceof Error ? err : new Error(String(err))))));
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.scope?.stop();
    await this.running;
  }

  /**
   * Updates are expected at the poll interval when polling or with trades streaming (a liquid market
   * trades many times a minute), and only once a candle otherwise; see StaleGuard.
   */
  private staleGuard(): StaleGuard {
    const frequent = this.transport === 'poll' || this.settings.trades;
    return new StaleGuard({
      timeframeMs: this.settings.periodMs,
      floorMs: this.options.staleFloorMs ?? 60_000,
      ...(frequent && { expectedIntervalMs: this.settings.pollIntervalMs }),
    });
  }

  private reportStale(transitions: StaleTransition[], handlers: LiveFeedHandlers): void {
    if (this.scope?.stopped) return;
    const stale = transitions.filter((t) => t.kind === 'stale');
    const resumed = transitions.filter((t) => t.kind === 'resumed');
    if (stale.length > 0) {
      const lastUpdate = Math.min(...stale.map((t) => t.lastUpdate));
      handlers.onStale({ symbols: stale.map((t) => t.symbol), lastUpdate, thresholdMs: stale[0]!.thresholdMs });
    }
    if (resumed.length > 0) {
      handlers.onResumed({ symbols: resumed.map((t) => t.symbol), staleForMs: Math.max(...resumed.map((t) => t.staleForMs)) });
    }
  }

  private async measureSkew(): Promise<void> {
    try {
      this.skew = await withRetries(() => measureClockSkew(this.exchange, this.clock), { clock: this.scope ?? this.clock, policy: this.settings.retry });
      if (!this.skew) this.skewProblem = 'the exchange does not tell its time';
    } catch (err) {
      this.skewProblem = `reading the exchange's clock failed (${err instanceof Error ? err.message : String(err)})`;
    }
  }

  private reportSkew(notice: (level: 'info' | 'warn', message: string) => void): void {
    if (this.skewProblem) {
      notice('warn', `${this.skewProblem}; candle closes are judged by our own clock`);
      return;
    }
    const skew = this.skew;
    if (!skew || Math.abs(skew.skewMs) <= (this.options.skewWarnMs ?? 1000)) return;
    notice('warn', clockSkewWarning(skew, this.options.localExchange));
  }

  private exchangeNow(): number {
    return this.clock.now() + (this.skew?.skewMs ?? 0);
  }
}
