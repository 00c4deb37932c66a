import { splitSymbol } from '../../src/market/symbols';
import type { FakeMarket } from './binance-format';
import { BinanceError } from './binance-error';
import { floorToStep, r8 } from './decimal';
import { checkFilters } from './order-filters';
import type { PriceStep } from './price-path';
import { Wallet, type AssetBalance } from './wallet';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
/** What happened to an order, as executionReport's `x` says it. */
export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED';

export interface OrderRequest {
  /** Unified symbol, e.g. 'BTC/USDT'. */
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce?: TimeInForce;
  /** Base quantity as sent; a market order may give quoteOrderQty instead. */
  quantity?: string;
  quoteOrderQty?: string;
  price?: string;
  clientOrderId: string;
}

export interface FakeTrade {
  /** Trade id, per market, shared with the public trades of the market. */
  id: number;
  orderId: number;
  symbol: string;
  side: Side;
  price: number;
  qty: number;
  quoteQty: number;
  /** Taken from what the order received, as Binance does without BNB: base on a buy, quote on a sell. */
  commission: number;
  commissionAsset: string;
  time: number;
  isMaker: boolean;
}

export interface FakeOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  /** 0 for a market order. */
  price: number;
  origQty: number;
  /** The quote amount a market order was given in, else 0. */
  origQuoteOrderQty: number;
  executedQty: number;
  cummulativeQuoteQty: number;
  status: OrderStatus;
  time: number;
  updateTime: number;
  /** The client id of the cancel request, once canceled (Binance reports it as the cancel's clientOrderId). */
  cancelClientOrderId?: string;
  trades: FakeTrade[];
}

export type EngineEvent =
  | { kind: 'order'; execution: ExecutionType; order: FakeOrder; trade?: FakeTrade; time: number }
  | { kind: 'balance'; balances: AssetBalance[]; time: number };

export interface MatchingOptions {
  /** Starting balances per asset; default 10,000 USDT. */
  balances?: Record<string, number>;
  /** Commission per fill, as a fraction of what the order receives; default 0.001 (Binance's 0.1%). */
  feeRate?: number;
  /** Base quantity each price step can fill per market (all orders together); unlimited when absent. */
  liquidity?: Record<string, number>;
  onEvent?: (event: EngineEvent) => void;
}

/** The price context of an order: exchange time and the market's last price. */
export interface Now {
  time: number;
  price: number;
}

interface MarketBook {
  market: FakeMarket;
  base: string;
  quote: string;
  /** What the current price step can still fill. */
  left: number;
}

interface Working {
  order: FakeOrder;
  /** What the order holds locked: quote for a buy, base for a sell. */
  locked: number;
}

const OPEN: ReadonlySet<OrderStatus> = new Set(['NEW', 'PARTIALLY_FILLED']);

export const isOpen = (order: { status: OrderStatus }): boolean => OPEN.has(order.status);

/**
 * The fake exchange's order book for one account: orders against the played price path (no other traders
 * and no market impact), fills, commissions and balances. Market orders and marketable limit orders take
 * the last price; resting limit orders fill when a later price step reaches them, at their price or at the
 * step's open when it gapped through. Liquidity per step, when set, splits fills over several steps;
 * what a market or IOC order cannot fill at once expires, as on Binance. Knows nothing of HTTP or time:
 * the caller says what time and price it is.
 */
export class MatchingEngine {
  readonly wallet: Wallet;
  private readonly books = new Map<string, MarketBook>();
  private readonly all: Working[] = [];
  /** Open orders, oldest first: what a price step can fill. */
  private readonly resting = new Set<Working>();
  private readonly fills: FakeTrade[] = [];
  private readonly liquidity = new Map<string, number>();
  private readonly feeRate: number;
  private readonly emit: (event: EngineEvent) => void;
  private nextOrderId = 1;
  private readonly nextTradeId = new Map<string, number>();

  constructor(markets: readonly FakeMarket[], options: MatchingOptions = {}) {
    for (const market of markets) {
      const { base, quote } = splitSymbol(market.symbol);
      this.books.set(market.symbol, { market, base, quote, left: Infinity });
    }
    this.wallet = new Wallet(options.balances ?? { USDT: 10_000 });
    this.feeRate = options.feeRate ?? 0.001;
    for (const [symbol, qty] of Object.entries(options.liquidity ?? {})) this.setLiquidity(symbol, qty);
    this.emit = options.onEvent ?? (() => undefined);
  }

