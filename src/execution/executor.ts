import type { TrackedOrderState } from '../exchange/live/order-tracker';
import type { Candle, Tick } from '../market/types';
import type { FillModelState } from './fill-model';
import type { ProtectionBook } from './protection-book';
import type { Fill, Order, OrderDenial } from './types';

/** An executor's state as plain data, for a state file: what it needs to go on where it stopped. */
export type ExecutorState =
  | ({ kind: 'paper'; /** The last order id's number. */ sequence: number } & FillModelState)
  | { kind: 'live'; /** The orders in play, as the live order book knows them (or as sent, before it did). */ orders: TrackedOrderState[] };

export type NoticeLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * How an executor tells what became of the orders it holds: one way for both. The paper executor reports
 * at once, from inside the price event or the call that caused it; the live one reports later, as the
 * exchange answers.
 */
export interface ExecutionReports {
  /** An order the executor made itself is about to go out (a live protective exit): known before it is sent. */
  submitted(order: Order): void;
  /** The exchange has the order (live; paper orders need no acknowledgement). */
  accepted(order: Order): void;
  filled(fill: Fill): void;
  /** Refused after submit() returned (the exchange said no, or the order was proved never placed). */
  rejected(order: Order, denial: OrderDenial): void;
  canceled(order: Order, reason: string): void;
  notice(level: NoticeLevel, message: string): void;
  /** Live: the order stream to the exchange dropped (with the error's class) or is back. */
  connection?(connected: boolean, reason: string, kind?: string): void;
}

/**
 * Whoever executes the TradeAgent's orders: the paper fill model (paper trading and backtests) or the
 * exchange (live). Both fire the stop-loss and take-profit levels of the protection book they are given.
 */
export interface Executor {
  /** Markets, open orders: whatever must be ready before the first order. */
  start(): Promise<void>;
  /**
   * Paper: the pending orders are canceled (reported), as they could never fill now. Live: the orders stay
   * on the exchange, where they fill or not whatever the bot does, and the executor says which they are.
   */
  stop(): Promise<void>;
  /** The next client order id: unique within the run (paper), or across restarts too (live). */
  nextOrderId(): string;
  /** A paper order waits for the next price; a live one goes to the exchange. */
  submit(order: Order): void;
  /** True when the order was pending; the cancellation is reported (at once on paper, when confirmed live). */
  cancel(clientOrderId: string, reason: string): boolean;
  /** The pending orders, oldest first, without a copy: cancel nothing while iterating. */
  pendingOrders(): Iterable<Readonly<Order>>;
  isPending(clientOrderId: string): boolean;
  /** Quote currency promised to pending buys. */
  reservedQuote(): number;
  /** The last price seen for the symbol (its last tick or candle close), if any. */
  lastPrice(symbol: string): number | undefined;
  onTick(tick: Tick): void;
  onCandle(candle: Candle): void;
  /** Live: what the account holds of each asset (free and in orders); paper: undefined, the books are the account. */
  accountHoldings(): Promise<Record<string, number> | undefined>;
  snapshot(): ExecutorState;
  /**
   * Takes back a snapshot before start(): a paper executor goes on with its pending orders as they were;
   * a live one hands its orders to reconciliation, which asks the exchange what became of them. `known`:
   * every order the order manager had; one the snapshot lacks was written down as it was being handed
   * over, and may have left (live: it is settled like an order whose send failed).
   */
  restore(state: ExecutorState, known: readonly Order[]): void;
}

/** What an executor is built with: where its reports go, and the book of levels it fires. */
export interface ExecutionSetup {
  reports: ExecutionReports;
  protections: ProtectionBook;
}

/** Chosen by the composition root (paper or live); the TradeAgent builds its executor with it when it starts. */
export type ExecutorFactory = (setup: ExecutionSetup) => Executor;
