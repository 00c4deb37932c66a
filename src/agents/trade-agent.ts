import type { Signal } from '../bus/topics';
import type { Executor, ExecutorHooks, LiveExecutor, LiveExecutorFactory } from '../execution/executor';
import { FillModel } from '../execution/fill-model';
import { createOrderIds } from '../execution/order-ids';
import type { Fill, Order, OrderDenial } from '../execution/types';
import { timeframeMs } from '../market/timeframe';
import { markToMarket } from '../portfolio/mark-to-market';
import type { PortfolioSnapshot } from '../portfolio/types';
import { checkEntry, checkExit } from '../risk/risk-gate';
import { parseStake, stakeQuoteAmount, type Stake } from '../risk/sizing';
import type { AgentContext } from './base-agent';
import { ConfiguredAgent } from './configured-agent';

/**
 * Turns signals into orders: sizes entries from `trade.stake`, passes every order through the risk gate
 * (a refusal is an `order.denied` event with a reason code), and executes through the paper broker's fill
 * model on the next price the market offers. Sets the configured stop-loss and take-profit on each new
 * position.
 */
export interface TradeAgentOptions {
  /** Live trading: executes on the exchange instead of the paper fill model. */
  live?: LiveExecutorFactory;
}

export class TradeAgent extends ConfiguredAgent {
  private fills!: Executor;
  private live: LiveExecutor | undefined;
  private nextOrderId: () => string = createOrderIds('paper');
  private snapshot: PortfolioSnapshot | undefined;
  private readonly orders = new Map<string, Order>();
  /** `trade.stake`, parsed once per configuration rather than on every signal. */
  private stake: Stake = { kind: 'all' };
  /** Symbols whose live data is stale (`market.stale`): no entries there until `market.resumed`. */
  private readonly stale = new Set<string>();

  constructor(
    context: AgentContext,
    private readonly options: TradeAgentOptions = {},
  ) {
    super(
      {
        name: 'trade',
        dependsOn: ['config', 'portfolio'],
        publishes: ['order.submitted', 'order.filled', 'order.denied', 'order.canceled', 'signal.rejected'],
      },
      context,
    );
  }

  protected override async onConfigured(): Promise<void> {
    if (this.options.live) {
      const live = this.options.live(this.liveHooks());
      await live.start();
      this.live = live;
      this.fills = live;
      this.nextOrderId = () => live.nextOrderId();
    } else {
      this.fills = this.newFillModel();
    }
    this.stake = parseStake(this.config.trade.stake);
    this.orders.clear();
    this.snapshot = await this.request('portfolio.snapshot', {});
    this.subscribe('portfolio.updated', ({ payload }) => {
      this.snapshot = payload;
    });
    this.stale.clear();
    this.subscribe('market.stale', ({ payload }) => payload.symbols.forEach((s) => this.stale.add(s)));
    this.subscribe('market.resumed', ({ payload }) => payload.symbols.forEach((s) => this.stale.delete(s)));
    this.subscribe('signal', ({ payload }) => this.onSignal(payload));
    this.subscribe('market.tick', ({ payload }) => this.settle(this.fills.onTick(payload)));
    // Subscribed before the analysis agent: a period's fills at its opens come before its decisions at its closes.
    this.subscribe('market.candles', ({ payload }) => {
      const { candles } = payload;
      for (let i = 0; i < candles.length; i++) this.settle(this.fills.onCandle(candles[i]!));
    });
  }

  protected override async onStop(): Promise<void> {
    if (this.live) {
      // Market orders already sent fill on the exchange whatever we do; the book and the stream stop here.
      const pending = this.live.pending();
      if (pending.length > 0) this.log.warn(`stopping with ${pending.length} order(s) still open on the exchange: ${pending.map((o) => o.clientOrderId).join(', ')}`);
      await this.live.stop();
      this.live = undefined;
      return;
    }
    for (const order of this.fills?.pending() ?? []) {
      this.fills.cancel(order.clientOrderId);
      this.publish('order.canceled', { order, reason: 'the bot is stopping' });
      this.log.info(`canceled ${describeOrder(order)}: the bot is stopping`);
    }
  }

