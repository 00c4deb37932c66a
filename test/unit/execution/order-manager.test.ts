import type { Executor, ExecutorFactory, ExecutionSetup } from '../../../src/execution/executor';
import { OrderManager, type OrderEvents } from '../../../src/execution/order-manager';
import { paperExecution } from '../../../src/execution/paper-executor';
import type { Fill, Order } from '../../../src/execution/types';
import type { Candle } from '../../../src/market/types';
import type { ClosedTrade } from '../../../src/portfolio/types';
import { RiskEngine } from '../../../src/risk/risk-engine';
import type { Signal } from '../../../src/strategy/signal';
import { positionView, snapshotOf } from '../../helpers/books';

const MINUTE = 60_000;

function candle(time: number, open: number, low = open, high = open, close = open): Candle {
  return { symbol: 'BTC/USDT', timeframe: '1m', time, open, high, low, close, volume: 1 };
}

function signal(action: Signal['action'], candleTime: number, fields: Partial<Signal> = {}): Signal {
  return { symbol: 'BTC/USDT', action, strength: 1, reason: `test ${action}`, strategy: 'test', candleTime, price: 100, ...fields };
}

function closed(exitReason: string): ClosedTrade {
  return { symbol: 'BTC/USDT', entryTime: 0, exitTime: MINUTE, side: 'long', qty: 1, entryPrice: 100, exitPrice: 95, fees: 0, pnl: -5, pnlPct: -5, exitReason };
}

function manager(executor: ExecutorFactory = paperExecution({ fees: { maker: 0, taker: 0 }, slippageBps: 0 }), botLevels = { stopLossPct: 0, takeProfitPct: 0 }) {
  const log: string[] = [];
  const filled: Array<{ order: Order; fill: Fill }> = [];
  const events: OrderEvents = {
    submitted: (order, from) => log.push(`submitted ${order.clientOrderId} ${order.side}${from ? ` for ${from.strategy}` : ''}`),
    accepted: (order) => log.push(`accepted ${order.clientOrderId}`),
    filled: (order, fill) => filled.push({ order, fill }),
    denied: (order, denial, from) => log.push(`denied ${order.clientOrderId} ${denial.code}${from ? ` for ${from.strategy}` : ''} quote ${order.quoteAmount}`),
    canceled: (order, reason) => log.push(`canceled ${order.clientOrderId}: ${reason}`),
    notice: (level, message) => log.push(`${level}: ${message}`),
  };
  const risk = new RiskEngine({ stake: '10%', maxOpenPositions: 3, maxPositionPct: 100, minNotional: 10 });
  const orders = new OrderManager({ executor, risk, events, periodMs: MINUTE, botLevels: () => botLevels });
  orders.booksChanged(snapshotOf(10_000));
  return { orders, log, filled, risk };
}