  /** Sets the base quantity a price step can fill in `symbol`, the current step included; undefined for unlimited. */
  setLiquidity(symbol: string, qty: number | undefined): void {
    const book = this.entry(symbol);
    if (qty === undefined) this.liquidity.delete(symbol);
    else this.liquidity.set(symbol, qty);
    book.left = qty ?? Infinity;
  }

  /** A trade id in `symbol`'s sequence: the public trades of the market take theirs from here too. */
  tradeId(symbol: string): number {
    const id = this.nextTradeId.get(symbol) ?? 1;
    this.nextTradeId.set(symbol, id + 1);
    return id;
  }

  /** Places an order; throws the BinanceError Binance answers when it refuses one. */
  place(request: OrderRequest, now: Now): FakeOrder {
    const book = this.entry(request.symbol);
    const { market } = book;
    if (market.status !== 'TRADING') throw new BinanceError(400, -1013, 'Market is closed.');
    const openHere = [...this.resting].filter((w) => w.order.symbol === request.symbol);
    if (openHere.some((w) => w.order.clientOrderId === request.clientOrderId)) {
      throw new BinanceError(400, -2010, 'Duplicate order sent.');
    }
    const isMarket = request.type === 'MARKET';
    const quoteOrderQty = isMarket && request.quantity === undefined ? Number(request.quoteOrderQty) : 0;
    const quantity = request.quantity ?? String(floorToStep(quoteOrderQty / now.price, market.stepSize));
    const price = isMarket ? 0 : Number(request.price);
    checkFilters(market, { type: request.type, quantity, ...(request.price !== undefined && { price: request.price }) }, now.price, openHere.length);
    const qty = Number(quantity);
    const crosses = isMarket || (request.side === 'BUY' ? price >= now.price : price <= now.price);
    if (request.type === 'LIMIT_MAKER' && crosses) throw new BinanceError(400, -2010, 'Order would immediately match and take.');
    // A buy needs the quote at its limit (or, at market, at the last price); a sell needs the base.
    const needs = request.side === 'BUY' ? r8(qty * (isMarket ? now.price : price)) : qty;
    const payAsset = request.side === 'BUY' ? book.quote : book.base;
    this.wallet.require(payAsset, needs);

    const order: FakeOrder = {
      orderId: this.nextOrderId++,
      clientOrderId: request.clientOrderId,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      timeInForce: request.timeInForce ?? 'GTC',
      price,
      origQty: qty,
      origQuoteOrderQty: quoteOrderQty,
      executedQty: 0,
      cummulativeQuoteQty: 0,
      status: 'NEW',
      time: now.time,
      updateTime: now.time,
      trades: [],
    };
    const working: Working = { order, locked: 0 };
    this.all.push(working);
    this.resting.add(working);
    if (!isMarket) {
      this.wallet.lock(payAsset, needs);
      working.locked = needs;
    }
    this.report('NEW', working, now.time);
    if (crosses) {
      const fillable = Math.min(qty, book.left);
      if (order.timeInForce === 'FOK' && fillable < qty) {
        this.close(working, 'EXPIRED', now.time);
      } else {
        if (fillable > 0) this.fill(working, fillable, now.price, false, now.time);
        if (isOpen(order) && (isMarket || order.timeInForce !== 'GTC')) this.close(working, 'EXPIRED', now.time);
      }
    } else if (order.timeInForce !== 'GTC') {
      // IOC and FOK never rest.
      this.close(working, 'EXPIRED', now.time);
    }
    this.reportBalances(now.time);
    return copy(order);
  }

  /** Cancels an open order; -2011 "Unknown order sent." when there is none (closed orders included). */
  cancel(symbol: string, ref: OrderRef, time: number, cancelClientOrderId: string): FakeOrder {
    const working = this.find(symbol, ref);
    if (!working || !isOpen(working.order)) throw new BinanceError(400, -2011, 'Unknown order sent.');
    working.order.cancelClientOrderId = cancelClientOrderId;
    this.close(working, 'CANCELED', time);
    this.reportBalances(time);
    return copy(working.order);
  }

  /** The order, open or not; -2013 "Order does not exist." when there is none. */
  query(symbol: string, ref: OrderRef): FakeOrder {
    const working = this.find(symbol, ref);
    if (!working) throw new BinanceError(400, -2013, 'Order does not exist.');
    return copy(working.order);
  }