  /** What the live executor reports after an order has left. */
  private liveHooks(): ExecutorHooks {
    return {
      onFills: (fills) => this.settle(fills),
      onRejected: (order, denial) => {
        this.orders.delete(order.clientOrderId);
        this.deny(order, denial);
      },
      onCanceled: (order, reason) => {
        this.orders.delete(order.clientOrderId);
        this.publish('order.canceled', { order, reason });
        this.log.info(`canceled ${describeOrder(order)}: ${reason}`);
      },
      onNotice: (level, message) => this.log[level](message),
    };
  }

  private newFillModel(): FillModel {
    const { fees, slippageBps } = this.config.trade;
    return new FillModel({ fees: { ...fees }, slippageBps, nextOrderId: this.nextOrderId });
  }

  private onSignal(signal: Signal): void {
    const snapshot = this.currentSnapshot();
    const order: Order = {
      clientOrderId: this.nextOrderId(),
      symbol: signal.symbol,
      side: signal.action === 'enter' ? 'buy' : 'sell',
      type: 'market',
      reason: 'signal',
      origin: signal.strategy,
      createdAt: this.clock.now(),
      // Decided on this candle's close: the earliest fill is the next candle's first price.
      notBefore: signal.candleTime + timeframeMs(this.config.market.timeframe),
    };
    if (signal.action === 'enter') {
      if (this.stale.has(signal.symbol)) {
        return this.refuse(signal, order, { code: 'stale-data', message: `entry in ${signal.symbol} refused: its market data is stale, so its last price may be old` });
      }
      const { trade, risk } = this.config;
      const reserved = this.fills.reservedQuote();
      // An entry may ask for part of the usual stake (its `size`), never more.
      order.quoteAmount = stakeQuoteAmount(this.stake, { freeCash: snapshot.cash - reserved, equity: snapshot.equity }) * (signal.size ?? 1);
      const verdict = checkEntry(
        { symbol: signal.symbol, quoteAmount: order.quoteAmount },
        { snapshot, pendingEntries: this.pendingSymbols('buy'), reservedQuote: reserved },
        { maxOpenPositions: risk.maxOpenPositions, maxPositionPct: risk.maxPositionPct, minNotional: trade.minNotional },
      );
      if (!verdict.ok) return this.refuse(signal, order, verdict.denial);
      order.quoteAmount = verdict.quoteAmount;
      // The strategy's own levels win over the bot-wide ones.
      const stopLossPct = signal.stopLossPct ?? trade.stopLossPct;
      const takeProfitPct = signal.takeProfitPct ?? trade.takeProfitPct;
      if (stopLossPct > 0 || takeProfitPct > 0) order.protect = { stopLossPct, takeProfitPct };
    } else {
      if (this.hasPending('sell', signal.symbol)) {
        return this.refuse(signal, order, { code: 'exit-pending', message: `exit of ${signal.symbol} refused: an exit order is already pending` });
      }
      const verdict = checkExit(signal.symbol, snapshot);
      if (!verdict.ok) return this.refuse(signal, order, verdict.denial);
      const held = snapshot.positions.find((p) => p.symbol === signal.symbol)?.qty ?? 0;
      // A reduce sells its fraction of the position and keeps the rest (and the rest's protection).
      order.qty = signal.action === 'reduce' ? held * (signal.fraction ?? 1) : held;
    }
    this.submit(order, signal);
  }

  /** A signal the risk rules refuse: an order.denied for the order, a signal.rejected for the strategy. */
  private refuse(signal: Signal, order: Order, denial: OrderDenial): void {
    this.deny(order, denial);
    this.publish('signal.rejected', {
      symbol: signal.symbol,
      strategy: signal.strategy,
      action: signal.action,
      reason: 'risk',
      detail: `[${denial.code}] ${denial.message}`,
      candleTime: signal.candleTime,
    });
  }

