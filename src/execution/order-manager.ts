import type { Candle, Tick } from '../market/types';
import { markToMarket } from '../portfolio/mark-to-market';
import { fitBuys, type RebalancePlan } from '../portfolio/rebalance';
import type { ClosedTrade, PortfolioSnapshot } from '../portfolio/types';
import type { BookView, RiskEngine } from '../risk/risk-engine';
import { orderLevels } from '../strategy/entry-levels';
import type { Signal } from '../strategy/signal';
import type { ExecutionReports, Executor, ExecutorFactory, ExecutorState, NoticeLevel } from './executor';
import { ProtectionBook, type ProtectionSlotState } from './protection-book';
import { RebalanceRun, type RebalanceCompleted, type RebalanceRunState } from './rebalance-run';
import type { EntryLevels, Fill, Order, OrderDenial, OrderReason } from './types';

/** The trade side's state as plain data, for a state file. */
export interface TradeState {
  /** The orders the manager knows, as they were made. */
  orders: Order[];
  protections: ProtectionSlotState[];
  executor: ExecutorState;
  /** A rebalance whose orders were out; absent when none was. */
  rebalance?: RebalanceRunState;
}

/** What the order manager tells its owner (the TradeAgent, which publishes, logs and journals it). */
export interface OrderEvents {
  /**
   * An order is about to go to the executor: told before it is handed over, so its intent can be written
   * down before it can reach an exchange. `signal`: the strategy's signal it came from; absent for an order
   * the executor made (a protective exit).
   */
  submitted(order: Order, signal?: Signal): void;
  /** The exchange acknowledged the order (live). */
  accepted(order: Order): void;
  filled(order: Order, fill: Fill): void;
  /** `signal`: the refused signal, when the refusal came before the order left. */
  denied(order: Order, denial: OrderDenial, signal?: Signal): void;
  canceled(order: Order, reason: string): void;
  notice(level: NoticeLevel, message: string): void;
  /** Live: the order stream dropped or is back. */
  connection?(connected: boolean, reason: string, kind?: string): void;
  /** A rebalance's last leg filled or was refused (optional: only a rebalancing bot needs it). */
  rebalanced?(done: RebalanceCompleted): void;
}

export interface OrderManagerOptions {
  executor: ExecutorFactory;
  risk: RiskEngine;
  events: OrderEvents;
  /** One candle period: a decision on a candle's close fills no earlier than the next candle. */
  periodMs: number;
  /** The bot's stop-loss and take-profit, for entries whose strategy sets none. */
  botLevels: () => EntryLevels;
}

/**
 * The trade side's book of orders, for paper and live alike: turns signals into orders the risk engine has
 * passed and sized, sends them through the executor, keeps each until the executor is done with it so its
 * fills name it, and owns the protection book the executor fires. When a position closes, its levels go,
 * and after a stop-loss or take-profit so does any other exit still pending for it (cancel-the-other).
 */
export class OrderManager {
  readonly protections = new ProtectionBook();
  private readonly executor: Executor;
  private readonly orders = new Map<string, Order>();
  private books: PortfolioSnapshot | undefined;
  /** The rebalance whose orders are out; one at a time. */
  private rebalancing: RebalanceRun | undefined;

  constructor(private readonly options: OrderManagerOptions) {
    this.executor = options.executor({ reports: this.reports(), protections: this.protections });
  }

  start(): Promise<void> {
    return this.executor.start();
  }

  /** Live: the account's holdings per asset; paper: undefined. */
  accountHoldings(): Promise<Record<string, number> | undefined> {
    return this.executor.accountHoldings();
  }

  snapshot(): TradeState {
    const state: TradeState = { orders: [...this.orders.values()].map((o) => ({ ...o })), protections: this.protections.toState(), executor: this.executor.snapshot() };
    if (this.rebalancing) state.rebalance = this.rebalancing.toState();
    return state;
  }

