import type { Fill } from '../execution/types';
import type { MarketPeriod, Tick } from '../market/types';
import { Ledger, type LedgerState } from './ledger';
import { RunStats, type RunStatsState } from './run-stats';
import { buildRunSummary, type RunSummary } from './summary';
import { TradeTally } from './trade-tally';
import type { BooksReconciliation, ClosedTrade, PortfolioSnapshot } from './types';

/** The books as plain data, for a state file: restored, they go on to the same last bit. */
export interface BooksState {
  startBalance: number;
  ledger: LedgerState;
  stats: RunStatsState;
  tally: { trades: number; winners: number };
  periods: number;
  /** null before the first period. */
  lastCandleTime: number | null;
  marketTime: number;
  /** The market had ended (--candles, or no more data): the run is over. */
  ended: boolean;
}

/**
 * The account of a run: the ledger, the equity curve's running figures and the tally of closed trades, kept
 * together as the fills and periods come, so that the summary and a state file see them as one.
 */
export class Books {
  /** Market time of the last event seen: snapshots are stamped with it, not with the wall clock. */
  private marketTime: number;
  /** Candle periods seen: the symbols' candles of one period share its open time, and periods come in order. */
  private periods = 0;
  private lastCandleTime = Number.NaN;
  private ended = false;

  private constructor(
    readonly startBalance: number,
    readonly ledger: Ledger,
    private readonly stats: RunStats,
    private readonly tally: TradeTally,
    now: number,
  ) {
    this.marketTime = now;
  }

  /** A new account: `startBalance` in cash, its first equity point at `now`. */
  static open(quoteCurrency: string, startBalance: number, now: number): Books {
    const books = new Books(startBalance, new Ledger({ quoteCurrency, startBalance }), new RunStats(), new TradeTally(), now);
    books.stats.record(now, books.ledger.equity());
    return books;
  }

  static fromState(quoteCurrency: string, state: BooksState): Books {
    const tally = new TradeTally();
    tally.trades = state.tally.trades;
    tally.winners = state.tally.winners;
    const ledger = Ledger.fromState({ quoteCurrency, startBalance: state.startBalance }, state.ledger);
    const books = new Books(state.startBalance, ledger, RunStats.fromState(state.stats), tally, state.marketTime);
    books.periods = state.periods;
    books.lastCandleTime = state.lastCandleTime ?? Number.NaN;
    books.ended = state.ended;
    return books;
  }

  toState(): BooksState {
    return {
      startBalance: this.startBalance,
      ledger: this.ledger.toState(),
      stats: this.stats.toState(),
      tally: { trades: this.tally.trades, winners: this.tally.winners },
      periods: this.periods,
      lastCandleTime: Number.isNaN(this.lastCandleTime) ? null : this.lastCandleTime,
      marketTime: this.marketTime,
      ended: this.ended,
    };
  }

  get periodsSeen(): number {
    return this.periods;
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  snapshot(): PortfolioSnapshot {
    return this.ledger.snapshot(this.marketTime);
  }

  /** Books a fill; the round trip when it closed its position. */
  fill(fill: Fill): ClosedTrade | undefined {
    this.marketTime = Math.max(this.marketTime, fill.time);
    const closed = this.ledger.applyFill(fill);
    this.stats.record(fill.time, this.ledger.equity());
    if (closed) this.tally.add(closed);
    return closed;
  }

  tick(tick: Tick): void {
    this.marketTime = tick.time;
    this.ledger.mark(tick.symbol, tick.price);
  }

  /** Marks a period's closes, all symbols at once, and takes its equity point; returns the equity. */
  period({ time, candles }: MarketPeriod): number {
    for (let i = 0; i < candles.length; i++) {
      const candle = candles[i]!;
      if (candle.time !== this.lastCandleTime) {
        this.periods += 1;
        this.lastCandleTime = candle.time;
      }
      this.marketTime = candle.time;
      this.ledger.mark(candle.symbol, candle.close);
    }
    const equity = this.ledger.equity();
    this.stats.record(time, equity);
    return equity;
  }

  /** The exchange's word on balances (a live start's reconciliation). */
  reconcile(change: BooksReconciliation): void {
    if (change.cash !== undefined) this.ledger.setCash(change.cash);
    for (const { symbol, qty, price } of change.adopt) this.ledger.adopt(symbol, qty, price, this.marketTime);
  }

  /** The market has ended: a state file's next run starts a new account. */
  end(): void {
    this.ended = true;
  }

  summary(): RunSummary {
    return buildRunSummary({ startBalance: this.startBalance, snapshot: this.snapshot(), tally: this.tally, stats: this.stats, candles: this.periods });
  }
}
