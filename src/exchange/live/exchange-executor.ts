import type { Clock } from '../../core/clock';
import type { ExecutorHooks, LiveExecutor } from '../../execution/executor';
import { candleEvent, tickEvent, type PriceEvent } from '../../execution/price-event';
import { protectiveExitTrigger, type Protection } from '../../execution/protective-exit';
import type { FeeSchedule, Fill, Order } from '../../execution/types';
import { splitSymbol } from '../../market/symbols';
import type { Candle, Tick } from '../../market/types';
import { createClientOrderIds, type ClientOrderIds } from './client-order-ids';
import { ExchangeBroker, type ExchangeBrokerConfig } from './exchange-broker';
import { redactCcxtError } from './redact-ccxt-error';
import type { LiveExchange } from './types';

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
  /** Overrides for the broker's timings (tests). */
  broker?: Partial<Omit<ExchangeBrokerConfig, 'exchange' | 'clock' | 'ids' | 'symbols' | 'fees' | 'slippageBps' | 'secrets'>>;
}

const NO_FILLS: readonly Fill[] = Object.freeze([]);

/**
 * Executes the TradeAgent's orders on a real exchange through the live broker, and runs the stop-loss and
 * take-profit of the positions it opened on the client side: each price that reaches a level sends a market
 * sell. Fills, refusals and cancellations arrive later, through the hooks.
 *
 * Binance takes a buy's commission in the bought coin, so the exchange holds a little less than the ledger's
 * position. An exit therefore sells what the exchange holds (never more), and its fills are booked as the
 * ledger's whole position at the fill price: the base commission, booked in quote at the entry, is settled
 * there, and the books agree with the exchange to within the fee times the price change in between.
 */
export class ExchangeExecutor implements LiveExecutor {
  private readonly ids: ClientOrderIds;
  private readonly broker: ExchangeBroker;
  private readonly orders = new Map<string, Order>();
  /** Sells sent for less than the order asked (the exchange's balance): booked quantity per sent unit. */
  private readonly sellScale = new Map<string, number>();
  private readonly protections = new Map<string, Protection>();
  /** Entries' fills so far, for the average price their levels are set around. */
  private readonly entryFills = new Map<string, { qty: number; cost: number }>();
  private readonly lastPrices = new Map<string, number>();
  /**
   * What the account holds of each coin the bot bought this session, by its own fills: bought minus the
   * commission taken in the coin, minus sold. Exits are sized from it without asking the exchange.
   */
  private readonly holdings = new Map<string, number>();

