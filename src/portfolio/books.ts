import type { Fill } from '../execution/types';
import type { MarketPeriod, Tick } from '../market/types';
import { Ledger, type LedgerState } from './ledger';
import type { ProfitShareSchedule } from './profit-share';
import { ProfitShareAccount, type ProfitShared, type ProfitShareState } from './profit-share-account';
import { boundaryAtOrBefore } from './profit-share-periods';
import { RunStats, type RunStatsState } from './run-stats';
import type { Transfer } from './reallocation';
import { StrategyBooks, type Allocations, type StrategyBookView, type StrategyBooksState } from './strategy-books';
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
  /** Present when the run shares profit (portfolio.profitShare). */
  profitShare?: ProfitShareState;
  /** Which strategy's entry opened each open position; absent when none is open. */
  owners?: Record<string, string>;
  /** Present with per-strategy sub-ledgers (portfolio.allocations). */
  strategies?: StrategyBooksState;
}

/** A profit-share schedule and the length of a candle, whose close is what reaches a period's end. */
export interface BooksProfitShare {
  schedule: ProfitShareSchedule;
  stepMs: number;
}

const PROFIT_SHARE_REASON = 'profit share';

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
  /** Symbol -> the strategy (an order's origin) whose entry opened its position: trades are attributed to it. */
  private readonly owners = new Map<string, string>();

  private constructor(
    readonly startBalance: number,
    readonly ledger: Ledger,
    private readonly stats: RunStats,
    private readonly tally: TradeTally,
    now: number,
    /** Absent without profit sharing: every check of it is then one compare with undefined. */
    private readonly share: ProfitShareAccount | undefined,
    /** Absent without portfolio.allocations: likewise. */
    private readonly strategies: StrategyBooks | undefined,
  ) {
    this.marketTime = now;
  }

  /** A new account: `startBalance` in cash, its first equity point at `now`. */
  static open(quoteCurrency: string, startBalance: number, now: number, profitShare?: BooksProfitShare, allocations?: Allocations): Books {
    const share = profitShare && ProfitShareAccount.open(profitShare.schedule, profitShare.stepMs, startBalance, now);
    const strategies = hasAny(allocations) ? StrategyBooks.open(quoteCurrency, startBalance, allocations!) : undefined;
    const books = new Books(startBalance, new Ledger({ quoteCurrency, startBalance }), new RunStats(), new TradeTally(), now, share, strategies);
    books.stats.record(now, books.ledger.equity());
    return books;
  }

  /**
   * The books `state` holds. A file written without profit sharing, restored with it, starts the schedule
   * as a new account would (the mark at the start balance), from the books' market time.
   */
  static fromState(quoteCurrency: string, state: BooksState, profitShare?: BooksProfitShare, allocations?: Allocations): Books {
    const tally = new TradeTally();
    tally.trades = state.tally.trades;
    tally.winners = state.tally.winners;
    const ledger = Ledger.fromState({ quoteCurrency, startBalance: state.startBalance }, state.ledger);
    const share =
      profitShare &&
      (state.profitShare
        ? ProfitShareAccount.fromState(profitShare.schedule, profitShare.stepMs, state.profitShare)
        : ProfitShareAccount.open(profitShare.schedule, profitShare.stepMs, state.startBalance, state.marketTime));
    const strategies = hasAny(allocations) ? StrategyBooks.fromState(quoteCurrency, state.startBalance, allocations!, state.strategies) : undefined;
    const books = new Books(state.startBalance, ledger, RunStats.fromState(state.stats), tally, state.marketTime, share, strategies);
    for (const [symbol, owner] of Object.entries(state.owners ?? {})) books.owners.set(symbol, owner);
    books.periods = state.periods;
    books.lastCandleTime = state.lastCandleTime ?? Number.NaN;
    books.ended = state.ended;
    return books;
  }

  toState(): BooksState {
    const state: BooksState = {
      startBalance: this.startBalance,
      ledger: this.ledger.toState(),
      stats: this.stats.toState(),
      tally: { trades: this.tally.trades, winners: this.tally.winners },
      periods: this.periods,
      lastCandleTime: Number.isNaN(this.lastCandleTime) ? null : this.lastCandleTime,
      marketTime: this.marketTime,
      ended: this.ended,
    };
    if (this.share) state.profitShare = this.share.toState();
    if (this.owners.size > 0) state.owners = Object.fromEntries(this.owners);
    if (this.strategies) state.strategies = this.strategies.toState();
    return state;
  }

  get periodsSeen(): number {
    return this.periods;
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  snapshot(): PortfolioSnapshot {
    const snapshot = this.ledger.snapshot(this.marketTime);
    if (this.strategies) snapshot.strategies = this.strategies.views();
    return snapshot;
  }

  /**
   * Books a fill of an order asked for by `origin` (a strategy, 'risk'...); the round trip when it closed its
   * position, attributed to the strategy whose entry opened it.
   */
  fill(fill: Fill, origin = 'unknown'): ClosedTrade | undefined {
    this.marketTime = Math.max(this.marketTime, fill.time);
    if (fill.side === 'buy' && !this.owners.has(fill.symbol)) this.owners.set(fill.symbol, origin);
    const owner = this.owners.get(fill.symbol) ?? origin;
    const booked = this.ledger.applyFill(fill);
    this.strategies?.fill(fill, owner);
    // The ledger's round trip is frozen: the attributed one is a copy.
    const closed = booked && { ...booked, strategy: owner };
    if (closed) this.owners.delete(fill.symbol);
    // A fee cash could not cover is paid from the first cash a fill leaves (a sell's proceeds).
    if (this.share !== undefined && this.share.owed > 0) this.payOwed();
    this.stats.record(fill.time, this.ledger.equity());
    if (closed) this.tally.add(closed);
    return closed;
  }

  tick(tick: Tick): void {
    this.marketTime = tick.time;
    this.ledger.mark(tick.symbol, tick.price);
    if (this.strategies) this.markOwner(tick.symbol, tick.price);
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
      if (this.strategies) this.markOwner(candle.symbol, candle.close);
    }
    const equity = this.ledger.equity();
    this.stats.record(time, equity);
    return equity;
  }

  /**
   * The period a candle opened at `openTime` ends, when its close reaches a profit-share period end: the
   * settlement, the fee paid from cash as far as cash goes. Undefined (at the cost of one compare) otherwise.
   * Called after `period` marked the candle's closes.
   */
  settleProfitShare(openTime: number): ProfitShared | undefined {
    const share = this.share;
    if (share === undefined || openTime < share.dueAt) return undefined;
    const close = share.closeOf(openTime);
    return this.settle(boundaryAtOrBefore(share.schedule.period, close), close);
  }

  /** The exchange's word on balances (a live start's reconciliation). */
  reconcile(change: BooksReconciliation): void {
    const before = this.ledger.equity();
    if (change.cash !== undefined) this.ledger.setCash(change.cash);
    for (const { symbol, qty, price } of change.adopt) this.ledger.adopt(symbol, qty, price, this.marketTime);
    // The account's word is neither gain nor loss of the trading: the mark moves with it.
    this.share?.shift(this.ledger.equity() - before);
  }

  /** The market has ended: a state file's next run starts a new account. */
  end(): void {
    this.ended = true;
  }

  /**
   * The run is over (the market ended, or a run that keeps no state stops): a "run" schedule settles now,
   * at the market time. Undefined for other schedules, which end on the calendar only, and once settled.
   */
  settleRunEnd(): ProfitShared | undefined {
    if (this.share === undefined || !this.share.awaitsRunEnd) return undefined;
    return this.settle(this.marketTime, this.marketTime);
  }


  summary(): RunSummary {
    return buildRunSummary({
      startBalance: this.startBalance,
      snapshot: this.snapshot(),
      tally: this.tally,
      stats: this.stats,
      candles: this.periods,
      ...(this.share && { profitShare: { charged: this.share.charged, owed: this.share.owed } }),
      ...(this.strategies && { byStrategy: this.strategies.summaries() }),
    });
  }

  /** The sub-ledgers (portfolio.allocations) as the risk engine sees them; undefined without. */
  strategyViews(): Record<string, StrategyBookView> | undefined {
    return this.strategies?.views();
  }

  /** Moves capital between the sub-ledgers (a rebalance with portfolio.allocations). */
  reallocate(transfers: readonly Transfer[]): void {
    if (!this.strategies) throw new Error('the books have no sub-ledgers to move capital between');
    this.strategies.transfer(transfers);
  }

  private markOwner(symbol: string, price: number): void {
    const owner = this.owners.get(symbol);
    if (owner !== undefined) this.strategies!.mark(symbol, price, owner);
  }

  private settle(periodEnd: number, time: number): ProfitShared {
    const settled = this.share!.settle(periodEnd, time, this.ledger.equity());
    const paid = this.payOwed();
    this.stats.record(time, this.ledger.equity());
    return { ...settled, paid, owed: this.share!.owed };
  }

  /** Pays what cash covers of the fees owed; returns the amount paid. */
  private payOwed(): number {
    const paid = this.share!.takePayment(this.ledger.cash());
    if (paid > 0) this.ledger.deduct(paid, PROFIT_SHARE_REASON);
    return paid;
  }
}

function hasAny(allocations: Allocations | undefined): boolean {
  return allocations !== undefined && Object.keys(allocations).length > 0;
}
