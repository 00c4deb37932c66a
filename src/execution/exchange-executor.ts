import type { Clock } from '../core/clock';
import { createClientOrderIds, type ClientOrderIds } from '../exchange/live/client-order-ids';
import { ExchangeBroker, type ExchangeBrokerConfig } from '../exchange/live/exchange-broker';
import { redactCcxtError } from '../exchange/live/redact-ccxt-error';
import type { TrackedOrderState } from '../exchange/live/order-tracker';
import type { LiveExchange } from '../exchange/live/types';
import { splitSymbol } from '../market/symbols';
import type { Candle, Tick } from '../market/types';
import type { ExecutionReports, ExecutionSetup, Executor, ExecutorState } from './executor';
import { candleEvent, tickEvent, type PriceEvent } from './price-event';
import type { ProtectionBook } from './protection-book';
import { PROTECTIVE_REASONS, type FeeSchedule, type Fill, type Order } from './types';

export interface ExchangeExecutorConfig {
  exchange: LiveExchange;
  clock: Clock;
  symbols: readonly string[];
  fees: FeeSchedule;
  slippageBps: number;
  /** Client order id prefix: distinct per bot trading the same account. */
  idPrefix: string;
  /** apiKey, secret, password: never in a message. */
  secrets: readonly string[];
  /** Called once the executor has stopped: closes an exchange instance the executor owns (its websockets). */
  close?: () => Promise<void>;
  /** How long stop() waits for the answers to orders already sent (ms; default STOP_DRAIN_MS). */
  stopDrainMs?: number;
  /** Overrides for the broker's timings (tests). */
  broker?: Partial<Omit<ExchangeBrokerConfig, 'exchange' | 'clock' | 'ids' | 'symbols' | 'fees' | 'slippageBps' | 'secrets'>>;
}

/**
 * A stop waits this long for orders already sent: a market order's answer comes in well under a second,
 * and the orchestrator gives an agent 10 s to stop.
 */
const STOP_DRAIN_MS = 5000;

/**
 * Executes the TradeAgent's orders on a real exchange through the live broker, and fires the stop-loss and
 * take-profit levels of the protection book on the client side: each price that reaches a level sends a
 * market sell, announced (`submitted`) before it goes. Fills, refusals and cancellations are reported as the
 * exchange answers.
 *
 * Binance takes a buy's commission in the bought coin, so the exchange holds a little less than the ledger's
 * position. An exit therefore sells what the exchange holds (never more), and its fills are booked as the
 * ledger's whole position at the fill price: the base commission, booked in quote at the entry, is settled
 * there, and the books agree with the exchange to within the fee times the price change in between.
 */
export class ExchangeExecutor implements Executor {
  private readonly ids: ClientOrderIds;
  private readonly broker: ExchangeBroker;
  private readonly reports: ExecutionReports;
  private readonly protections: ProtectionBook;
  private readonly orders = new Map<string, Order>();
  /** Quote spent so far by each pending buy, which no longer needs reserving. */
  private readonly spent = new Map<string, number>();
  private readonly lastPrices = new Map<string, number>();
  /**
   * What the account holds of each coin the bot bought this session, by its own fills: bought minus the
   * commission taken in the coin, minus sold. Exits are sized from it without asking the exchange.
   */
  private readonly holdings = new Map<string, number>();
  private stopping = false;

  constructor(
    private readonly config: ExchangeExecutorConfig,
    { reports, protections }: ExecutionSetup,
  ) {
    this.reports = reports;
    this.protections = protections;
    this.ids = createClientOrderIds(config.idPrefix, config.clock);
    this.broker = new ExchangeBroker(
      {
        ...config.broker,
        exchange: config.exchange,
        clock: config.clock,
        ids: this.ids,
        symbols: config.symbols,
        fees: config.fees,
        slippageBps: config.slippageBps,
        secrets: config.secrets,
      },
      {
        onFill: (fill, order) => this.onFill(fill, order),
        onRejected: (order, denial) => {
          this.forget(order.clientOrderId);
          // The books were wrong about the coin held: the next exit asks the exchange.
          if (denial.code === 'insufficient-funds' && order.side === 'sell') this.holdings.delete(order.symbol);
          reports.rejected(order, denial);
        },
        onCanceled: (order, reason) => {
          this.forget(order.clientOrderId);
          reports.canceled(order, reason);
        },
        onUnknown: (order, reason) =>
          reports.notice('warn', `order ${order.clientOrderId}: its outcome is unknown (${reason}); it is not sent again, and reconciliation keeps looking for it`),
        onNotice: (level, message) => reports.notice(level, message),
        onConnection: (connected, reason, kind) => reports.connection?.(connected, reason, kind),
        onAccepted: (order) => reports.accepted(order),
        onAdopted: (order) => {
          if (!this.orders.has(order.clientOrderId)) this.orders.set(order.clientOrderId, order);
        },
      },
    );
  }