  private submit(order: Order, signal: Signal): void {
    this.fills.submit(order);
    this.orders.set(order.clientOrderId, order);
    this.publish('order.submitted', { order });
    if (this.log.isEnabled('info')) this.log.info(`order ${describeOrder(order)} (${signal.strategy}: ${signal.reason})`);
  }

  private deny(order: Order, denial: OrderDenial): void {
    this.publish('order.denied', { order, denial });
    this.log.info(`order denied [${denial.code}]: ${denial.message}`);
  }

  private settle(fills: readonly Fill[]): void {
    // Indexed: for...of over the shared frozen empty answer allocated an iterator on every candle.
    for (let i = 0; i < fills.length; i++) {
      const fill = fills[i]!;
      const order = this.orders.get(fill.clientOrderId) ?? protectiveOrder(fill);
      // A live order can fill in several pieces: it stays known until the executor no longer holds it.
      if (!this.live || !this.isPending(fill.clientOrderId)) this.orders.delete(fill.clientOrderId);
      // Logged before it is published, so the log reads fill first, then what the portfolio made of it.
      if (this.log.isEnabled('info')) {
        this.log.info(
          `filled ${fill.clientOrderId} ${fill.side} ${fill.qty.toPrecision(6)} ${fill.symbol} @ ${fill.price.toPrecision(8)}, fee ${fill.fee.toFixed(4)} (${fill.reason})`,
        );
      }
      this.publish('order.filled', { order, fill });
      if (fill.side === 'sell') this.afterExit(fill);
    }
  }

  /** The position is gone: its protection goes, and so does any exit still pending for it. */
  private afterExit(fill: Fill): void {
    // The portfolio has booked the fill by now (the bus is synchronous): after a reduce the rest of the
    // position stays, and so does its protection, already cut to the quantity left.
    if (this.snapshot?.positions.some((p) => p.symbol === fill.symbol)) return;
    this.fills.clearProtection(fill.symbol);
    if (fill.reason !== 'stop-loss' && fill.reason !== 'take-profit') return;
    for (const order of this.fills.pending()) {
      if (order.symbol !== fill.symbol || order.side !== 'sell') continue;
      this.fills.cancel(order.clientOrderId);
      this.orders.delete(order.clientOrderId);
      this.publish('order.canceled', { order, reason: `the position was closed by its ${fill.reason}` });
    }
  }

  private isPending(clientOrderId: string): boolean {
    for (const order of this.fills.pendingOrders()) if (order.clientOrderId === clientOrderId) return true;
    return false;
  }

  private hasPending(side: 'buy' | 'sell', symbol: string): boolean {
    for (const order of this.fills.pendingOrders()) if (order.side === side && order.symbol === symbol) return true;
    return false;
  }

  private pendingSymbols(side: 'buy' | 'sell'): string[] {
    const symbols: string[] = [];
    for (const order of this.fills.pendingOrders()) if (order.side === side) symbols.push(order.symbol);
    return symbols;
  }

  /**
   * The last snapshot with its positions valued at the last prices the executor saw: the closes of the
   * period being decided, which the portfolio marks only once the period is over. The equity an order is
   * sized on is the one the portfolio will report for this period.
   */
  private currentSnapshot(): PortfolioSnapshot {
    if (!this.snapshot) throw new Error('trade agent has no portfolio snapshot yet');
    return markToMarket(this.snapshot, (symbol) => this.fills.lastPrice(symbol), this.clock.now());
  }
}

/** Stop-loss and take-profit fills come from orders the fill model made itself. */
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

function describeOrder(order: Order): string {
  const size = order.quoteAmount !== undefined ? `${order.quoteAmount.toFixed(2)} quote` : `${order.qty?.toPrecision(6)}`;
  return `${order.clientOrderId} ${order.side} ${order.type} ${order.symbol} ${size}`;
}