describe('OrderManager', () => {
  it('turns an entry signal into a market buy sized by the risk engine, filled no earlier than the next candle', () => {
    const { orders, log, filled } = manager();
    orders.onCandles([candle(0, 100)]);
    orders.onSignal(signal('enter', 0), 5);
    expect(log).toEqual(['submitted paper-1 buy for test']);
    orders.onCandles([candle(0, 100)]);
    expect(filled).toEqual([]);
    orders.onCandles([candle(MINUTE, 100)]);
    expect(filled.map(({ order, fill }) => [order.clientOrderId, order.quoteAmount, order.notBefore, order.createdAt, fill.qty, fill.price])).toEqual([['paper-1', 1_000, MINUTE, 5, 10, 100]]);
  });

  it('gives an entry the bot\'s levels where the signal has none, and the signal\'s where it has them', () => {
    const { orders, filled } = manager(undefined, { stopLossPct: 2, takeProfitPct: 5 });
    orders.onCandles([candle(0, 100)]);
    orders.onSignal(signal('enter', 0, { stopLossPct: 10 }), 0);
    orders.onCandles([candle(MINUTE, 100)]);
    expect(filled[0]?.order.protect).toEqual({ stopLossPct: 10, takeProfitPct: 5 });
    expect(orders.protections.get('BTC/USDT')).toEqual({ qty: 10, stopLoss: 90, takeProfit: 105 });
  });

  it('reports a refused signal with its order, the amount the stake asked for, and the signal', () => {
    const { orders, log } = manager();
    orders.booksChanged(snapshotOf(9_000, [positionView('BTC/USDT', 10, 100)]));
    orders.onCandles([candle(0, 100)]);
    orders.onSignal(signal('enter', 0), 0);
    orders.onSignal(signal('exit', 0), 0);
    orders.onSignal(signal('exit', 0), 0);
    expect(log).toEqual(['denied paper-1 already-in-position for test quote 1000', 'submitted paper-2 sell for test', 'denied paper-3 exit-pending for test quote undefined']);
  });

  it('names a protective fill\'s own order, and cancels the other exit once the stop has closed the position', () => {
    const { orders, log, filled } = manager(undefined, { stopLossPct: 5, takeProfitPct: 0 });
    orders.onCandles([candle(0, 100)]);
    orders.onSignal(signal('enter', 0), 0);
    orders.onCandles([candle(MINUTE, 100)]);
    orders.booksChanged(snapshotOf(9_000, [positionView('BTC/USDT', 10, 100)]));
    orders.onSignal(signal('exit', MINUTE), 0);
    // The exit waits for the next candle; this one falls through the stop at 95 first.
    orders.onCandles([candle(MINUTE, 100, 94)]);
    expect(filled.map(({ order, fill }) => [order.clientOrderId, order.origin, fill.reason, fill.price])).toEqual([
      ['paper-1', 'test', 'signal', 100],
      ['paper-3', 'risk', 'stop-loss', 95],
    ]);
    orders.positionClosed(closed('stop-loss'));
    expect(log.at(-1)).toBe('canceled paper-2: the position was closed by its stop-loss');
    orders.onCandles([candle(2 * MINUTE, 100)]);
    expect(filled).toHaveLength(2);
  });

  it('leaves other orders alone when a signal closed the position, but drops its levels', () => {
    const { orders, log } = manager();
    orders.protections.set('BTC/USDT', { qty: 1, stopLoss: 90 });
    orders.positionClosed(closed('signal'));
    expect(orders.protections.get('BTC/USDT')).toBeUndefined();
    expect(log).toEqual([]);
  });

  it('cancels the paper orders still pending when it stops', async () => {
    const { orders, log } = manager();
    orders.onCandles([candle(0, 100)]);
    orders.onSignal(signal('enter', 0), 0);
    await orders.stop();
    expect(log).toEqual(['submitted paper-1 buy for test', 'canceled paper-1: the bot is stopping']);
  });

  it('keeps an order that fills in pieces until the executor is done with it', () => {
    let setup: ExecutionSetup | undefined;
    const pending = new Set<string>();
    let id = 0;
    const executor: Executor = {
      start: () => Promise.resolve(),
      stop: () => Promise.resolve(),
      nextOrderId: () => `live-${++id}`,
      submit: (order) => void pending.add(order.clientOrderId),
      cancel: () => false,
      pendingOrders: () => [],
      isPending: (clientOrderId) => pending.has(clientOrderId),
      reservedQuote: () => 0,
      lastPrice: () => 100,
      onTick: () => undefined,
      onCandle: () => undefined,
      accountHoldings: () => Promise.resolve(undefined),
      snapshot: () => ({ kind: 'live', orders: [] }),
      restore: () => undefined,
    };
    const { orders, filled } = manager((s) => {
      setup = s;
      return executor;
    });
    orders.onSignal(signal('enter', 0), 0);
    const piece = (qty: number): Fill => ({ clientOrderId: 'live-1', symbol: 'BTC/USDT', side: 'buy', qty, price: 100, fee: 0, liquidity: 'taker', reason: 'signal', time: 1 });
    setup!.reports.filled(piece(4));
    pending.delete('live-1');
    setup!.reports.filled(piece(6));
    setup!.reports.filled(piece(1));
    expect(filled.map(({ order }) => order.origin)).toEqual(['test', 'test', 'risk']);
  });
});