  constructor(
    private readonly config: ExchangeExecutorConfig,
    private readonly hooks: ExecutorHooks,
  ) {
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
          hooks.onRejected(order, denial);
        },
        onCanceled: (order, reason) => {
          this.forget(order.clientOrderId);
          hooks.onCanceled(order, reason);
        },
        onUnknown: (order, reason) =>
          hooks.onNotice('warn', `order ${order.clientOrderId}: its outcome is unknown (${reason}); it is not sent again, and reconciliation keeps looking for it`),
        onNotice: (level, message) => hooks.onNotice(level, message),
        onAccepted: (order) => hooks.onNotice('debug', `order ${order.clientOrderId} accepted by the exchange`),
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
    return this.broker.start();
  }

  async stop(): Promise<void> {
    this.broker.stop();
    return Promise.resolve();
  }

  submit(order: Order): void {
    const price = this.lastPrices.get(order.symbol);
    if (price === undefined) {
      this.hooks.onRejected(order, { code: 'invalid-order', message: `order ${order.clientOrderId} refused: no price of ${order.symbol} has arrived yet` });
      return;
    }
    this.orders.set(order.clientOrderId, order);
    void this.send(order, price);
  }

  cancel(clientOrderId: string): boolean {
    if (!this.orders.has(clientOrderId)) return false;
    void this.broker.cancel(clientOrderId);
    return true;
  }

  pending(): readonly Order[] {
    return [...this.orders.values()];
  }

  pendingOrders(): Iterable<Readonly<Order>> {
    return this.orders.values();
  }

  reservedQuote(): number {
    let reserved = 0;
    for (const order of this.orders.values()) {
      if (order.side !== 'buy') continue;
      const spent = this.entryFills.get(order.clientOrderId)?.cost ?? 0;
      reserved += Math.max(0, (order.quoteAmount ?? (order.qty ?? 0) * (this.lastPrices.get(order.symbol) ?? 0)) - spent);
    }
    return reserved;
  }

  clearProtection(symbol: string): void {
    this.protections.delete(symbol);
  }

  lastPrice(symbol: string): number | undefined {
    return this.lastPrices.get(symbol);
  }

  onTick(tick: Tick): readonly Fill[] {
    this.lastPrices.set(tick.symbol, tick.price);
    this.watch(tickEvent(tick));
    return NO_FILLS;
  }

  onCandle(candle: Candle): readonly Fill[] {
    this.lastPrices.set(candle.symbol, candle.close);
    this.watch(candleEvent(candle));
    return NO_FILLS;
  }

  private async send(order: Order, price: number): Promise<void> {
    try {
      const sent = order.side === 'sell' && order.qty !== undefined ? await this.withinHoldings(order) : order;
      await this.broker.submit(sent, price);
    } catch (err) {
      // The broker settles exchange errors itself; this is a refusal before sending (e.g. not running).
      this.forget(order.clientOrderId);
      this.hooks.onRejected(order, { code: 'invalid-order', message: `order ${order.clientOrderId} not sent: ${redactCcxtError(err, this.config.secrets)}` });
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
    this.sellScale.set(order.clientOrderId, asked / sendable);
    return { ...order, qty: sendable };
  }

  private async freeBalance(symbol: string): Promise<number | undefined> {
    try {
      const balances = await this.config.exchange.fetchBalance();
      return (balances as unknown as Record<string, { free?: number } | undefined>)[splitSymbol(symbol).base]?.free;
    } catch (err) {
      this.hooks.onNotice('warn', `could not read the balance before selling ${symbol}; selling the ledger's quantity: ${redactCcxtError(err, this.config.secrets)}`);
      return undefined;
    }
  }

  private onFill(fill: Fill, order: Order): void {
    const held = this.holdings.get(fill.symbol) ?? 0;
    // A buy whose commission currency is unknown leaves the holding unknown: the exit asks the exchange.
    if (fill.side === 'buy' && fill.baseFee === undefined) this.holdings.delete(fill.symbol);
    else this.holdings.set(fill.symbol, fill.side === 'buy' ? held + fill.qty - (fill.baseFee ?? 0) : Math.max(0, held - fill.qty));
    let booked = fill;
    const scale = this.sellScale.get(fill.clientOrderId);
    if (scale !== undefined) booked = { ...fill, qty: fill.qty * scale };
    if (booked.side === 'buy') this.protectEntry(order, booked);
    else this.reduceProtection(booked.symbol, booked.qty);
    if (this.broker.orderState(fill.clientOrderId) === 'closed') this.forget(fill.clientOrderId);
    this.hooks.onFills([booked]);
  }

  private forget(clientOrderId: string): void {
    this.orders.delete(clientOrderId);
    this.sellScale.delete(clientOrderId);
    this.entryFills.delete(clientOrderId);
  }

  /** Levels around the entry's average fill price so far, covering what it has bought. */
  private protectEntry(order: Order, fill: Fill): void {
    const sofar = this.entryFills.get(fill.clientOrderId) ?? { qty: 0, cost: 0 };
    sofar.qty += fill.qty;
    sofar.cost += fill.qty * fill.price;
    this.entryFills.set(fill.clientOrderId, sofar);
    const { stopLossPct = 0, takeProfitPct = 0 } = order.protect ?? {};
    if (stopLossPct <= 0 && takeProfitPct <= 0) return;
    const average = sofar.cost / sofar.qty;
    const held = this.protections.get(fill.symbol);
    this.protections.set(fill.symbol, {
      qty: (held?.qty ?? 0) + fill.qty,
      ...(stopLossPct > 0 ? { stopLoss: average * (1 - stopLossPct / 100) } : {}),
      ...(takeProfitPct > 0 ? { takeProfit: average * (1 + takeProfitPct / 100) } : {}),
    });
  }

  private reduceProtection(symbol: string, sold: number): void {
    const protection = this.protections.get(symbol);
    if (!protection) return;
    const left = protection.qty - sold;
    if (left <= protection.qty * 1e-9) this.protections.delete(symbol);
    else protection.qty = left;
  }

  /** A price at a level sends the position's exit, once: the level goes as the order goes out. */
  private watch(event: PriceEvent): void {
    const protection = this.protections.get(event.symbol);
    if (!protection) return;
    const trigger = protectiveExitTrigger(protection, event);
    if (!trigger) return;
    this.protections.delete(event.symbol);
    this.hooks.onNotice('info', `${trigger.reason} of ${event.symbol} reached at ${trigger.price}: selling ${protection.qty}`);
    this.submit({
      clientOrderId: this.ids.next(),
      symbol: event.symbol,
      side: 'sell',
      type: 'market',
      qty: protection.qty,
      reason: trigger.reason,
      origin: 'risk',
      createdAt: this.config.clock.now(),
    });
  }
}
