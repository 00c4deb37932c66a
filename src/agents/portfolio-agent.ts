import type { Fill } from '../execution/types';
import { TOPIC_OWNERS } from '../bus/topic-owners';
import { quoteCurrencyOf } from '../market/symbols';
import { timeframeMs } from '../market/timeframe';
import { Books, type BooksState } from '../portfolio/books';
import { allocationsMismatch } from '../portfolio/strategy-books';
import type { ProfitShared } from '../portfolio/profit-share-account';
import { planReallocation, ReallocationTrigger, type Reallocated, type ReallocationTriggerState } from '../portfolio/reallocation';
import { RebalanceTrigger, type RebalanceTriggerState } from '../portfolio/rebalance-trigger';
import type { ClosedTrade, PositionView } from '../portfolio/types';
import type { Journal } from '../state/journal';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

export interface PortfolioAgentOptions {
  /** The state file: the books are restored from it at start and written through it. */
  journal?: Journal;
}

/** With nothing to write, the books are still committed this often (in periods), so a resume replays little. */
const COMMIT_EVERY_PERIODS = 1000;
/**
 * A paper run commits at most this often (clock ms): a period's end is as good a point as any other, and
 * flat out one commit per period with a fill would cost more than the trading. A crash loses at most this
 * much of a paper run, which the simulated market replays exactly. Live commits come as they happen.
 */
const PAPER_COMMIT_MS = 250;
/**
 * ... or once this many events wait: a flat-out run piles up thousands in 250 ms, and one commit of them all
 * would hold the event loop (an API request, a signal) for 10 ms and more.
 */
const PAPER_COMMIT_EVENTS = 256;

/**
 * The books on the bus: applies every fill to them (portfolio/books.ts), publishes `portfolio.updated`,
 * `position.changed` (and `position.closed` when it emptied one) after each fill and `portfolio.marked` when
 * a candle period moves the equity, and answers `portfolio.snapshot`. With a state file it starts from the
 * books written there and commits what a period did once the period is over, so the file always holds the
 * state at the end of a period. With a profit-share schedule it settles each period end the books report
 * (`portfolio.profitShared`, then `portfolio.updated`). With `portfolio.rebalance` it asks the rebalance trigger
 * at each period's close and publishes its plan as `rebalance.planned` for the trade side, one at a time
 * (the next only after `rebalance.completed`); with portfolio.allocations too, a rebalance moves capital
 * between the sub-ledgers instead (`portfolio.reallocated`). At shutdown it publishes the run's final summary and trades as
 * `portfolio.final`.
 */
export class PortfolioAgent extends ConfiguredAgent {
  private books!: Books;
  private lastPublishedEquity = Number.NaN;
  /** Kept only when the run writes trades.csv: otherwise a long run would grow with its history. */
  private closedTrades: ClosedTrade[] | undefined;
  private periodsSinceCommit = 0;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  /** portfolio.rebalance: asked at every period's close; absent (one compare) without rebalancing. */
  private rebalance: RebalanceTrigger | undefined;

  constructor(
    context: AgentContext,
    private readonly options: PortfolioAgentOptions = {},
  ) {
    super(
      {
        name: 'portfolio',
        dependsOn: ['config'],
        publishes: TOPIC_OWNERS.portfolio,
      },
      context,
    );
  }

  protected override onConfigured(): void {
    const { market, portfolio, run } = this.config;
    const { journal } = this.options;
    const quote = quoteCurrencyOf(market.symbols);
    const saved = journal?.document<BooksState>('portfolio');
    const share = portfolio.profitShare ? { schedule: portfolio.profitShare, stepMs: timeframeMs(market.timeframe) } : undefined;
    const mismatch = allocationsMismatch(portfolio.allocations, this.config.analysis.strategies);
    if (mismatch !== undefined) throw new Error(mismatch);
    const { allocations } = portfolio;
    this.books = saved ? Books.fromState(quote, saved, share, allocations) : Books.open(quote, portfolio.startBalance, this.clock.now(), share, allocations);
    this.lastPublishedEquity = Number.NaN;
    this.closedTrades = run.out !== '' ? (saved && journal ? journal.closedTrades() : []) : undefined;
    this.periodsSinceCommit = 0;
    this.lastCommitAt = Number.NEGATIVE_INFINITY;
    // With sub-ledgers a rebalance moves the allocations (reallocation.ts); without, it trades the assets.
    const reallocating = portfolio.rebalance !== null && Object.keys(allocations).length > 0;
    const rebalance = portfolio.rebalance && !reallocating ? new RebalanceTrigger(portfolio.rebalance, market.symbols, quote, timeframeMs(market.timeframe)) : undefined;
    const reallocation = portfolio.rebalance && reallocating ? new ReallocationTrigger(portfolio.rebalance, allocations) : undefined;
    this.rebalance = rebalance;
    const trigger = rebalance ?? reallocation;
    if (trigger && journal) {
      const savedTrigger = journal.document<RebalanceTriggerState & ReallocationTriggerState>('rebalance');
      if (savedTrigger) trigger.restore(savedTrigger);
      journal.slot('rebalance', () => trigger.toState(), { always: true });
    }
    this.subscribe('rebalance.completed', () => rebalance?.done());
    journal?.slot('portfolio', () => this.books.toState(), { always: true });
    this.handle('portfolio.snapshot', () => this.books.snapshot());
    this.handle('portfolio.summary', () => this.books.summary());
    this.handle('portfolio.reconcile', ({ payload }) => {
      this.books.reconcile(payload);
      journal?.append('books.reconciled', this.clock.now(), payload);
      journal?.commit();
      const snapshot = this.books.snapshot();
      this.publish('portfolio.updated', snapshot);
      return snapshot;
    });
    this.subscribe('order.filled', ({ payload }) => this.onFill(payload.fill, payload.order.origin));
    this.subscribe('market.tick', ({ payload }) => this.books.tick(payload));
    // Phase 3 of a period (PERIOD_PHASES): the period's fills are booked; the closes are marked all at once.
    this.subscribe('market.period', ({ payload }) => {
      let equity = this.books.period(payload);
      const shared = this.books.settleProfitShare(payload.time);
      if (shared) equity = this.onProfitShared(shared);
      // After the marks and any fee: the weights are the closes' and the equity is what is left to place.
      const plan = rebalance?.onPeriod(payload.time, payload.candles, this.books.ledger);
      if (plan) this.publish('rebalance.planned', plan);
      if (reallocation) this.reallocate(reallocation, payload.time);
      this.commitPeriod();
      // Only a move is worth a message, and a small one. Positions change on fills only, and each fill
      // publishes the whole snapshot.
      if (equity === this.lastPublishedEquity) return;
      this.lastPublishedEquity = equity;
      this.publish('portfolio.marked', { time: payload.time, equity, positionsValue: equity - this.books.ledger.cash() });
    });
    this.subscribe('market.ended', () => {
      this.books.end();
      const shared = this.books.settleRunEnd();
      if (shared) this.onProfitShared(shared);
    });
  }