  nextOrderId(): string {
    return this.ids.next();
  }

  start(): Promise<void> {
    this.stopping = false;
    return this.broker.start();
  }

  async stop(): Promise<void> {
    // No level fires from here on: its exit could not be sent, and the level would be gone from the state.
    this.stopping = true;
    // Market orders already sent fill on the exchange whatever we do: their answers are waited for, so the
    // books take the fills while they still run. What is still open after that is settled at the next start.
    await this.broker.stop(this.config.stopDrainMs ?? STOP_DRAIN_MS);
    const open = [...this.orders.keys()];
    if (open.length > 0) this.reports.notice('warn', `stopping with ${open.length} order(s) still open on the exchange: ${open.join(', ')}`);
    await this.config.close?.();
  }

  submit(order: Order): void {
    const price = this.lastPrices.get(order.symbol);
    if (price === undefined) {
      this.reports.rejected(order, { code: 'invalid-order', message: `order ${order.clientOrderId} refused: no price of ${order.symbol} has arrived yet` });
      return;
    }
    this.orders.set(order.clientOrderId, order);
    void this.send(order, price);
  }

  cancel(clientOrderId: string, reason: string): boolean {
    if (!this.orders.has(clientOrderId)) return false;
    void this.broker.cancel(clientOrderId, reason);
    return true;
  }

  async accountHoldings(): Promise<Record<string, number>> {
    // A negative tolerance lists every asset, differing or not: here the totals are what is asked for.
    const all = await this.broker.reconcileBalances({}, -1);
    return Object.fromEntries(all.map((d) => [d.asset, d.total]));
  }

  /**
   * The orders in play as the live order book knows them; an order the book does not hold yet (its
   * intent is written before it is sized and sent) as sent, pending.
   */
  snapshot(): ExecutorState {
    const tracked = new Map(this.broker.snapshotOrders().map((t) => [t.order.clientOrderId, t]));
    // Each with the order as asked (a sell's whole position), the book's amount being what was sent.
    const orders = [...this.orders.values()].map((order) => {
      const known = tracked.get(order.clientOrderId);
      return known ? { ...known, order: { ...order } } : this.asSent(order);
    });
    return { kind: 'live', orders };
  }

  restore(state: ExecutorState, known: readonly Order[]): void {
    if (state.kind !== 'live') throw new Error('a live executor cannot take the state of a paper one');
    const held = new Set(state.orders.map((t) => t.order.clientOrderId));
    const handedOver = known.filter((o) => !held.has(o.clientOrderId)).map((order) => this.asSent(order));
    const orders = [...state.orders, ...handedOver];
    for (const { order } of orders) this.orders.set(order.clientOrderId, { ...order });
    this.broker.restoreOrders(orders);
  }

  /** An order as the book holds one just sent: nothing known of it yet. */
  private asSent(order: Order): TrackedOrderState {
    return { order: { ...order }, amount: order.qty ?? 0, state: 'pending', filledQty: 0, filledCost: 0, adopted: false };
  }

  /** The pending orders, a copy (tests read it). */
  pending(): readonly Order[] {
    return [...this.orders.values()];
  }

  pendingOrders(): Iterable<Readonly<Order>> {
    return this.orders.values();
  }

  isPending(clientOrderId: string): boolean {
    return this.orders.has(clientOrderId);
  }

  reservedQuote(): number {
    let reserved = 0;
    for (const order of this.orders.values()) {
      if (order.side !== 'buy') continue;
      const spent = this.spent.get(order.clientOrderId) ?? 0;
      reserved += Math.max(0, (order.quoteAmount ?? (order.qty ?? 0) * (this.lastPrices.get(order.symbol) ?? 0)) - spent);
    }
    return reserved;
  }

  lastPrice(symbol: string): number | undefined {
    return this.lastPrices.get(symbol);
  }

  onTick(tick: Tick): void {
    this.lastPrices.set(tick.symbol, tick.price);
    this.watch(tickEvent(tick));
  }

  onCandle(candle: Candle): void {
    this.lastPrices.set(candle.symbol, candle.close);
    this.watch(candleEvent(candle));
  }

