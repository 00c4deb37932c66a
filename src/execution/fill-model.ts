import type { Candle, Tick } from '../market/types';
import { limitFillPrice, marketFillPrice } from './fill-prices';
import { assertCandlePrices, candleEvent, tickEvent, type PriceEvent } from './price-event';
import { ProtectionBook, type ProtectionSlot } from './protection-book';
import type { FeeSchedule, Fill, Liquidity, Order } from './types';
import { assertValidOrder } from './validate-order';

export interface FillModelConfig {
  fees: FeeSchedule;
  slippageBps: number;
  /** Ids for the sell orders the model makes itself when a stop-loss or take-profit fires. */
  nextOrderId: () => string;
}

interface SymbolState {
  /** Orders pending in the symbol. */
  pending: number;
  /** The symbol's place in the protection book: its exit levels, read without a lookup. */
  slot: ProtectionSlot;
  /** NaN until a price is seen. */
  lastPrice: number;
  /** -Infinity until a tick is seen: then candles of periods ticks have reached are ignored. */
  lastTickTime: number;
}

/** The model's own state as plain data (the levels are the protection book's): what a state file keeps. */
export interface FillModelState {
  /** Pending orders, oldest first. */
  orders: Order[];
  /** Per symbol seen, its last price and the time of its last tick; null where there is none yet. */
  prices: Array<{ symbol: string; lastPrice: number | null; lastTickTime: number | null }>;
}

const NO_ORDERS: readonly Order[] = Object.freeze([]);

/** Most price events fill nothing: one shared, frozen answer instead of a new empty array each time. */
const NO_FILLS: readonly Fill[] = Object.freeze([]);

/**
 * Turns price events into fills, for paper trading and backtests alike, so the two agree. Holds pending
 * orders, and fires the protective exits of open long positions from the protection book it shares with
 * whoever owns the positions' levels.
 *
 * Orders never fill at the price they were decided on: a market order fills on the first price event for
 * its symbol processed after it was submitted (and not before its `notBefore`). Ticks and candles go through
 * the same rules, a tick being a candle with one price. When ticks flow for a symbol, the candle closing a
 * period repeats prices the model has already seen, so a candle whose period a tick has reached is ignored;
 * backtests feed candles only and fill on them.
 */
export class FillModel {
  /**
   * Pending orders, oldest first. An array: a backtest has a handful pending at a time and churns through
   * hundreds of thousands, and a Map's table is reallocated as keys come and go.
   */
  private readonly orders: Order[] = [];
  /**
   * Everything a price event of one symbol asks, behind one lookup. Its numbers live in object fields, which
   * V8 updates in place; a number stored in a Map costs an allocation per candle.
   */
  private readonly symbols = new Map<string, SymbolState>();

  constructor(
    private readonly config: FillModelConfig,
    /** The stop-loss and take-profit levels: set by entries' fills, cut by sells, fired by prices. */
    readonly protections: ProtectionBook = new ProtectionBook(),
  ) {
    const { fees, slippageBps } = config;
    for (const [name, value] of [['maker fee', fees.maker], ['taker fee', fees.taker], ['slippageBps', slippageBps]] as const) {
      if (!Number.isFinite(value) || value < 0) throw new Error(`fill model ${name} is invalid: ${value}; it must be a number >= 0`);
    }
  }

  submit(order: Order): void {
    assertValidOrder(order);
    if (this.indexOf(order.clientOrderId) >= 0) throw new Error(`order ${order.clientOrderId} is already pending`);
    // A copy, so a caller reusing its object cannot change an order already queued.
    this.orders.push({ ...order });
    this.stateOf(order.symbol).pending += 1;
  }

  /** True when the order was pending and is now removed; false when it had already filled or never existed. */
  cancel(clientOrderId: string): boolean {
    const at = this.indexOf(clientOrderId);
    if (at < 0) return false;
    this.remove(this.orders[at]!);
    return true;
  }

  private indexOf(clientOrderId: string): number {
    for (let i = 0; i < this.orders.length; i++) if (this.orders[i]!.clientOrderId === clientOrderId) return i;
    return -1;
  }

  private remove(order: Order): void {
    const at = this.orders.indexOf(order);
    if (at >= 0) this.orders.splice(at, 1);
    this.stateOf(order.symbol).pending -= 1;
  }

  private stateOf(symbol: string): SymbolState {
    let state = this.symbols.get(symbol);
    if (state === undefined) {
      state = { pending: 0, slot: this.protections.slot(symbol), lastPrice: Number.NaN, lastTickTime: Number.NEGATIVE_INFINITY };
      this.symbols.set(symbol, state);
    }
    return state;
  }

  toState(): FillModelState {
    const prices: FillModelState['prices'] = [];
    for (const [symbol, state] of this.symbols) {
      prices.push({
        symbol,
        lastPrice: Number.isNaN(state.lastPrice) ? null : state.lastPrice,
        lastTickTime: Number.isFinite(state.lastTickTime) ? state.lastTickTime : null,
      });
    }
    return { orders: this.orders.map((o) => ({ ...o })), prices };
  }

  /** Takes back a state of toState(): its pending orders and prices, replacing none (it must be empty). */
  restore(state: FillModelState): void {
    if (this.orders.length > 0) throw new Error('the fill model restores its state only before it holds any order');
    for (const { symbol, lastPrice, lastTickTime } of state.prices) {
      const symbolState = this.stateOf(symbol);
      symbolState.lastPrice = lastPrice ?? Number.NaN;
      symbolState.lastTickTime = lastTickTime ?? Number.NEGATIVE_INFINITY;
    }
    for (const order of state.orders) this.submit(order);
  }