  /** Fills what the price step reaches, oldest order first, within the step's liquidity. */
  step(symbol: string, step: PriceStep): void {
    const book = this.entry(symbol);
    book.left = this.liquidity.get(symbol) ?? Infinity;
    for (const working of this.resting) {
      const { order } = working;
      if (order.symbol !== symbol || book.left <= 0) continue;
      const reached = order.side === 'BUY' ? step.low <= order.price : step.high >= order.price;
      if (!reached) continue;
      // A step that opens beyond the limit gapped through it: the order gets the better open price.
      const price = order.side === 'BUY' ? Math.min(order.price, step.open) : Math.max(order.price, step.open);
      this.fill(working, Math.min(order.origQty - order.executedQty, book.left), price, true, step.time);
    }
    this.reportBalances(step.time);
  }

  /** Every order so far (copies), in the order placed; open ones only when asked. */
  orders(filter: { symbol?: string; open?: boolean } = {}): FakeOrder[] {
    return this.all
      .map((w) => w.order)
      .filter((o) => (filter.symbol === undefined || o.symbol === filter.symbol) && (filter.open !== true || isOpen(o)))
      .map(copy);
  }

  /** Every fill so far, ascending. */
  trades(symbol?: string): FakeTrade[] {
    return this.fills.filter((t) => symbol === undefined || t.symbol === symbol).map((t) => ({ ...t }));
  }

  private fill(working: Working, wanted: number, price: number, isMaker: boolean, time: number): void {
    const { order } = working;
    const book = this.entry(order.symbol);
    const qty = floorToStep(wanted, book.market.stepSize);
    if (qty <= 0) return;
    book.left = r8(book.left - qty);
    const quoteQty = r8(qty * price);
    const buy = order.side === 'BUY';
    const commission = r8((buy ? qty : quoteQty) * this.feeRate);
    const trade: FakeTrade = {
      id: this.tradeId(order.symbol),
      orderId: order.orderId,
      symbol: order.symbol,
      side: order.side,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset: buy ? book.base : book.quote,
      time,
      isMaker,
    };
    order.executedQty = r8(order.executedQty + qty);
    order.cummulativeQuoteQty = r8(order.cummulativeQuoteQty + quoteQty);
    order.status = order.executedQty >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = time;
    if (order.status === 'FILLED') this.resting.delete(working);
    order.trades.push(trade);
    this.fills.push(trade);
    const pays = buy ? book.quote : book.base;
    if (working.locked > 0) {
      // The lock was taken at the limit price: release this fill's share, or all of it on the last fill.
      const share = order.status === 'FILLED' ? working.locked : Math.min(working.locked, buy ? r8(qty * order.price) : qty);
      this.wallet.unlock(pays, share);
      working.locked = r8(working.locked - share);
    }
    this.wallet.add(pays, -(buy ? quoteQty : qty));
    this.wallet.add(buy ? book.base : book.quote, r8((buy ? qty : quoteQty) - commission));
    this.report('TRADE', working, time, trade);
  }

  private close(working: Working, status: 'CANCELED' | 'EXPIRED', time: number): void {
    const book = this.entry(working.order.symbol);
    if (working.locked > 0) this.wallet.unlock(working.order.side === 'BUY' ? book.quote : book.base, working.locked);
    working.locked = 0;
    this.resting.delete(working);
    working.order.status = status;
    working.order.updateTime = time;
    this.report(status, working, time);
  }

  private report(execution: ExecutionType, working: Working, time: number, trade?: FakeTrade): void {
    this.emit({ kind: 'order', execution, order: copy(working.order), ...(trade && { trade: { ...trade } }), time });
  }

  private reportBalances(time: number): void {
    const balances = this.wallet.takeChanged();
    if (balances.length > 0) this.emit({ kind: 'balance', balances, time });
  }

  private find(symbol: string, ref: OrderRef): Working | undefined {
    // Several closed orders may share a client id; Binance answers the latest.
    for (let i = this.all.length - 1; i >= 0; i--) {
      const { order } = this.all[i]!;
      if (order.symbol !== symbol) continue;
      if (ref.orderId !== undefined ? order.orderId === ref.orderId : order.clientOrderId === ref.clientOrderId) return this.all[i];
    }
    return undefined;
  }

  private entry(symbol: string): MarketBook {
    const book = this.books.get(symbol);
    if (!book) throw new BinanceError(400, -1121, 'Invalid symbol.');
    return book;
  }
}

/** An order by exchange id or, when that is absent, by client id. */
export interface OrderRef {
  orderId?: number;
  clientOrderId?: string;
}

const copy = (order: FakeOrder): FakeOrder => ({ ...order, trades: order.trades.map((t) => ({ ...t })) });