  /** Goes on from a snapshot: before start(), which for a live executor reconciles what it restored. */
  restore(state: TradeState): void {
    for (const order of state.orders) this.orders.set(order.clientOrderId, { ...order });
    this.protections.restore(state.protections);
    if (state.rebalance) this.rebalancing = RebalanceRun.fromState(state.rebalance);
    this.executor.restore(state.executor, state.orders);
  }

  stop(): Promise<void> {
    return this.executor.stop();
  }

  /** The books as the portfolio last published them. */
  booksChanged(snapshot: PortfolioSnapshot): void {
    this.books = snapshot;
  }

  onTick(tick: Tick): void {
    this.executor.onTick(tick);
  }

  onCandles(candles: readonly Candle[]): void {
    const run = this.rebalancing;
    if (run === undefined || run.sellsDone) {
      for (let i = 0; i < candles.length; i++) this.executor.onCandle(candles[i]!);
      return;
    }
    // A rebalance's sells fill first, whatever the symbols' order: their proceeds are the cash its buys
    // spend at the same open.
    const symbolOf = (id: string): string | undefined => this.orders.get(id)?.symbol;
    const first = candles.filter((c) => run.sellsPendingIn(c.symbol, symbolOf));
    for (const candle of first) this.executor.onCandle(candle);
    for (const candle of candles) if (!first.includes(candle)) this.executor.onCandle(candle);
  }

  /** True while a rebalance's orders are out. */
  get rebalancePending(): boolean {
    return this.rebalancing !== undefined;
  }

  /**
   * Places a rebalance (portfolio/rebalance.ts): the sells now, by base quantity; the buys, by quote amount,
   * once every sell filled, cut to the cash there is then. It is not a strategy's entry: the position
   * limits do not apply, the trading state does (halted: nothing; reducing: the sells only).
   */
  rebalance(plan: RebalancePlan, now: number): void {
    if (this.rebalancing !== undefined) throw new Error(`a rebalance decided at ${plan.time} came while the one of ${this.rebalancing.plan.time} is still out`);
    const run = new RebalanceRun(plan);
    this.rebalancing = run;
    const { risk, events } = this.options;
    const state = risk.tradingState;
    const snapshot = this.currentSnapshot(now);
    for (const sell of plan.sells) {
      const order = this.rebalanceOrder(sell.symbol, 'sell', now, plan.notBefore);
      const held = snapshot.positions.find((p) => p.symbol === sell.symbol)?.qty ?? 0;
      if (state === 'halted') {
        events.denied(order, { code: 'trading-halted', message: `rebalance sell of ${sell.symbol} refused: trading is halted (${risk.protections.reason})` });
        continue;
      }
      if (!(held > 0)) continue;
      order.qty = Math.min(sell.qty, held);
      run.sellsOut.add(order.clientOrderId);
      this.send(order);
    }
    if (state !== 'active') {
      const code = state === 'halted' ? 'trading-halted' : 'trading-reducing';
      for (const buy of plan.buys) {
        events.denied(this.rebalanceOrder(buy.symbol, 'buy', now, plan.notBefore), { code, message: `rebalance buy of ${buy.symbol} refused: trading is ${state} (${risk.protections.reason})` });
      }
      run.heldBuys = undefined;
    }
    this.advanceRebalance(now);
  }

  private rebalanceOrder(symbol: string, side: 'buy' | 'sell', now: number, notBefore: number): Order {
    return { clientOrderId: this.executor.nextOrderId(), symbol, side, type: 'market', reason: 'rebalance', origin: 'rebalance', createdAt: now, notBefore };
  }

  private send(order: Order): void {
    this.orders.set(order.clientOrderId, order);
    this.options.events.submitted(order);
    this.executor.submit(order);
  }