  /** Pending orders, oldest first. */
  pending(): readonly Order[] {
    return [...this.orders];
  }

  /** The pending orders, oldest first, without a copy: for a scan; cancel nothing while iterating. */
  pendingOrders(): Iterable<Readonly<Order>> {
    return this.orders;
  }

  /**
   * Quote currency the pending buys will spend, so the risk gate does not spend it twice: the quoteAmount of
   * a buy sized in quote; qty x limit x (1 + maker fee) for a limit buy by quantity, its worst case; for a
   * market buy by quantity an estimate from the last price seen for the symbol with slippage and taker fee
   * (nothing when no price has been seen yet, as its cost is then unknown).
   */
  reservedQuote(): number {
    const { fees, slippageBps } = this.config;
    let reserved = 0;
    for (const order of this.orders) {
      if (order.side !== 'buy') continue;
      if (order.quoteAmount !== undefined) reserved += order.quoteAmount;
      else if (order.type === 'limit') reserved += (order.qty ?? 0) * (order.limitPrice ?? 0) * (1 + fees.maker);
      else reserved += (order.qty ?? 0) * (this.lastPrice(order.symbol) ?? 0) * (1 + slippageBps / 10_000) * (1 + fees.taker);
    }
    return reserved;
  }

  lastPrice(symbol: string): number | undefined {
    const price = this.symbols.get(symbol)?.lastPrice;
    return price === undefined || Number.isNaN(price) ? undefined : price;
  }

  onTick(tick: Tick): readonly Fill[] {
    const event = tickEvent(tick);
    const state = this.stateOf(tick.symbol);
    state.lastTickTime = Math.max(tick.time, state.lastTickTime);
    return this.process(event, state);
  }

  onCandle(candle: Candle): readonly Fill[] {
    const state = this.stateOf(candle.symbol);
    if (state.lastTickTime >= candle.time) return NO_FILLS;
    // Nothing pending and nothing to protect for this symbol is most candles of a backtest: remember the
    // price and go on.
    if (state.pending === 0 && state.slot.protection === undefined) {
      assertCandlePrices(candle);
      state.lastPrice = candle.close;
      return NO_FILLS;
    }
    return this.process(candleEvent(candle), state);
  }

  private process(event: PriceEvent, state: SymbolState): Fill[] {
    const fills: Fill[] = [];
    // Market orders fill at the event's open, before a stop or take-profit inside it; limit orders after.
    const limits = this.eligible(event, fills);
    this.protectiveExits(event, state, fills);
    for (let i = 0; i < limits.length; i++) {
      const order = limits[i]!;
      const price = limitFillPrice(order.side, order.limitPrice ?? NaN, event);
      if (price !== undefined) fills.push(this.fill(order, price, 'maker', event.time));
    }
    state.lastPrice = event.close;
    return fills;
  }

  /** Fills the eligible market orders into `fills` and returns the eligible limit orders, in one pass. */
  private eligible(event: PriceEvent, fills: Fill[]): readonly Order[] {
    // Taken out of the book before any fills, so filling cannot disturb the walk.
    let ready: Order[] | undefined;
    for (const order of this.orders) {
      if (order.symbol === event.symbol && (order.notBefore === undefined || event.time >= order.notBefore)) (ready ??= []).push(order);
    }
    if (ready === undefined) return NO_ORDERS;
    let limits: Order[] | undefined;
    for (const order of ready) {
      if (order.type === 'market') fills.push(this.fill(order, marketFillPrice(order.side, event, this.config.slippageBps), 'taker', event.time));
      else (limits ??= []).push(order);
    }
    return limits ?? NO_ORDERS;
  }

  /** The exits the position's levels fire in `event`: one, or a ladder's tiers one after another. */
  private protectiveExits(event: PriceEvent, state: SymbolState, fills: Fill[]): void {
    let fired = this.protections.fire(state.slot, event);
    while (fired !== undefined) {
      // A stop becomes a market order when it triggers; a take-profit or ROI exit rests on the book as a limit.
      const liquidity: Liquidity = fired.reason === 'stop-loss' || fired.reason === 'trailing-stop' ? 'taker' : 'maker';
      const order = { clientOrderId: this.config.nextOrderId(), symbol: event.symbol, side: 'sell', reason: fired.reason } as const;
      fills.push(this.fillOf(order, fired.qty, fired.price, liquidity, event.time));
      fired = fired.partial ? this.protections.fire(state.slot, event, false) : undefined;
    }
  }

  private fill(order: Order, price: number, liquidity: Liquidity, time: number): Fill {
    this.remove(order);
    // Sized so notional + fee equals the quote amount: fees never spend cash that is not there.
    const qty = order.qty ?? (order.quoteAmount ?? 0) / (price * (1 + this.feeRate(liquidity)));
    if (order.side === 'sell') this.protections.exitFilled(order.symbol, qty);
    else if (order.protect) this.protections.entryFilled(order.symbol, order.clientOrderId, qty, price, order.protect, time);
    return this.fillOf(order, qty, price, liquidity, time);
  }

  private fillOf(
    order: Pick<Order, 'clientOrderId' | 'symbol' | 'side' | 'reason'>,
    qty: number,
    price: number,
    liquidity: Liquidity,
    time: number,
  ): Fill {
    const { clientOrderId, symbol, side, reason } = order;
    return { clientOrderId, symbol, side, qty, price, fee: qty * price * this.feeRate(liquidity), liquidity, reason, time };
  }

  private feeRate(liquidity: Liquidity): number {
    return liquidity === 'maker' ? this.config.fees.maker : this.config.fees.taker;
  }
}
