import type { Candle, Tick } from '../market/types';
import type { Fill, Order, OrderDenial } from './types';

/**
 * What the TradeAgent asks of whoever executes its orders: the paper fill model (fills come back from the
 * price event that caused them) or the live exchange (fills, refusals and cancellations arrive later,
 * through ExecutorHooks). Both watch the stop-loss and take-profit of the positions they opened.
 */
export interface Executor {
  /** Sends an order; a paper order waits for the next price, a live one goes to the exchange. */
  submit(order: Order): void;
  /** True when the order was pending; a live cancel completes later (ExecutorHooks.onCanceled). */
  cancel(clientOrderId: string): boolean;
  /** Pending orders, oldest first: a copy, safe to cancel from while iterating. */
  pending(): readonly Order[];
  /** The pending orders without a copy, for a scan. */
  pendingOrders(): Iterable<Readonly<Order>>;
  /** Quote currency promised to pending buys. */
  reservedQuote(): number;
  clearProtection(symbol: string): void;
  /** The last price seen for the symbol (its last tick or candle close), if any. */
  lastPrice(symbol: string): number | undefined;
  /** Fills the price event causes at once (paper); a live executor returns none. */
  onTick(tick: Tick): readonly Fill[];
  onCandle(candle: Candle): readonly Fill[];
}

/** How a live executor reports what happens after submit() returned. */
export interface ExecutorHooks {
  onFills(fills: readonly Fill[]): void;
  onRejected(order: Order, denial: OrderDenial): void;
  onCanceled(order: Order, reason: string): void;
  onNotice(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/** A live executor: started before the agents trade (markets, open orders), stopped after. */
export interface LiveExecutor extends Executor {
  /** Client order ids that stay unique across restarts. */
  nextOrderId(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type LiveExecutorFactory = (hooks: ExecutorHooks) => LiveExecutor;