  /** A rebalance of the allocations at this period's close, when its trigger says so. */
  private reallocate(trigger: ReallocationTrigger, time: number): void {
    const views = this.books.strategyViews()!;
    const reason = trigger.onPeriod(time, views);
    if (reason === undefined) return;
    const transfers = planReallocation(views, this.config.portfolio.allocations);
    if (transfers.length === 0) return;
    this.books.reallocate(transfers);
    let strategiesEquity = 0;
    for (const view of Object.values(views)) strategiesEquity += view.equity;
    const done: Reallocated = { time, reason, strategiesEquity, transfers };
    this.publish('portfolio.reallocated', done);
    this.options.journal?.append('portfolio.reallocated', this.clock.now(), done);
    this.log.info(`allocations rebalanced (${reason}): ${transfers.map((t) => `${t.strategy} ${t.amount >= 0 ? '+' : ''}${t.amount.toFixed(2)}`).join(', ')}`);
    this.publish('portfolio.updated', this.books.snapshot());
  }

  protected override onStop(): void {
    if (!this.books) return;
    // A run that keeps no state ends here; one that does goes on at its next start, unless its market ended.
    const shared = this.options.journal ? undefined : this.books.settleRunEnd();
    if (shared) this.onProfitShared(shared);
    this.options.journal?.commit();
    this.publish('portfolio.final', { summary: this.books.summary(), closedTrades: this.closedTrades ?? [] });
  }

  /**
   * A period that wrote anything is committed at its end, whole (a paper run's at most every
   * PAPER_COMMIT_MS); a quiet stretch now and then.
   */
  private commitPeriod(): void {
    const { journal } = this.options;
    if (!journal) return;
    this.periodsSinceCommit += 1;
    if (!journal.dirty && this.periodsSinceCommit < COMMIT_EVERY_PERIODS) return;
    const now = this.clock.now();
    if (!journal.durable && now - this.lastCommitAt < PAPER_COMMIT_MS && journal.pendingEvents < PAPER_COMMIT_EVENTS) return;
    journal.commit();
    this.periodsSinceCommit = 0;
    this.lastCommitAt = now;
  }

  /** Publishes a settlement and the books it left, journals it; returns the equity after it. */
  private onProfitShared(shared: ProfitShared): number {
    this.publish('portfolio.profitShared', shared);
    const snapshot = this.books.snapshot();
    this.lastPublishedEquity = snapshot.equity;
    this.publish('portfolio.updated', snapshot);
    const { fee, paid, owed } = shared;
    this.log.info(
      `profit share ${new Date(shared.periodStart).toISOString()} to ${new Date(shared.periodEnd).toISOString()}: ` +
        `gain ${shared.gain.toFixed(2)} above the mark ${shared.highWaterMark.toFixed(2)}, fee ${fee.toFixed(2)} ` +
        `(${paid.toFixed(2)} paid, ${owed.toFixed(2)} owed), mark now ${shared.newHighWaterMark.toFixed(2)} ${snapshot.quoteCurrency}`,
    );
    this.options.journal?.append('portfolio.profitShared', this.clock.now(), { periodEnd: shared.periodEnd, gain: shared.gain, fee, paid, owed, cash: snapshot.cash });
    return snapshot.equity;
  }

  private onFill(fill: Fill, origin: string): void {
    const closed = this.books.fill(fill, origin);
    const snapshot = this.books.snapshot();
    this.lastPublishedEquity = snapshot.equity;
    this.publish('portfolio.updated', snapshot);
    const { positions } = snapshot;
    // The snapshot's own view of the position: one view per fill, not two.
    let position: PositionView | undefined;
    if (!closed) for (let i = 0; i < positions.length && position === undefined; i++) if (positions[i]!.symbol === fill.symbol) position = positions[i];
    this.publish('position.changed', position === undefined ? { fill, origin } : { fill, origin, position });
    const { journal } = this.options;
    if (!closed) {
      const opened = fill.side === 'buy' && position !== undefined && position.qty === fill.qty;
      journal?.append(opened ? 'position.opened' : 'position.changed', this.clock.now(), { symbol: fill.symbol, qty: position?.qty, avgEntry: position?.avgEntry, cash: snapshot.cash });
      return;
    }
    journal?.append('position.closed', this.clock.now(), { symbol: closed.symbol, pnl: closed.pnl, exitReason: closed.exitReason, cash: snapshot.cash });
    journal?.closedTrade(closed);
    this.closedTrades?.push(closed);
    this.publish('position.closed', closed);
  }
}
