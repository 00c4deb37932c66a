import { NotSupported } from 'ccxt';
import type { RetryContext, RetryPolicy } from '../../exchange/with-retries';
import { alignToTimeframe } from '../timeframe';
import type { Candle, MarketEvent } from '../types';
import { fetchClosedCandles, lastClosedOpen } from './backfill';
import type { CandleCloser } from './candle-closer';
import { inTimeOrder } from './event-order';
import { judgeError, reconnectDelay, type ReconnectPolicy } from './reconnect';
import { STOPPED, TIMED_OUT, type Scope } from './scope';
import { TickSequencer } from './tick-sequencer';
import type { LiveExchange, OhlcvValues } from './types';

export interface FeedSettings {
  timeframe: string;
  periodMs: number;
  transport: 'websocket' | 'poll';
  /** Ticks from watchTrades next to the candle stream (websocket transport only). */
  trades: boolean;
  pollIntervalMs: number;
  closeGraceMs: number;
  pageLimit: number;
  reconnect: ReconnectPolicy;
  retry: RetryPolicy;
}

/** What a feed reports to, and the time it runs on. */
export interface FeedOutput {
  scope: Scope;
  /** Our best estimate of the exchange's clock: the local one plus the measured skew. */
  exchangeNow(): number;
  emit(events: MarketEvent[]): void;
  notice(level: 'info' | 'warn', message: string): void;
  /** The exchange answered for this symbol (stream data or a poll), for the stale guard. */
  updated(symbol: string): void;
  failed(symbol: string, error: Error): void;
  /** The data connection of this symbol failed, or answers again after failures. */
  connection(symbol: string, connected: boolean, reason: string, kind?: string): void;
}

/** Rows asked per poll: the forming candle and the two before it, enough to see a close without a backfill. */
const POLL_ROWS = 3;

/**
 * The live feed of one symbol: a candle loop (a websocket watch, or REST polls) and, with websockets, a
 * trade loop for ticks. Each loop awaits one thing at a time through the scope, so events stay in order
 * and stop() ends them wherever they wait. Candle closes, gaps and backfills go through the shared closer,
 * which the warmup has already set to continue right after its last candle.
 */
export class SymbolFeed {
  readonly symbol: string;
  private readonly scope: Scope;
  private readonly ticks: TickSequencer;
  private readonly retry: RetryContext;
  /** Failures in a row of the candle loop; the next reconnect waits longer for each. */
  private failures = 0;
  /** No clock-driven settle before this local time: set when one could not advance, against a busy loop. */
  private settleNotBefore = -Infinity;
  private lastPolled: Candle | undefined;

  constructor(
    private readonly exchange: LiveExchange,
    private readonly closer: CandleCloser,
    private readonly settings: FeedSettings,
    private readonly out: FeedOutput,
  ) {
    this.symbol = closer.symbol;
    this.scope = out.scope.child();
    this.ticks = new TickSequencer(closer.symbol, settings.timeframe);
    // Retries stay silent: if they run out, recover() says so once, instead of a notice per attempt.
    this.retry = { clock: this.scope, policy: settings.retry, retryAfterHeader: () => exchange.last_response_headers?.['Retry-After'] };
  }

  /** Runs until the scope stops or the symbol fails for good. */
  async run(): Promise<void> {
    const loops = [this.settings.transport === 'poll' ? this.pollCandles() : this.watchCandles()];
    if (this.settings.transport === 'websocket' && this.settings.trades) loops.push(this.watchTrades());
    await Promise.all(loops);
  }

