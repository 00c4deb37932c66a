import { SimulatedClock } from '../../../../src/core/simulated-clock';
import type { Fill, Order } from '../../../../src/execution/types';
import { OrderTracker } from '../../../../src/exchange/live/order-tracker';
import { order, T0 } from './scripted-exchange';

const ID = 'at-lqw3-1';

function limitBuy(): Order {
  return { clientOrderId: ID, symbol: 'BTC/USDT', side: 'buy', type: 'limit', qty: 1, limitPrice: 100, reason: 'signal', origin: 'test', createdAt: T0 };
}

function setup(): { tracker: OrderTracker; fills: Fill[]; apply: (fields: Parameters<typeof order>[0]) => ReturnType<OrderTracker['apply']> } {
  const tracker = new OrderTracker(new SimulatedClock(T0), { fees: { maker: 0.001, taker: 0.002 } });
  tracker.track(limitBuy(), 1);
  const fills: Fill[] = [];
  return {
    tracker,
    fills,
    apply: (fields) => {
      const result = tracker.apply(order({ clientOrderId: ID, type: 'limit', amount: 1, price: 100, ...fields }));
      fills.push(...result.fills);
      return result;
    },
  };
}

const total = (fills: Fill[]): { qty: number; cost: number } => ({
  qty: fills.reduce((s, f) => s + f.qty, 0),
  cost: fills.reduce((s, f) => s + f.qty * f.price, 0),
});

describe('OrderTracker', () => {
  it('reports each partial fill once, with the average price of the part, whatever source repeats it', () => {
    const { fills, apply } = setup();
    apply({ status: 'open', filled: 0.3, cost: 29.7, lastTradeTimestamp: T0 + 1 }); // stream
    apply({ status: 'open', filled: 0.3, cost: 29.7 }); // poll, same state
    apply({ status: 'open', filled: 0.5, cost: 49.7, lastTradeTimestamp: T0 + 2 }); // poll first
    apply({ status: 'open', filled: 0.4, cost: 39.7 }); // stream, late and older
    apply({ status: 'open', filled: 0.5, cost: 49.7 }); // stream catching up
    apply({ status: 'closed', filled: 1, cost: 100, lastTradeTimestamp: T0 + 3 });
    apply({ status: 'closed', filled: 1, cost: 100 });
    expect(fills.map((f) => [f.qty, f.price, f.time])).toEqual([
      [0.3, expect.closeTo(99, 9), T0 + 1],
      [0.2, expect.closeTo(100, 9), T0 + 2],
      [0.5, expect.closeTo(100.6, 9), T0 + 3],
    ]);
    expect(total(fills).qty).toBeCloseTo(1, 12);
    expect(total(fills).cost).toBeCloseTo(100, 9);
    // Maker rate on a limit order, on the part's quote value.
    expect(fills[0]).toMatchObject({ clientOrderId: ID, symbol: 'BTC/USDT', side: 'buy', liquidity: 'maker', reason: 'signal' });
    expect(fills[0]?.fee).toBeCloseTo(29.7 * 0.001, 12);
  });

  it('takes a fill the stream reports before createOrder answers, and does not count the answer again', () => {
    const { tracker, fills, apply } = setup();
    const early = apply({ status: 'closed', filled: 1, cost: 100 });
    expect(early.transition).toEqual({ from: 'pending', to: 'closed' });
    const ack = apply({ status: 'open', filled: 0 }); // createOrder's answer, older than the stream
    expect(ack.fills).toEqual([]);
    expect(ack.transition).toBeUndefined();
    expect(fills).toHaveLength(1);
    expect(tracker.get(ID)?.state).toBe('closed');
  });

  it('reports the fill of a partly filled order that ends canceled or expired, then ends it', () => {
    const { tracker, fills, apply } = setup();
    apply({ status: 'open', filled: 0.2, cost: 20 });
    const end = apply({ status: 'canceled', filled: 0.25, cost: 25 });
    expect(end.transition).toEqual({ from: 'open', to: 'canceled' });
    expect(fills.map((f) => f.qty)).toEqual([0.2, expect.closeTo(0.05, 12)]);
    expect(tracker.active()).toEqual([]);
    // Nothing moves a terminal order, not even a later open report.
    expect(apply({ status: 'open', filled: 0.25, cost: 25 }).transition).toBeUndefined();
  });

  it('keeps an order open while a fill it reports has no price, so polling can price it', () => {
    const tracker = new OrderTracker(new SimulatedClock(T0), { fees: { maker: 0, taker: 0.001 } });
    tracker.track({ ...limitBuy(), type: 'market', limitPrice: undefined } as Order, 1);
    const blind = tracker.apply(order({ clientOrderId: ID, type: 'market', status: 'closed', filled: 1, cost: undefined, average: undefined, price: undefined }));
    expect(blind.fills).toEqual([]);
    expect(tracker.get(ID)?.state).toBe('open');
    const priced = tracker.apply(order({ clientOrderId: ID, type: 'market', status: 'closed', filled: 1, cost: 101 }));
    expect(priced.fills.map((f) => [f.qty, f.price, f.liquidity])).toEqual([[1, 101, 'taker']]);
    expect(priced.fills[0]?.fee).toBeCloseTo(0.101, 12);
    expect(tracker.get(ID)?.state).toBe('closed');
  });

  it('ignores updates for orders it does not hold', () => {
    const { tracker } = setup();
    expect(tracker.apply(order({ clientOrderId: 'someone-else', filled: 1, cost: 100 }))).toEqual({ tracked: undefined, fills: [] });
    expect(tracker.apply(order({ clientOrderId: undefined }))).toEqual({ tracked: undefined, fills: [] });
  });

  it('adopts an order found on the exchange, counting past fills or taking them as known', () => {
    const tracker = new OrderTracker(new SimulatedClock(T0), { fees: { maker: 0, taker: 0 } });
    const found = order({ clientOrderId: 'at-old-1', id: '77', type: 'limit', price: 100, amount: 2, status: 'open', filled: 0.5, cost: 50 });
    const known = tracker.adopt(found, false);
    expect(known.fills).toEqual([]);
    expect(known.tracked).toMatchObject({ adopted: true, state: 'open', exchangeOrderId: '77', amount: 2, filledQty: 0.5 });
    expect(tracker.apply({ ...found, filled: 2, cost: 200, status: 'closed' }).fills.map((f) => [f.qty, f.price])).toEqual([[1.5, 100]]);

    const counted = tracker.adopt({ ...found, clientOrderId: 'at-new-1' }, true);
    expect(counted.fills.map((f) => [f.qty, f.price])).toEqual([[0.5, 100]]);
  });

  it('lets the exchange overrule a local "never placed" verdict, but not the other way round', () => {
    const { tracker, fills, apply } = setup();
    expect(tracker.markUnresolved(ID, T0 + 5)).toBe(true);
    expect(tracker.get(ID)?.unresolvedSince).toBe(T0 + 5);
    expect(tracker.markRejected(ID)).toBe(true);
    const appeared = apply({ status: 'open', filled: 0.1, cost: 10 });
    expect(appeared.transition).toEqual({ from: 'rejected', to: 'open' });
    expect(fills).toHaveLength(1);
    expect(tracker.markRejected(ID)).toBe(false);
    expect(() => tracker.track(limitBuy(), 1)).toThrow(/already/);
  });
});
