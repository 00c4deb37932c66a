/** Every part the state file keeps comes back from its snapshot exactly, and goes on as if it never stopped. */
import { paperExecution } from '../../../src/execution/paper-executor';
import type { ExecutionReports, ExecutorState } from '../../../src/execution/executor';
import { ProtectionBook } from '../../../src/execution/protection-book';
import type { Fill, Order } from '../../../src/execution/types';
import { OrderTracker } from '../../../src/exchange/live/order-tracker';
import { SimulatedClock } from '../../../src/core/simulated-clock';
import type { Candle } from '../../../src/market/types';
import { Books } from '../../../src/portfolio/books';

const MINUTE = 60_000;

function fill(side: 'buy' | 'sell', qty: number, price: number, time: number, symbol = 'BTC/USDT'): Fill {
  return { clientOrderId: `o-${time}`, symbol, side, qty, price, fee: qty * price * 0.001, liquidity: 'taker', reason: 'signal', time };
}

function candle(time: number, open: number, low = open, high = open, close = open, symbol = 'BTC/USDT'): Candle {
  return { symbol, timeframe: '1m', time, open, high, low, close, volume: 1 };
}

/** JSON and back, as the state file does it. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('Books from their state', () => {
  it('book the next fills and periods to the same last bit as books that never stopped', () => {
    const a = Books.open('USDT', 1000, 0);
    a.fill(fill('buy', 0.013, 101.37, 1));
    a.fill(fill('buy', 2.5, 9.91, 2, 'ETH/USDT'));
    a.period({ time: MINUTE, candles: [candle(MINUTE, 102, 101, 103, 102.2), candle(MINUTE, 9.9, 9.8, 10, 9.95, 'ETH/USDT')] });
    a.fill(fill('sell', 0.005, 103.1, 3));
    const b = Books.fromState('USDT', stored(a.toState()));
    for (const books of [a, b]) {
      books.period({ time: 2 * MINUTE, candles: [candle(2 * MINUTE, 99, 98, 100, 98.7)] });
      books.fill(fill('sell', 0.008, 97.77, 4));
      books.end();
    }
    expect(b.toState()).toEqual(a.toState());
    expect(b.summary()).toEqual(a.summary());
    expect(b.snapshot()).toEqual(a.snapshot());
  });
});

describe('a paper executor from its snapshot', () => {
  function executor() {
    const filled: Fill[] = [];
    const reports: ExecutionReports = { submitted: () => undefined, accepted: () => undefined, filled: (f) => filled.push(f), rejected: () => undefined, canceled: () => undefined, notice: () => undefined };
    const protections = new ProtectionBook();
    return { executor: paperExecution({ fees: { maker: 0.001, taker: 0.001 }, slippageBps: 5, persistent: true })({ reports, protections }), filled, protections };
  }
  const order = (id: string, fields: Partial<Order>): Order => ({ clientOrderId: id, symbol: 'BTC/USDT', side: 'buy', type: 'market', reason: 'signal', origin: 's', createdAt: 0, ...fields });

  it('keeps its pending orders, prices, levels and order ids, and fills as the original does', () => {
    const a = executor();
    a.executor.onCandle(candle(0, 100));
    a.executor.submit(order(a.executor.nextOrderId(), { quoteAmount: 500, notBefore: MINUTE, protect: { stopLossPct: 3 } }));
    const restored = executor();
    restored.executor.restore(stored(a.executor.snapshot()), []);
    restored.protections.restore(stored(a.protections.toState()));
    expect(restored.executor.lastPrice('BTC/USDT')).toBe(100);
    expect(restored.executor.reservedQuote()).toBe(500);
    for (const { executor: e } of [a, restored]) {
      e.onCandle(candle(MINUTE, 101, 100.5, 102, 101.5));
      e.onCandle(candle(2 * MINUTE, 99, 97, 99.5, 97.5));
    }
    expect(restored.filled).toEqual(a.filled);
    expect(a.filled.map((f) => f.reason)).toEqual(['signal', 'stop-loss']);
    expect(restored.executor.nextOrderId()).toBe(a.executor.nextOrderId());
  });

  it('keeps its pending orders at stop when the run keeps a state file, instead of canceling them', async () => {
    const { executor: e } = executor();
    e.onCandle(candle(0, 100));
    e.submit(order(e.nextOrderId(), { quoteAmount: 100, notBefore: MINUTE }));
    await e.stop();
    expect((e.snapshot() as Extract<ExecutorState, { kind: 'paper' }>).orders.map((o) => o.clientOrderId)).toEqual(['paper-1']);
  });
});

describe('the live order book from a previous session', () => {
  it('settles an order whose send was never answered like an unresolved one, and reports only fills beyond the known ones', () => {
    const clock = new SimulatedClock(5_000);
    const tracker = new OrderTracker(clock, { fees: { maker: 0.001, taker: 0.001 } });
    const sent: Order = { clientOrderId: 'at-a-1', symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: 0.02, reason: 'signal', origin: 's', createdAt: 1_000 };
    const part: Order = { ...sent, clientOrderId: 'at-a-2' };
    tracker.restore([
      { order: sent, amount: 0.02, state: 'pending', filledQty: 0, filledCost: 0, adopted: false },
      { order: part, amount: 0.02, state: 'open', filledQty: 0.01, filledCost: 500, adopted: false },
    ]);
    expect(tracker.get('at-a-1')).toMatchObject({ state: 'unresolved', unresolvedSince: 1_000 });
    const result = tracker.apply({ clientOrderId: 'at-a-2', symbol: 'BTC/USDT', side: 'buy', type: 'market', status: 'closed', amount: 0.02, filled: 0.02, cost: 1_010 } as never);
    expect(result.fills.map((f) => [f.qty, f.price])).toEqual([[0.01, 51_000]]);
    expect(tracker.snapshot().map((t) => t.order.clientOrderId)).toEqual(['at-a-1']);
  });
});

