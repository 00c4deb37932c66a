import type { Fill } from '../execution/types';
import { Ledger } from '../portfolio/ledger';
import { RunStats } from '../portfolio/run-stats';
import { buildRunSummary } from '../portfolio/summary';
import { TradeTally } from '../portfolio/trade-tally';
import type { ClosedTrade, PortfolioSnapshot, PositionView } from '../portfolio/types';
import { quoteCurrencyOf } from '../market/symbols';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

/**
 * The books: applies every fill to the ledger, marks positions at the last price, tracks the equity curve,
 * publishes `portfolio.updated`, `position.changed` (and `position.closed` when it emptied one) after each
 * fill and `portfolio.marked` when a candle period moves the equity, and answers `portfolio.snapshot`. At
 * shutdown it publishes the run's final summary and closed trades as `portfolio.final`.
 */
export class PortfolioAgent extends ConfiguredAgent {
  private ledger!: Ledger;
  private stats!: RunStats;
  /** Market time of the last event seen: snapshots are stamped with it, not with the wall clock. */
  private marketTime = 0;
  /** Candle periods seen: the symbols' candles of one period share its open time, and periods come in order. */
  private periods = 0;
  private lastCandleTime = Number.NaN;
  private tally = new TradeTally();
  private lastPublishedEquity = Number.NaN;
  /** Kept only when the run writes trades.csv: otherwise a long run would grow with its history. */
  private closedTrades: ClosedTrade[] | undefined;

  constructor(context: AgentContext) {
    super(
      {
        name: 'portfolio',
        dependsOn: ['config'],
        publishes: ['portfolio.updated', 'portfolio.marked', 'position.changed', 'position.closed', 'portfolio.final', 'portfolio.snapshot'],
      },
      context,
    );
  }

  protected override onConfigured(): void {
    const { market, portfolio } = this.config;
    this.ledger = new Ledger({ quoteCurrency: quoteCurrencyOf(market.symbols), startBalance: portfolio.startBalance });
    this.stats = new RunStats();
    this.marketTime = this.clock.now();
    this.periods = 0;
    this.lastCandleTime = Number.NaN;
    this.tally = new TradeTally();
    this.lastPublishedEquity = Number.NaN;
    this.closedTrades = this.config.run.out !== '' ? [] : undefined;
    this.stats.record(this.marketTime, this.ledger.equity());
    this.handle('portfolio.snapshot', () => this.ledger.snapshot(this.marketTime));
    this.subscribe('order.filled', ({ payload }) => this.onFill(payload.fill, payload.order.origin));
    this.subscribe('market.tick', ({ payload }) => {
      this.marketTime = payload.time;
      this.ledger.mark(payload.symbol, payload.price);
    });
    // The books are marked once a period's fills (at its opens) are done: at its closes, all symbols at once.
    // Taken per candle, the equity would mix this period's prices with the last one's, and a position
    // would be valued at a close before the order that sold it at the open was booked.
    this.subscribe('market.period', ({ payload }) => {
      const { candles } = payload;
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
      this.stats.record(payload.time, equity);
      // Only a move is worth a message, and a small one. Positions change on fills only, and each fill
      // publishes the whole snapshot.
      if (equity === this.lastPublishedEquity) return;
      this.lastPublishedEquity = equity;
      this.publish('portfolio.marked', { time: payload.time, equity, positionsValue: equity - this.ledger.cash() });
    });
  }

  protected override onStop(): void {
    if (!this.ledger) return;
    const snapshot = this.ledger.snapshot(this.marketTime);
    const summary = buildRunSummary({
      startBalance: this.config.portfolio.startBalance,
      snapshot,
      tally: this.tally,
      stats: this.stats,
      candles: this.periods,
    });
    this.publish('portfolio.final', { summary, closedTrades: this.closedTrades ?? [] });
  }

  private publishSnapshot(time: number): PortfolioSnapshot {
    const snapshot = this.ledger.snapshot(time);
    this.lastPublishedEquity = snapshot.equity;
    this.publish('portfolio.updated', snapshot);
    return snapshot;
  }

  private onFill(fill: Fill, origin: string): void {
    this.marketTime = Math.max(this.marketTime, fill.time);
    const closed = this.ledger.applyFill(fill);
    this.stats.record(fill.time, this.ledger.equity());
    const { positions } = this.publishSnapshot(this.marketTime);
    // The snapshot's own view of the position: one view per fill, not two.
    let position: PositionView | undefined;
    if (!closed) for (let i = 0; i < positions.length && position === undefined; i++) if (positions[i]!.symbol === fill.symbol) position = positions[i];
    this.publish('position.changed', position === undefined ? { fill, origin } : { fill, origin, position });
    if (!closed) return;
    this.tally.add(closed);
    this.closedTrades?.push(closed);
    this.publish('position.closed', closed);
  }
}