  private async send(order: Order, price: number): Promise<void> {
    try {
      const sent = order.side === 'sell' && order.qty !== undefined ? await this.withinHoldings(order) : order;
      await this.broker.submit(sent, price);
    } catch (err) {
      // The broker settles exchange errors itself; this is a refusal before sending (e.g. not running).
      this.forget(order.clientOrderId);
      this.reports.rejected(order, { code: 'invalid-order', message: `order ${order.clientOrderId} not sent: ${redactCcxtError(err, this.config.secrets)}` });
    }
  }

  /** A sell for no more than the exchange holds of the coin (see the class comment). */
  private async withinHoldings(order: Order): Promise<Order> {
    const asked = order.qty ?? 0;
    // Known from this session's own fills; otherwise (a position from before a restart) asked for.
    const free = this.holdings.get(order.symbol) ?? (await this.freeBalance(order.symbol));
    if (free === undefined || free >= asked || free <= 0) return order;
    // The exchange sells whole lot steps: the scale is taken against what will really be sent.
    const sendable = Number(this.config.exchange.amountToPrecision(order.symbol, free) ?? free);
    if (!(sendable > 0)) return order;
    return { ...order, qty: sendable };
  }

  private async freeBalance(symbol: string): Promise<number | undefined> {
    try {
      const balances = await this.config.exchange.fetchBalance();
      return (balances as unknown as Record<string, { free?: number } | undefined>)[splitSymbol(symbol).base]?.free;
    } catch (err) {
      this.reports.notice('warn', `could not read the balance before selling ${symbol}; selling the ledger's quantity: ${redactCcxtError(err, this.config.secrets)}`);
      return undefined;
    }
  }

  private onFill(fill: Fill, order: Order): void {
    const held = this.holdings.get(fill.symbol) ?? 0;
    // A buy whose commission currency is unknown leaves the holding unknown: the exit asks the exchange.
    if (fill.side === 'buy' && fill.baseFee === undefined) this.holdings.delete(fill.symbol);
    else this.holdings.set(fill.symbol, fill.side === 'buy' ? held + fill.qty - (fill.baseFee ?? 0) : Math.max(0, held - fill.qty));
    // A sell sent for less than it asked (what the account held) books its fills as the whole ask: per unit
    // sent, asked / sent. Taken from the order book, which has the sent amount from the exchange itself for
    // an order a previous session sent.
    let booked = fill;
    const asked = this.orders.get(fill.clientOrderId)?.qty ?? order.qty;
    const sent = this.broker.sentAmount(fill.clientOrderId);
    if (fill.side === 'sell' && asked !== undefined && sent !== undefined && sent > 0 && sent < asked) booked = { ...fill, qty: fill.qty * (asked / sent) };
    if (booked.side === 'buy') {
      this.spent.set(fill.clientOrderId, (this.spent.get(fill.clientOrderId) ?? 0) + booked.qty * booked.price);
      this.protections.entryFilled(booked.symbol, booked.clientOrderId, booked.qty, booked.price, order.protect, booked.time);
    } else if (!isProtectiveExit(order)) this.protections.exitFilled(booked.symbol, booked.qty);
    if (this.broker.orderState(fill.clientOrderId) === 'closed') this.forget(fill.clientOrderId);
    this.reports.filled(booked);
  }

  private forget(clientOrderId: string): void {
    this.orders.delete(clientOrderId);
    this.spent.delete(clientOrderId);
  }

  /**
   * A price at a level sends the position's exit, once: the level goes (or a ladder tier's share of it) as
   * the order goes out, so its fill does not cut the protection again.
   */
  private watch(event: PriceEvent): void {
    if (this.stopping) return;
    const slot = this.protections.slot(event.symbol);
    let fired = this.protections.fire(slot, event);
    while (fired !== undefined) {
      this.reports.notice('info', `${fired.reason} of ${event.symbol} reached at ${fired.price}: selling ${fired.qty}`);
      const exit: Order = {
        clientOrderId: this.ids.next(),
        symbol: event.symbol,
        side: 'sell',
        type: 'market',
        qty: fired.qty,
        reason: fired.reason,
        origin: PROTECTIVE_ORIGIN,
        createdAt: this.config.clock.now(),
      };
      this.reports.submitted(exit);
      this.submit(exit);
      fired = fired.partial ? this.protections.fire(slot, event, false) : undefined;
    }
  }
}

/** The origin of the exits the executor fires from a position's levels. */
const PROTECTIVE_ORIGIN = 'risk';

const PROTECTIVE: ReadonlySet<string> = new Set(PROTECTIVE_REASONS);

/** An exit watch() fired from the levels (the kill switch's exits, also from 'risk', are orders like any). */
function isProtectiveExit(order: Order): boolean {
  return order.origin === PROTECTIVE_ORIGIN && PROTECTIVE.has(order.reason);
}
