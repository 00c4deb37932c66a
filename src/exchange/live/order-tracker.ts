import type { Clock } from '../../core/clock';
import type { FeeSchedule, Fill, Liquidity, Order } from '../../execution/types';
import type { CcxtOrder } from './types';

/**
 * - pending: registered, createOrder sent or about to be, no answer yet.
 * - unresolved: createOrder's outcome is unknown and the queries could not settle it; reconciliation goes on.
 * - open: the exchange has it (possibly partly filled).
 * - closed (fully filled), canceled, expired, rejected: terminal.
 */
export type LiveOrderState = 'pending' | 'unresolved' | 'open' | 'closed' | 'canceled' | 'expired' | 'rejected';

const TERMINAL: ReadonlySet<LiveOrderState> = new Set(['closed', 'canceled', 'expired', 'rejected']);

export function isTerminal(state: LiveOrderState): boolean {
  return TERMINAL.has(state);
}

export interface TrackedOrder {
  readonly order: Order;
  /** Base amount sent (on the market's grid); the exchange's word on it once an update gives one. */
  amount: number;
  state: LiveOrderState;
  exchangeOrderId?: string;
  /** Cumulative base quantity already reported as fills, and what it cost in quote. */
  filledQty: number;
  filledCost: number;
  /** The commission's currency, once an update has said it. */
  feeCurrency?: string;
  /** Found on the exchange rather than sent by this session. */
  readonly adopted: boolean;
  /** Clock time the submitter gave up settling it (after the failed send): "not found" is judged from here. */
  unresolvedSince?: number;
}

/** A tracked order as plain data: what a state file keeps, to hand back to the next session's book. */
export type TrackedOrderState = TrackedOrder;

export interface UpdateResult {
  /** Undefined when the update is about an order the book does not hold. */
  tracked: Readonly<TrackedOrder> | undefined;
  fills: Fill[];
  /** Set when this update moved the order to another state. */
  transition?: { from: LiveOrderState; to: LiveOrderState };
}

export interface OrderTrackerConfig {
  /** Fee rates the fills are charged at, as in the paper broker. */
  fees: FeeSchedule;
}

/**
 * The book of the bot's live orders, by client order id. Updates come from anywhere (the user stream,
 * createOrder's response, fetchOrder, fetchOpenOrders) in any order, any number of times; each carries the
 * order's cumulative `filled` and `cost`, so the fill to report is the part beyond what was reported
 * before. Applying the same or an older update again reports nothing: no fill is lost or counted twice,
 * and a stream fill that arrives before createOrder's answer is simply the first to move the total.
 *
 * Fees are charged at the configured rate (taker for market orders, maker for limits) on the fill's quote
 * value, as the paper broker does: ccxt does not give a cumulative commission (Binance's order query has
 * none, its stream gives the last execution's only) and Binance may take it in BNB or in the bought coin.
 * The balance reconciliation shows the difference.
 */
export class OrderTracker {
  private readonly book = new Map<string, TrackedOrder>();

  constructor(
    private readonly clock: Clock,
    private readonly config: OrderTrackerConfig,
  ) {}

  /** Registers an order before it is sent, so an update racing createOrder's answer finds it. */
  track(order: Order, amount: number): Readonly<TrackedOrder> {
    if (this.book.has(order.clientOrderId)) throw new Error(`order ${order.clientOrderId} is already in the live order book`);
    const tracked: TrackedOrder = { order, amount, state: 'pending', filledQty: 0, filledCost: 0, adopted: false };
    this.book.set(order.clientOrderId, tracked);
    return tracked;
  }