  /** Sends the held buys once the sells are done, and reports the rebalance once everything is. */
  private advanceRebalance(now: number): void {
    const run = this.rebalancing;
    if (run === undefined || !run.sellsDone) return;
    if (run.heldBuys !== undefined) {
      const books = this.currentSnapshot(now);
      // The books are the ones after the sells' fills: the portfolio published them before this runs.
      const buys = fitBuys(run.heldBuys, books.cash - this.executor.reservedQuote(), run.plan.minTradeQuote);
      run.heldBuys = undefined;
      for (const buy of buys) {
        const order = this.rebalanceOrder(buy.symbol, 'buy', now, Math.max(run.plan.notBefore, now));
        order.quoteAmount = buy.quoteAmount;
        run.buysOut.add(order.clientOrderId);
        this.send(order);
      }
    }
    if (!run.done) return;
    this.rebalancing = undefined;
    this.options.events.rebalanced?.(run.completed(this.currentSnapshot(now)));
  }

  /** An order of the running rebalance is done with (filled, refused or canceled): the rebalance moves on. */
  private rebalanceOrderDone(clientOrderId: string, time: number, fill?: Fill): void {
    const run = this.rebalancing;
    if (run === undefined || !run.owns(clientOrderId)) return;
    if (fill) run.filled(fill, this.executor.isPending(clientOrderId));
    else run.forget(clientOrderId);
    this.advanceRebalance(time);
  }

  onSignal(signal: Signal, now: number): void {
    const order: Order = {
      clientOrderId: this.executor.nextOrderId(),
      symbol: signal.symbol,
      side: signal.action === 'enter' ? 'buy' : 'sell',
      type: 'market',
      reason: 'signal',
      origin: signal.strategy,
      createdAt: now,
      // Decided on this candle's close: the earliest fill is the next candle's first price.
      notBefore: signal.candleTime + this.options.periodMs,
    };
    const snapshot = this.currentSnapshot(now);
    const { risk, events } = this.options;
    if (signal.action === 'enter') {
      const review = risk.reviewEntry(signal.size === undefined ? { symbol: signal.symbol } : { symbol: signal.symbol, size: signal.size }, this.bookView(snapshot, signal.strategy), order.notBefore!);
      if (!review.ok) {
        if (review.quoteAmount !== undefined) order.quoteAmount = review.quoteAmount;
        return events.denied(order, review.denial, signal);
      }
      order.quoteAmount = review.quoteAmount;
      const protect = orderLevels(signal, this.options.botLevels());
      if (protect) order.protect = protect;
    } else {
      const ask = { symbol: signal.symbol, strategy: signal.strategy, exitPending: this.hasPending('sell', signal.symbol), ...(signal.action === 'reduce' ? { fraction: signal.fraction ?? 1 } : {}) };
      const review = risk.reviewExit(ask, snapshot);
      if (!review.ok) return events.denied(order, review.denial, signal);
      order.qty = review.qty;
    }
    this.orders.set(order.clientOrderId, order);
    events.submitted(order, signal);
    this.executor.submit(order);
  }

  /**
   * The risk rules sell every open position (the kill switch): market exits with origin 'risk', in every
   * trading state, filling no earlier than `notBefore`; a symbol with an exit already pending keeps that one.
   */
  /**
   * Sells every open position (or only `symbol`'s) at the next price, whatever the trading state: the kill
   * switch's and an operator's exits. Answers how many exit orders went out.
   */
  exitAll(reason: OrderReason, now: number, notBefore: number, symbol?: string): number {
    const snapshot = this.currentSnapshot(now);
    const { risk, events } = this.options;
    let placed = 0;
    for (const position of snapshot.positions) {
      if (position.qty <= 0 || (symbol !== undefined && position.symbol !== symbol)) continue;
      const origin = reason === 'operator' ? 'operator' : 'risk';
      const order: Order = { clientOrderId: this.executor.nextOrderId(), symbol: position.symbol, side: 'sell', type: 'market', reason, origin, createdAt: now, notBefore };
      const review = risk.reviewExit({ symbol: position.symbol, exitPending: this.hasPending('sell', position.symbol) }, snapshot, true);
      if (!review.ok) {
        events.denied(order, review.denial);
        continue;
      }
      order.qty = review.qty;
      this.orders.set(order.clientOrderId, order);
      events.submitted(order);
      this.executor.submit(order);
      placed += 1;
    }
    return placed;
  }