  private async watchCandles(): Promise<void> {
    let pending: Promise<ReadonlyArray<OhlcvValues>> | undefined;
    while (!this.scope.stopped) {
      let outcome: ReadonlyArray<OhlcvValues> | typeof STOPPED | typeof TIMED_OUT;
      try {
        pending ??= this.exchange.watchOHLCV!(this.symbol, this.settings.timeframe);
        // A quiet market may send nothing when a candle closes: past the close and a grace, REST settles it.
        outcome = await this.scope.race(pending, this.untilSettleByClock());
      } catch (err) {
        pending = undefined;
        this.closer.resync();
        if (err instanceof NotSupported) {
          // ccxt declares every watch method; `has` can claim one the exchange lacks for this market or timeframe.
          this.out.notice('warn', `${this.symbol}: no candle stream (${describe(err)}); polling REST every ${this.settings.pollIntervalMs / 1000} s instead`);
          return this.pollCandles();
        }
        if (!(await this.recover(err, 'the candle stream'))) return;
        continue;
      }
      if (outcome === STOPPED) return;
      try {
        if (outcome === TIMED_OUT) {
          await this.settleByClock();
        } else {
          pending = undefined;
          this.answered();
          await this.take(outcome);
        }
      } catch (err) {
        if (!(await this.recover(err, 'a REST backfill'))) return;
      }
    }
  }

  private async pollCandles(): Promise<void> {
    while (!this.scope.stopped) {
      try {
        // An explicit `since`: without one a few exchanges answer with their oldest candles, not the latest.
        const since = alignToTimeframe(this.out.exchangeNow(), this.settings.timeframe) - (POLL_ROWS - 1) * this.settings.periodMs;
        const rows = await this.scope.race(this.exchange.fetchOHLCV(this.symbol, this.settings.timeframe, since, POLL_ROWS));
        if (rows === STOPPED) return;
        this.answered();
        // A REST answer is the exchange's current state: whatever its clock has closed is final.
        const closedThrough = lastClosedOpen(this.out.exchangeNow(), this.settings.timeframe, this.settings.closeGraceMs);
        if ((await this.take(rows, closedThrough)) === STOPPED) return;
        this.pollTick();
      } catch (err) {
        // recover() has waited already: poll again at once.
        if (!(await this.recover(err, 'polling'))) return;
        continue;
      }
      if ((await this.scope.sleep(this.settings.pollIntervalMs)) === STOPPED) return;
    }
  }

  /** Ticks only: a failure here never stops the candles, and missed trades are not backfilled. */
  private async watchTrades(): Promise<void> {
    let failures = 0;
    while (!this.scope.stopped) {
      let trades;
      try {
        trades = await this.scope.race(this.exchange.watchTrades!(this.symbol));
      } catch (err) {
        const verdict = judgeError(err);
        if (verdict === 'fatal') this.out.notice('warn', `${this.symbol}: no ticks from the trade stream (${describe(err)}); candles go on without them`);
        if (verdict !== 'retry') return;
        failures += 1;
        const delayMs = reconnectDelay(failures, this.settings.reconnect);
        this.out.notice('warn', `${this.symbol}: the trade stream failed (${describe(err)}); reconnecting in ${delayMs} ms`);
        if ((await this.scope.sleep(delayMs)) === STOPPED) return;
        continue;
      }
      if (trades === STOPPED) return;
      failures = 0;
      this.out.updated(this.symbol);
      this.ticks.addTrades(trades);
      this.emit([]);
    }
  }

  /** A snapshot through the closer; a gap in it is filled over REST before anything of it goes out. */
  private async take(rows: ReadonlyArray<OhlcvValues>, closedThrough?: number): Promise<number | typeof STOPPED> {
    const result = this.closer.push(rows, closedThrough);
    if (result.kind === 'closed') {
      this.emit(result.candles);
      return result.candles.length;
    }
    return this.fill(result.from, result.to, result.seen, true);
  }

  /**
   * Settles, over REST, every candle the exchange's clock has closed since the last one emitted. Nothing
   * before the first snapshot when there was no warmup: the closer starts the feed there.
   */
  private async backfill(announce: boolean): Promise<number | typeof STOPPED> {
    const settled = this.closer.settledThrough;
    if (settled === undefined) return 0;
    const to = lastClosedOpen(this.out.exchangeNow(), this.settings.timeframe, this.settings.closeGraceMs);
    return this.fill(settled + this.settings.periodMs, to, [], announce);
  }