  /**
   * Takes in an order found on the exchange that the book does not hold. With `countPastFills` false what
   * it had filled already is taken as known (it happened before this session and is in the balances it
   * started from); only later fills are reported.
   */
  adopt(update: CcxtOrder, countPastFills: boolean): UpdateResult {
    const id = update.clientOrderId;
    const side = update.side;
    if (id === undefined || this.book.has(id) || update.symbol === undefined || (side !== 'buy' && side !== 'sell')) {
      return this.apply(update);
    }
    const type = update.type === 'market' ? 'market' : 'limit';
    const order: Order = {
      clientOrderId: id,
      symbol: update.symbol,
      side,
      type,
      qty: update.amount ?? 0,
      ...(type === 'limit' && update.price !== undefined && { limitPrice: update.price }),
      reason: 'signal',
      origin: 'adopted',
      createdAt: update.timestamp ?? this.clock.now(),
    };
    const baseline = countPastFills ? undefined : cumulative(update);
    this.book.set(id, {
      order,
      amount: update.amount ?? 0,
      state: 'unresolved',
      ...(update.id !== undefined && { exchangeOrderId: update.id }),
      filledQty: baseline?.qty ?? 0,
      filledCost: baseline?.cost ?? 0,
      adopted: true,
    });
    return this.apply(update);
  }

  apply(update: CcxtOrder): UpdateResult {
    const tracked = update.clientOrderId === undefined ? undefined : this.book.get(update.clientOrderId);
    if (!tracked) return { tracked: undefined, fills: [] };
    if (update.id !== undefined && tracked.exchangeOrderId === undefined) tracked.exchangeOrderId = update.id;
    // What was sent, as the exchange has it: known for sure only now for an order a previous session sent.
    if (update.amount !== undefined && update.amount > 0) tracked.amount = update.amount;

    tracked.feeCurrency ??= feeCurrencyOf(update);
    const fill = this.newFill(tracked, update);
    const fills = fill === 'unpriced' || fill === undefined ? [] : [fill];
    const from = tracked.state;
    const to = nextState(tracked, update, fill === 'unpriced');
    if (to === from) return { tracked, fills };
    tracked.state = to;
    return { tracked, fills, transition: { from, to } };
  }

  /** The book's orders still in play, as plain data. */
  snapshot(): TrackedOrderState[] {
    return this.active().map((t) => ({ ...t, order: { ...t.order } }));
  }

  /**
   * Takes back a previous session's orders. One whose send had not been settled ('pending') is unresolved
   * now, "not found" judged from the time it was created: it may or may not have reached the exchange, and it
   * is never sent again. Their fills so far are known, so only what filled beyond them is reported.
   */
  restore(orders: readonly TrackedOrderState[]): void {
    for (const saved of orders) {
      if (this.book.has(saved.order.clientOrderId) || isTerminal(saved.state)) continue;
      const unsettled = saved.state === 'pending' || saved.state === 'unresolved';
      this.book.set(saved.order.clientOrderId, {
        ...saved,
        order: { ...saved.order },
        state: unsettled ? 'unresolved' : saved.state,
        ...(unsettled && { unresolvedSince: saved.unresolvedSince ?? saved.order.createdAt }),
      });
    }
  }

  /** The createOrder outcome stayed unknown; a later update settles it. */
  markUnresolved(clientOrderId: string, since: number): boolean {
    const moved = this.move(clientOrderId, ['pending'], 'unresolved');
    const tracked = this.book.get(clientOrderId);
    if (moved && tracked) tracked.unresolvedSince = since;
    return moved;
  }

  /** The exchange said no, or queries proved it never placed the order. */
  markRejected(clientOrderId: string): boolean {
    return this.move(clientOrderId, ['pending', 'unresolved'], 'rejected');
  }

  get(clientOrderId: string): Readonly<TrackedOrder> | undefined {
    return this.book.get(clientOrderId);
  }

  /** Orders not in a terminal state: the ones reconciliation queries. */
  active(): Readonly<TrackedOrder>[] {
    return [...this.book.values()].filter((t) => !isTerminal(t.state));
  }

  private move(clientOrderId: string, from: readonly LiveOrderState[], to: LiveOrderState): boolean {
    const tracked = this.book.get(clientOrderId);
    if (!tracked || !from.includes(tracked.state)) return false;
    tracked.state = to;
    return true;
  }

