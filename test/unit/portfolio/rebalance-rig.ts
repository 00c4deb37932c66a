import { OrderManager, type TradeState } from '../../../src/execution/order-manager';
import { paperExecution } from '../../../src/execution/paper-executor';
import type { RebalanceCompleted } from '../../../src/execution/rebalance-run';
import type { Fill } from '../../../src/execution/types';
import type { Candle } from '../../../src/market/types';
import { Books, type BooksState } from '../../../src/portfolio/books';
import { RebalanceTrigger, type RebalanceTriggerState } from '../../../src/portfolio/rebalance-trigger';
import type { RebalanceSettings } from '../../../src/portfolio/rebalance-settings';
import { RiskEngine } from '../../../src/risk/risk-engine';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);

/**
 * The rebalancing path without a bus, in the order the agents run a period: fills at the opens (order
 * manager, books), the closes marked, the trigger asked, its plan placed.
 */
/** What a state file would hold of the rig, to start another from (a restart). */
export interface RigState {
  books: BooksState;
  trade: TradeState;
  trigger: RebalanceTriggerState;
}

export function rebalanceRig(settings: RebalanceSettings, symbols: readonly string[], fees = { fee: 0, slippageBps: 0 }, startBalance = 10_000, saved?: RigState) {
  const books = saved ? Books.fromState('USDT', saved.books) : Books.open('USDT', startBalance, T0);
  const done: RebalanceCompleted[] = [];
  const fills: Fill[] = [];
  const trigger = new RebalanceTrigger(settings, symbols, 'USDT', HOUR);
  const risk = new RiskEngine({ stake: 'all', maxOpenPositions: 1, maxPositionPct: 10, minNotional: 10 });
  const orders: OrderManager = new OrderManager({
    executor: paperExecution({ fees: { maker: fees.fee, taker: fees.fee }, slippageBps: fees.slippageBps }),
    risk,
    periodMs: HOUR,
    botLevels: () => ({}),
    events: {
      submitted: () => undefined,
      accepted: () => undefined,
      filled: (_order, fill) => {
        fills.push(fill);
        books.fill(fill);
        orders.booksChanged(books.snapshot());
      },
      denied: () => undefined,
      canceled: () => undefined,
      notice: () => undefined,
      rebalanced: (d) => {
        done.push(d);
        trigger.done();
      },
    },
  });
  if (saved) {
    orders.restore(saved.trade);
    trigger.restore(saved.trigger);
  }
  orders.booksChanged(books.snapshot());
  /** The rig as a state file would hold it, through JSON as the file does. */
  const state = (): RigState => JSON.parse(JSON.stringify({ books: books.toState(), trade: orders.snapshot(), trigger: trigger.toState() })) as RigState;
  /** One period: `prices[i]` as [open, close] of symbols[i], in that order, at T0 + period hours. */
  const period = (index: number, prices: ReadonlyArray<readonly [number, number]>): void => {
    const time = T0 + index * HOUR;
    const candles: Candle[] = prices.map(([open, close], i) => ({ symbol: symbols[i]!, timeframe: '1h', time, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 1 }));
    orders.onCandles(candles);
    books.period({ time, candles });
    orders.booksChanged(books.snapshot());
    const plan = trigger.onPeriod(time, candles, books.ledger);
    if (plan) orders.rebalance(plan, time + HOUR);
  };
  return { books, done, fills, trigger, orders, risk, period, state };
}