  private async fill(from: number, to: number, seen: readonly Candle[], announce: boolean): Promise<number | typeof STOPPED> {
    if (to < from) return 0;
    const request = { symbol: this.symbol, timeframe: this.settings.timeframe, from, to, pageLimit: this.settings.pageLimit };
    const fetched = await this.scope.race(fetchClosedCandles(this.exchange, request, this.retry));
    if (fetched === STOPPED) return STOPPED;
    // The stream's candles first: REST's versions of the same times win.
    const candles = this.closer.settle([...seen, ...fetched], to);
    this.emit(candles);
    if (announce && candles.length > 0) {
      this.out.notice('info', `${this.symbol}: backfilled ${candles.length} candle(s) over REST, ${iso(candles[0]!.time)} to ${iso(candles.at(-1)!.time)}`);
    }
    return candles.length;
  }

  private untilSettleByClock(): number | undefined {
    const close = this.closer.nextClose();
    if (close === undefined) return undefined;
    const byClock = close + this.settings.closeGraceMs - this.out.exchangeNow();
    return Math.max(0, byClock, this.settleNotBefore - this.scope.now());
  }

  private async settleByClock(): Promise<void> {
    const before = this.closer.settledThrough;
    if ((await this.backfill(false)) === STOPPED) return;
    if (this.closer.settledThrough === before) this.settleNotBefore = this.scope.now() + this.settings.pollIntervalMs;
  }

  /** The last traded price of the forming candle as a tick, when it changed since the last poll. */
  private pollTick(): void {
    const forming = this.closer.forming;
    const last = this.lastPolled;
    this.lastPolled = forming;
    if (!forming) return;
    const sameCandle = last !== undefined && last.time === forming.time;
    if (sameCandle && last.close === forming.close && last.volume === forming.volume) return;
    const time = Math.min(Math.max(this.out.exchangeNow(), forming.time), forming.time + this.settings.periodMs - 1);
    this.ticks.add(time, forming.close, Math.max(0, forming.volume - (sameCandle ? last.volume : 0)));
    this.emit([]);
  }

  /**
   * After a failed watch, poll or backfill: waits (longer after each failure in a row), then backfills what
   * closed meanwhile, so the next watch continues without a gap. False when the loop must end.
   */
  private async recover(error: unknown, what: string): Promise<boolean> {
    let err = error;
    for (;;) {
      if (this.scope.stopped) return false;
      const verdict = judgeError(err);
      if (verdict === 'closed') {
        this.out.notice('info', `${this.symbol}: the exchange connection was closed; its feed ends`);
        return false;
      }
      if (verdict === 'fatal') {
        this.fail(err);
        return false;
      }
      this.failures += 1;
      this.out.connection(this.symbol, false, `${what} failed (${describe(err)})`, err instanceof Error ? err.name : 'Error');
      const delayMs = reconnectDelay(this.failures, this.settings.reconnect);
      const again = this.settings.transport === 'poll' ? 'retrying' : 'reconnecting';
      this.out.notice('warn', `${this.symbol}: ${what} failed (${describe(err)}); ${again} in ${delayMs} ms`);
      if ((await this.scope.sleep(delayMs)) === STOPPED) return false;
      try {
        return (await this.backfill(true)) !== STOPPED;
      } catch (next) {
        err = next;
        what = 'a REST backfill';
      }
    }
  }

  private answered(): void {
    if (this.failures > 0) {
      this.out.notice('info', `${this.symbol}: data flows again after ${this.failures} failed attempt(s)`);
      this.out.connection(this.symbol, true, `data flows again after ${this.failures} failed attempt(s)`);
    }
    this.failures = 0;
    this.out.updated(this.symbol);
  }

  private emit(candles: readonly Candle[]): void {
    const events = inTimeOrder(candles, this.ticks.release(this.closer.settledThrough), this.settings.periodMs);
    if (events.length > 0 && !this.scope.stopped) this.out.emit(events);
  }

  private fail(err: unknown): void {
    this.scope.stop();
    this.out.failed(this.symbol, err instanceof Error ? err : new Error(String(err)));
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