  /** The fill beyond what was reported; 'unpriced' when the update moves the quantity but gives no price. */
  private newFill(tracked: TrackedOrder, update: CcxtOrder): Fill | 'unpriced' | undefined {
    const total = cumulative(update);
    if (total === undefined) return undefined;
    const qty = total.qty - tracked.filledQty;
    // Float noise between sources (stream vs REST strings parsed to numbers) is not a fill.
    if (qty <= 1e-12 * Math.max(1, total.qty)) return undefined;
    const fromCost = total.cost !== undefined ? (total.cost - tracked.filledCost) / qty : undefined;
    // An inconsistent cost (a source whose total lags on cost but not on quantity) falls back to the average.
    const costWorks = fromCost !== undefined && fromCost > 0 && Number.isFinite(fromCost);
    const price = costWorks ? fromCost : (update.average ?? update.price);
    if (price === undefined || !(price > 0)) return 'unpriced';
    tracked.filledQty = total.qty;
    // Totals are taken as given rather than summed, so many small fills do not drift from the exchange's.
    tracked.filledCost = costWorks && total.cost !== undefined ? total.cost : tracked.filledCost + qty * price;
    const { order } = tracked;
    const liquidity: Liquidity = order.type === 'market' ? 'taker' : 'maker';
    const rate = liquidity === 'taker' ? this.config.fees.taker : this.config.fees.maker;
    const time = update.lastTradeTimestamp ?? update.lastUpdateTimestamp ?? update.timestamp ?? this.clock.now();
    const { clientOrderId, symbol, side, reason } = order;
    const fill: Fill = { clientOrderId, symbol, side, qty, price, fee: qty * price * rate, liquidity, reason, time };
    // Known only when an update said the commission's currency (a query by id does not): 0 unless the base.
    if (side === 'buy' && tracked.feeCurrency !== undefined) fill.baseFee = tracked.feeCurrency === symbol.split('/')[0] ? qty * rate : 0;
    return fill;
  }
}

/** Cumulative filled quantity and its cost, as far as the update tells. */
function cumulative(update: CcxtOrder): { qty: number; cost: number | undefined } | undefined {
  const qty = update.filled ?? (update.status === 'closed' ? update.amount : undefined);
  if (qty === undefined || !Number.isFinite(qty)) return undefined;
  const average = update.average ?? (update.type === 'limit' ? update.price : undefined);
  const cost = update.cost ?? (average !== undefined ? average * qty : undefined);
  return { qty, cost };
}

function nextState(tracked: TrackedOrder, update: CcxtOrder, unpricedFill: boolean): LiveOrderState {
  const current = tracked.state;
  const reported = reportedState(update.status);
  // The exchange outranks our own conclusion that an order was never placed; nothing else leaves a terminal state.
  if (isTerminal(current) && !(current === 'rejected' && reported !== 'rejected')) return current;
  // Terminal without its last fill priced would end the polling that can still price it: keep it open.
  if (reported !== undefined && isTerminal(reported) && unpricedFill) return 'open';
  return reported ?? 'open';
}

function reportedState(status: string | undefined): LiveOrderState | undefined {
  switch (status) {
    case 'closed':
    case 'canceled':
    case 'expired':
    case 'rejected':
    case 'open':
      return status;
    default:
      // ccxt's 'canceling' (Binance PENDING_CANCEL) and anything unknown: still on the book.
      return undefined;
  }
}

/** The currency the exchange charged the commission in, from the order's fee, fees or trades. */
function feeCurrencyOf(update: CcxtOrder): string | undefined {
  // ccxt's order structure has `fees` (one per currency) though its type leaves it out.
  const { fees } = update as { fees?: Array<{ currency?: string } | undefined> };
  const candidates = [update.fee, ...(fees ?? []), ...(update.trades ?? []).map((t) => t.fee)];
  for (const fee of candidates) if (fee?.currency) return fee.currency;
  return undefined;
}