  /** Orders sent or pending, not yet filled, refused or canceled. */
  openOrders(): Order[] {
    return [...this.orders.values()];
  }

  /**
   * The books closed a position: its levels go, and after an exit rule closed it (stop-loss, trailing stop,
   * take-profit, ROI: not a signal) any exit still pending for it is canceled (it would sell what is no
   * longer there).
   */
  positionClosed(trade: ClosedTrade): void {
    this.protections.clear(trade.symbol);
    if (trade.exitReason === 'signal' || trade.exitReason === 'end-of-run') return;
    const others: string[] = [];
    for (const order of this.executor.pendingOrders()) if (order.symbol === trade.symbol && order.side === 'sell') others.push(order.clientOrderId);
    for (const id of others) this.executor.cancel(id, `the position was closed by its ${trade.exitReason}`);
  }

  private reports(): ExecutionReports {
    const { events } = this.options;
    return {
      submitted: (order) => {
        this.orders.set(order.clientOrderId, order);
        events.submitted(order);
      },
      accepted: (order) => events.accepted(order),
      filled: (fill) => {
        const order = this.orders.get(fill.clientOrderId) ?? protectiveOrder(fill);
        // A live order can fill in several pieces: it stays known until the executor no longer holds it.
        if (!this.executor.isPending(fill.clientOrderId)) this.orders.delete(fill.clientOrderId);
        events.filled(order, fill);
        // After the books took the fill (the publish above is synchronous): the buys are sized on them.
        if (order.reason === 'rebalance') this.rebalanceOrderDone(fill.clientOrderId, fill.time, fill);
      },
      rejected: (order, denial) => {
        this.orders.delete(order.clientOrderId);
        events.denied(order, denial);
        if (order.reason === 'rebalance') this.rebalanceOrderDone(order.clientOrderId, order.createdAt);
      },
      canceled: (order, reason) => {
        this.orders.delete(order.clientOrderId);
        events.canceled(order, reason);
        if (order.reason === 'rebalance') this.rebalanceOrderDone(order.clientOrderId, order.createdAt);
      },
      notice: (level, message) => events.notice(level, message),
      connection: (connected, reason, kind) => events.connection?.(connected, reason, kind),
    };
  }

  private bookView(snapshot: PortfolioSnapshot, strategy: string): BookView {
    const pendingEntries: string[] = [];
    let reservedByStrategy = 0;
    for (const order of this.executor.pendingOrders()) {
      if (order.side !== 'buy') continue;
      pendingEntries.push(order.symbol);
      // A strategy's entries are bought by quote amount: what it promised is that amount.
      if (order.origin === strategy) reservedByStrategy += order.quoteAmount ?? 0;
    }
    const view: BookView = { snapshot, pendingEntries, reservedQuote: this.executor.reservedQuote() };
    if (snapshot.strategies !== undefined) view.strategy = { name: strategy, reservedQuote: reservedByStrategy };
    return view;
  }

  private hasPending(side: 'buy' | 'sell', symbol: string): boolean {
    for (const order of this.executor.pendingOrders()) if (order.side === side && order.symbol === symbol) return true;
    return false;
  }

  /**
   * The last snapshot with its positions valued at the last prices the executor saw: the closes of the
   * period being decided, which the portfolio marks only once the period is over. The equity an order is
   * sized on is the one the portfolio will report for this period.
   */
  private currentSnapshot(now: number): PortfolioSnapshot {
    if (!this.books) throw new Error('the order manager has no portfolio snapshot yet');
    return markToMarket(this.books, (symbol) => this.executor.lastPrice(symbol), now);
  }
}

/** A paper stop-loss or take-profit fills an order the fill model made itself, inside the price event. */
function protectiveOrder(fill: Fill): Order {
  return {
    clientOrderId: fill.clientOrderId,
    symbol: fill.symbol,
    side: fill.side,
    type: 'market',
    qty: fill.qty,
    reason: fill.reason,
    origin: 'risk',
    createdAt: fill.time,
  };
}
