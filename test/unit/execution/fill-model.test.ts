import { FillModel } from '../../../src/execution/fill-model';
import { createOrderIds } from '../../../src/execution/order-ids';
import type { Order } from '../../../src/execution/types';
import type { Candle, Tick } from '../../../src/market/types';

// Distinct maker and taker rates, so a test can tell which one was charged.
const FEES = { maker: 0.001, taker: 0.002 };
const SLIPPAGE_BPS = 10; // 0.1 %
const MINUTE = 60_000;

function model(slippageBps = SLIPPAGE_BPS): FillModel {
  return new FillModel({ fees: FEES, slippageBps, nextOrderId: createOrderIds('risk') });
}

function tick(time: number, price: number, symbol = 'BTC/USDT'): Tick {
  return { symbol, time, price, volume: 1 };
}

function candle(time: number, open: number, high: number, low: number, close: number, symbol = 'BTC/USDT'): Candle {
  return { symbol, timeframe: '1m', time, open, high, low, close, volume: 10 };
}

let sequence = 0;
function order(fields: Partial<Order> & Pick<Order, 'side'>): Order {
  return { clientOrderId: `o-${++sequence}`, symbol: 'BTC/USDT', type: 'market', reason: 'signal', origin: 'test', createdAt: 0, ...fields };
}

describe('FillModel market orders', () => {
  it('fills a buy at the next tick moved up by the slippage, paying the taker fee', () => {
    const fills = model();
    fills.submit(order({ side: 'buy', qty: 2, clientOrderId: 'b1' }));
    const [fill, ...rest] = fills.onTick(tick(1000, 100));
    expect(rest).toEqual([]);
    // 100 x (1 + 10/10000) = 100.1; fee = 2 x 100.1 x 0.002 = 0.4004
    expect(fill).toEqual({
      clientOrderId: 'b1',
      symbol: 'BTC/USDT',
      side: 'buy',
      qty: 2,
      price: expect.closeTo(100.1, 10),
      fee: expect.closeTo(0.4004, 10),
      liquidity: 'taker',
      reason: 'signal',
      time: 1000,
    });
  });

  it('fills a sell at the next tick moved down by the slippage', () => {
    const fills = model();
    fills.submit(order({ side: 'sell', qty: 2 }));
    const [fill] = fills.onTick(tick(1000, 100));
    // 100 x (1 - 10/10000) = 99.9; fee = 2 x 99.9 x 0.002 = 0.3996
    expect(fill?.price).toBeCloseTo(99.9, 10);
    expect(fill?.fee).toBeCloseTo(0.3996, 10);
    expect(fill?.liquidity).toBe('taker');
  });

  it('sizes a buy by quote amount so notional plus fee is the quote amount, never more', () => {
    const fills = model();
    fills.submit(order({ side: 'buy', quoteAmount: 1000 }));
    const [fill] = fills.onTick(tick(1000, 100));
    // price 100.1; qty = 1000 / (100.1 x 1.002) = 1000 / 100.3002 = 9.970070...
    expect(fill?.qty).toBeCloseTo(1000 / 100.3002, 10);
    expect(fill!.qty * fill!.price + fill!.fee).toBeCloseTo(1000, 9);

    for (const [i, price] of [0.000123, 1, 3.3, 97.77, 64_321.5].entries()) {
      fills.submit(order({ side: 'buy', quoteAmount: 333.33 }));
      const [f] = fills.onTick(tick(2000 + i, price));
      expect(f!.qty * f!.price + f!.fee).toBeLessThanOrEqual(333.33 * (1 + 1e-12));
    }
  });

  it('does not fill at the decision candle but on the first tick of the next period', () => {
    const fills = model(0);
    // period 0: ticks, then the candle they make; the strategy decides on its close (102)
    expect(fills.onTick(tick(0, 100))).toEqual([]);
    expect(fills.onTick(tick(30_000, 102))).toEqual([]);
    fills.submit(order({ side: 'buy', qty: 1, notBefore: MINUTE }));
    // the decision candle reaching the model after the order changes nothing
    expect(fills.onCandle(candle(0, 100, 103, 99, 102))).toEqual([]);
    const [fill] = fills.onTick(tick(MINUTE, 105));
    expect(fill?.price).toBe(105);
    expect(fill?.time).toBe(MINUTE);
  });

  it('waits for notBefore even when an earlier tick arrives after the order', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', qty: 1, notBefore: MINUTE }));
    expect(fills.onTick(tick(59_999, 100))).toEqual([]);
    expect(fills.onTick(tick(MINUTE, 101))[0]?.price).toBe(101);
  });

  it('fills at the next candle open when only candles are fed', () => {
    const fills = model();
    expect(fills.onCandle(candle(0, 100, 103, 99, 102))).toEqual([]);
    fills.submit(order({ side: 'buy', qty: 1 }));
    const [fill] = fills.onCandle(candle(MINUTE, 101, 110, 90, 95));
    // the open, 101, plus 0.1 % slippage = 101.101, whatever the rest of the candle did
    expect(fill?.price).toBeCloseTo(101.101, 10);
    expect(fill?.time).toBe(MINUTE);
  });

  it('ignores a candle that arrives before the order may fill, filling on the candle after it', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', qty: 1, notBefore: MINUTE }));
    expect(fills.onCandle(candle(0, 100, 103, 99, 102))).toEqual([]);
    expect(fills.onCandle(candle(MINUTE, 104, 105, 103, 104))[0]?.price).toBe(104);
  });

  it('does not fill again from a candle whose period ticks already covered', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', qty: 1 }));
    expect(fills.onTick(tick(MINUTE, 100))).toHaveLength(1);
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'late' }));
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95 });
    // the candle of the period the tick opened: its low would hit the stop and its open would fill 'late'
    expect(fills.onCandle(candle(MINUTE, 100, 101, 90, 91))).toEqual([]);
    expect(fills.pending().map((o) => o.clientOrderId)).toEqual(['late']);
    expect(fills.onTick(tick(2 * MINUTE, 92)).map((f) => f.reason)).toEqual(['signal', 'stop-loss']);
  });

  it('fills from a candle whose period no tick reached, even when ticks flow for the symbol', () => {
    const fills = model(0);
    fills.onTick(tick(0, 100));
    fills.submit(order({ side: 'buy', qty: 1 }));
    expect(fills.onCandle(candle(MINUTE, 103, 104, 102, 103))[0]?.price).toBe(103);
  });

  it('fills only orders for the symbol of the event', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', qty: 1, symbol: 'ETH/USDT' }));
    expect(fills.onTick(tick(1000, 100, 'BTC/USDT'))).toEqual([]);
    expect(fills.onTick(tick(1000, 2000, 'ETH/USDT'))[0]?.price).toBe(2000);
  });
});

describe('FillModel limit orders', () => {
  it('fills a buy at the tick price once a tick trades at or below the limit, paying the maker fee', () => {
    const fills = model();
    fills.submit(order({ side: 'buy', type: 'limit', qty: 1, limitPrice: 99 }));
    expect(fills.onTick(tick(1000, 99.5))).toEqual([]);
    const [fill] = fills.onTick(tick(2000, 98));
    // a tick below the limit is the price offered: 98, no slippage; fee = 98 x 0.001 = 0.098
    expect(fill?.price).toBe(98);
    expect(fill?.fee).toBeCloseTo(0.098, 12);
    expect(fill?.liquidity).toBe('maker');
  });

  it('fills a buy at the limit when a candle low reaches it, and at the open when the candle opens below it', () => {
    const fills = model();
    fills.submit(order({ side: 'buy', type: 'limit', qty: 1, limitPrice: 99 }));
    expect(fills.onCandle(candle(0, 100, 101, 99.01, 100))).toEqual([]);
    expect(fills.onCandle(candle(MINUTE, 100, 101, 98, 100))[0]?.price).toBe(99);

    fills.submit(order({ side: 'buy', type: 'limit', qty: 1, limitPrice: 99 }));
    expect(fills.onCandle(candle(2 * MINUTE, 97, 98, 96, 97))[0]?.price).toBe(97);
  });

  it('fills a sell at or above the limit on ticks and on candle highs, at the open on a gap up', () => {
    const fills = model();
    fills.submit(order({ side: 'sell', type: 'limit', qty: 1, limitPrice: 110 }));
    expect(fills.onTick(tick(1000, 109.9))).toEqual([]);
    expect(fills.onTick(tick(2000, 110))[0]?.price).toBe(110);

    const onCandles = model();
    onCandles.submit(order({ side: 'sell', type: 'limit', qty: 1, limitPrice: 110 }));
    expect(onCandles.onCandle(candle(0, 105, 109.99, 104, 106))).toEqual([]);
    expect(onCandles.onCandle(candle(MINUTE, 105, 111, 104, 106))[0]?.price).toBe(110);
    onCandles.submit(order({ side: 'sell', type: 'limit', qty: 1, limitPrice: 110 }));
    expect(onCandles.onCandle(candle(2 * MINUTE, 112, 113, 111, 112))[0]?.price).toBe(112);
  });

  it('sizes a limit buy by quote amount with the maker fee', () => {
    const fills = model();
    fills.submit(order({ side: 'buy', type: 'limit', quoteAmount: 100.1, limitPrice: 50 }));
    const [fill] = fills.onTick(tick(1000, 50));
    // qty = 100.1 / (50 x 1.001) = 2; fee = 2 x 50 x 0.001 = 0.1
    expect(fill?.qty).toBeCloseTo(2, 12);
    expect(fill?.fee).toBeCloseTo(0.1, 12);
  });
});

describe('FillModel protective exits', () => {
  it('sells at the tick price when a tick reaches the stop-loss, paying the taker fee, then forgets the stop', () => {
    const fills = model();
    fills.protections.set('BTC/USDT', { qty: 2, stopLoss: 95 });
    expect(fills.onTick(tick(1000, 95.01))).toEqual([]);
    const [fill] = fills.onTick(tick(2000, 94));
    // no slippage: 94; fee = 2 x 94 x 0.002 = 0.376
    expect(fill).toEqual({
      clientOrderId: 'risk-1',
      symbol: 'BTC/USDT',
      side: 'sell',
      qty: 2,
      price: 94,
      fee: expect.closeTo(0.376, 12),
      liquidity: 'taker',
      reason: 'stop-loss',
      time: 2000,
    });
    expect(fills.protections.get('BTC/USDT')).toBeUndefined();
    expect(fills.onTick(tick(3000, 90))).toEqual([]);
  });

  it('sells at the tick price when a tick reaches the take-profit, paying the maker fee', () => {
    const fills = model();
    fills.protections.set('BTC/USDT', { qty: 2, stopLoss: 95, takeProfit: 110 });
    expect(fills.onTick(tick(1000, 109.99))).toEqual([]);
    const [fill] = fills.onTick(tick(2000, 111));
    // 2 x 111 x 0.001 = 0.222
    expect(fill).toMatchObject({ side: 'sell', qty: 2, price: 111, liquidity: 'maker', reason: 'take-profit' });
    expect(fill?.fee).toBeCloseTo(0.222, 12);
  });

  it('sells at the stop when a candle low reaches it, and at the open when the candle gaps through it', () => {
    const fills = model();
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95 });
    expect(fills.onCandle(candle(0, 100, 101, 95.5, 96))).toEqual([]);
    expect(fills.onCandle(candle(MINUTE, 100, 101, 94, 96))[0]).toMatchObject({ price: 95, reason: 'stop-loss', liquidity: 'taker' });

    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95 });
    expect(fills.onCandle(candle(2 * MINUTE, 93, 94, 90, 91))[0]).toMatchObject({ price: 93, reason: 'stop-loss' });
  });

  it('sells at the take-profit when a candle high reaches it, and at the open when the candle gaps above it', () => {
    const fills = model();
    fills.protections.set('BTC/USDT', { qty: 1, takeProfit: 110 });
    expect(fills.onCandle(candle(0, 100, 109, 99, 105))).toEqual([]);
    expect(fills.onCandle(candle(MINUTE, 105, 112, 104, 108))[0]).toMatchObject({ price: 110, reason: 'take-profit', liquidity: 'maker' });

    fills.protections.set('BTC/USDT', { qty: 1, takeProfit: 110 });
    expect(fills.onCandle(candle(2 * MINUTE, 111, 115, 111, 114))[0]).toMatchObject({ price: 111, reason: 'take-profit' });
  });

  it('takes the stop-loss when one candle reaches both the stop and the take-profit', () => {
    const fills = model();
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95, takeProfit: 110 });
    const result = fills.onCandle(candle(0, 100, 115, 90, 112));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ price: 95, reason: 'stop-loss' });
  });

  it('gives every protective exit a fresh id from the injected generator', () => {
    const fills = model();
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95 });
    fills.protections.set('ETH/USDT', { qty: 1, takeProfit: 2000 });
    expect(fills.onTick(tick(1000, 90))[0]?.clientOrderId).toBe('risk-1');
    expect(fills.onTick(tick(1000, 2100, 'ETH/USDT'))[0]?.clientOrderId).toBe('risk-2');
  });

  it('does not fire a stop that was cleared', () => {
    const fills = model();
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95 });
    fills.protections.clear('BTC/USDT');
    expect(fills.onTick(tick(1000, 90))).toEqual([]);
  });

  it('does not sell twice when a pending market sell and the stop meet the same tick', () => {
    const fills = model(0);
    fills.protections.set('BTC/USDT', { qty: 2, stopLoss: 95 });
    fills.submit(order({ side: 'sell', qty: 2 }));
    const result = fills.onTick(tick(1000, 94));
    expect(result.map((f) => [f.reason, f.qty])).toEqual([['signal', 2]]);
    expect(fills.protections.get('BTC/USDT')).toBeUndefined();
  });

  it('keeps protecting what a partial sell leaves', () => {
    const fills = model(0);
    fills.protections.set('BTC/USDT', { qty: 2, stopLoss: 95 });
    fills.submit(order({ side: 'sell', qty: 0.5 }));
    fills.onTick(tick(1000, 100));
    // 2 - 0.5 = 1.5 still held and protected
    expect(fills.onTick(tick(2000, 94))[0]).toMatchObject({ reason: 'stop-loss', qty: 1.5 });
  });

  it('rejects a stop-loss at or above the take-profit, and a protection with neither', () => {
    const fills = model();
    expect(() => fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 110, takeProfit: 110 })).toThrow(
      'protection for BTC/USDT has its stop-loss 110 at or above its take-profit 110',
    );
    expect(() => fills.protections.set('BTC/USDT', { qty: 1 })).toThrow('sets neither a stop-loss nor a take-profit');
    expect(() => fills.protections.set('BTC/USDT', { qty: NaN, stopLoss: 90 })).toThrow('invalid qty: NaN');
  });
});

describe('FillModel bookkeeping', () => {
  it('returns fills of one event in order: market orders, then the protective exit, then limit orders', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', type: 'limit', qty: 1, limitPrice: 96, clientOrderId: 'limit' }));
    fills.submit(order({ side: 'buy', quoteAmount: 100, clientOrderId: 'market' }));
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95 });
    expect(fills.onTick(tick(1000, 94)).map((f) => f.clientOrderId)).toEqual(['market', 'risk-1', 'limit']);
  });

  it('cancels a pending order so it never fills, and reports whether there was one to cancel', () => {
    const fills = model();
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'keep' }));
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'drop' }));
    expect(fills.cancel('drop')).toBe(true);
    expect(fills.cancel('drop')).toBe(false);
    expect(fills.cancel('never-submitted')).toBe(false);
    expect(fills.pending().map((o) => o.clientOrderId)).toEqual(['keep']);
    expect(fills.onTick(tick(1000, 100)).map((f) => f.clientOrderId)).toEqual(['keep']);
    expect(fills.cancel('keep')).toBe(false);
  });

  it('reserves the quote that pending buys will spend and releases it when they fill', () => {
    const fills = model();
    fills.onTick(tick(0, 100));
    fills.submit(order({ side: 'buy', quoteAmount: 500, notBefore: MINUTE }));
    fills.submit(order({ side: 'buy', type: 'limit', qty: 2, limitPrice: 50 }));
    fills.submit(order({ side: 'buy', qty: 1, notBefore: MINUTE }));
    fills.submit(order({ side: 'sell', qty: 3 }));
    // 500
    // + limit buy, worst case at its limit with the maker fee: 2 x 50 x 1.001 = 100.1
    // + market buy by qty, at the last price with slippage and taker fee: 1 x 100 x 1.001 x 1.002 = 100.3002
    // the sell reserves nothing
    expect(fills.reservedQuote()).toBeCloseTo(700.4002, 9);
    fills.onTick(tick(MINUTE, 100));
    // both market buys filled; the limit buy (50) did not
    expect(fills.reservedQuote()).toBeCloseTo(100.1, 9);
  });

  it('keeps its own copy of a submitted order', () => {
    const fills = model(0);
    const mine = order({ side: 'buy', qty: 1 });
    fills.submit(mine);
    mine.qty = 1000;
    expect(fills.onTick(tick(1000, 100))[0]?.qty).toBe(1);
  });

  it.each<[string, Partial<Order> & Pick<Order, 'side'>, string]>([
    ['a NaN qty', { side: 'sell', qty: NaN }, 'invalid qty: NaN'],
    ['a zero quote amount', { side: 'buy', quoteAmount: 0 }, 'invalid quoteAmount: 0'],
    ['a negative limit price', { side: 'buy', type: 'limit', qty: 1, limitPrice: -5 }, 'invalid limitPrice: -5'],
    ['a limit order without a price', { side: 'buy', type: 'limit', qty: 1 }, 'invalid limitPrice: undefined'],
    ['both qty and quote amount', { side: 'buy', qty: 1, quoteAmount: 100 }, 'must set exactly one of qty and quoteAmount (qty 1, quoteAmount 100)'],
    ['neither qty nor quote amount', { side: 'buy' }, 'must set exactly one of qty and quoteAmount'],
    ['a sell by quote amount', { side: 'sell', quoteAmount: 100 }, 'sells by quoteAmount 100'],
    ['a market order with a limit price', { side: 'buy', qty: 1, limitPrice: 99 }, 'is a market order with a limitPrice: 99'],
  ])('throws on an order with %s, quoting the value', (_, fields, message) => {
    expect(() => model().submit(order({ ...fields, clientOrderId: 'bad' }))).toThrow(message);
  });

  it('throws on a second order with a pending id', () => {
    const fills = model();
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'twice' }));
    expect(() => fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'twice' }))).toThrow('order twice is already pending');
  });

  it('throws on a price event with an invalid price instead of filling at it', () => {
    const fills = model();
    expect(() => fills.onTick(tick(1000, NaN))).toThrow('tick BTC/USDT at 1000 has an invalid price: NaN');
    expect(() => fills.onCandle(candle(0, 100, 101, 0, 100))).toThrow('candle BTC/USDT at 0 has an invalid low: 0');
  });

  it('rejects negative fees or slippage', () => {
    expect(() => new FillModel({ fees: { maker: -0.001, taker: 0.001 }, slippageBps: 0, nextOrderId: createOrderIds('x') })).toThrow(
      'fill model maker fee is invalid: -0.001',
    );
    expect(() => new FillModel({ fees: FEES, slippageBps: NaN, nextOrderId: createOrderIds('x') })).toThrow('fill model slippageBps is invalid: NaN');
  });
});

describe('FillModel per-symbol state', () => {
  it('fills nothing after the only pending order of a symbol was canceled, and remembers the candle close', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'only' }));
    expect(fills.cancel('only')).toBe(true);
    expect(fills.onCandle(candle(MINUTE, 100, 102, 98, 101))).toEqual([]);
    expect(fills.lastPrice('BTC/USDT')).toBe(101);
    expect(fills.pending()).toEqual([]);
    expect(fills.reservedQuote()).toBe(0);
  });

  it('still fills the other pending order of a symbol when one of two is canceled', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'first' }));
    fills.submit(order({ side: 'buy', qty: 2, clientOrderId: 'second' }));
    expect(fills.cancel('first')).toBe(true);
    const result = fills.onCandle(candle(MINUTE, 100, 102, 98, 101));
    expect(result.map((f) => [f.clientOrderId, f.qty, f.price])).toEqual([['second', 2, 100]]);
    expect(fills.pending()).toEqual([]);
  });

  it('still fills an order in one symbol after an order in another symbol was canceled', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'btc' }));
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'eth', symbol: 'ETH/USDT' }));
    expect(fills.cancel('eth')).toBe(true);
    expect(fills.onCandle(candle(MINUTE, 2000, 2000, 2000, 2000, 'ETH/USDT'))).toEqual([]);
    expect(fills.onCandle(candle(MINUTE, 100, 102, 98, 101)).map((f) => f.clientOrderId)).toEqual(['btc']);
  });

  it('counts an order once: filled, it cannot be canceled, and the next order of the symbol still fills', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'a' }));
    expect(fills.onCandle(candle(MINUTE, 100, 100, 100, 100))).toHaveLength(1);
    expect(fills.cancel('a')).toBe(false);
    fills.submit(order({ side: 'sell', qty: 1, clientOrderId: 'b' }));
    expect(fills.onCandle(candle(2 * MINUTE, 104, 105, 103, 104)).map((f) => [f.clientOrderId, f.price])).toEqual([['b', 104]]);
  });

  it('has no last price before any price of the symbol, even when the symbol has an order or a protection', () => {
    const fills = model(0);
    expect(fills.lastPrice('BTC/USDT')).toBeUndefined();
    fills.submit(order({ side: 'buy', qty: 2, clientOrderId: 'waits', notBefore: 10 * MINUTE }));
    fills.protections.set('ETH/USDT', { qty: 1, stopLoss: 90 });
    expect(fills.lastPrice('BTC/USDT')).toBeUndefined();
    expect(fills.lastPrice('ETH/USDT')).toBeUndefined();
    // A market buy by qty with no price yet reserves nothing (rather than NaN).
    expect(fills.reservedQuote()).toBe(0);
    // A price of another symbol is not this one's.
    fills.onCandle(candle(0, 2000, 2000, 2000, 2000, 'SOL/USDT'));
    expect(fills.lastPrice('BTC/USDT')).toBeUndefined();
    expect(fills.lastPrice('SOL/USDT')).toBe(2000);
  });

  it('takes the last price from ticks and from candles, on the fast path and the filling path alike', () => {
    const fills = model(0);
    fills.onTick(tick(1_000, 99.5));
    expect(fills.lastPrice('BTC/USDT')).toBe(99.5);
    // Nothing pending or protected: the fast path.
    fills.onCandle(candle(MINUTE, 100, 103, 99, 102));
    expect(fills.lastPrice('BTC/USDT')).toBe(102);
    // An order pending: the candle goes through the fills, and its close is remembered after them.
    fills.submit(order({ side: 'buy', qty: 1 }));
    expect(fills.onCandle(candle(2 * MINUTE, 104, 106, 103, 105))[0]?.price).toBe(104);
    expect(fills.lastPrice('BTC/USDT')).toBe(105);
    // The reserve of a market buy by qty uses that price: 2 x 105 (no slippage, taker fee 0.2 %) = 210.42
    fills.submit(order({ side: 'buy', qty: 2, notBefore: 10 * MINUTE }));
    expect(fills.reservedQuote()).toBeCloseTo(2 * 105 * 1.002, 9);
  });

  it('still ignores the candle of a period ticks reached, for that symbol only', () => {
    const fills = model(0);
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'btc', notBefore: MINUTE }));
    fills.submit(order({ side: 'buy', qty: 1, clientOrderId: 'eth', symbol: 'ETH/USDT' }));
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95 });
    // A BTC tick early in the period before: the order may not fill yet, the stop is not reached.
    expect(fills.onTick(tick(MINUTE - 1, 100))).toEqual([]);
    // The BTC candle of that period ticks reached: its low would hit the stop, but it is ignored.
    expect(fills.onCandle(candle(0, 100, 100, 90, 91))).toEqual([]);
    expect(fills.protections.get('BTC/USDT')).toEqual({ qty: 1, stopLoss: 95 });
    // The BTC tick says nothing of ETH: the ETH candle of the same period fills its order at its open.
    expect(fills.onCandle(candle(0, 2000, 2010, 1990, 2005, 'ETH/USDT')).map((f) => [f.clientOrderId, f.price])).toEqual([['eth', 2000]]);
    expect(fills.lastPrice('ETH/USDT')).toBe(2005);
    expect(fills.lastPrice('BTC/USDT')).toBe(100);
    // A BTC candle of a period no tick reached fills the order at its open and then the stop.
    const later = fills.onCandle(candle(MINUTE, 96, 97, 94, 94.5));
    expect(later.map((f) => [f.clientOrderId, f.reason, f.price])).toEqual([
      ['btc', 'signal', 96],
      ['risk-1', 'stop-loss', 95],
    ]);
  });

  it('ignores a candle of a period ticks reached also when nothing is pending, keeping the tick price', () => {
    const fills = model(0);
    fills.onTick(tick(MINUTE, 100));
    expect(fills.onCandle(candle(MINUTE, 100, 101, 97, 98))).toEqual([]);
    expect(fills.lastPrice('BTC/USDT')).toBe(100);
  });

  it('triggers nothing from a protection set and then cleared, on candles as on ticks', () => {
    const fills = model(0);
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95, takeProfit: 110 });
    fills.protections.clear('BTC/USDT');
    expect(fills.protections.get('BTC/USDT')).toBeUndefined();
    // The low reaches the stop and the high the take-profit: nothing is watched any more.
    expect(fills.onCandle(candle(0, 100, 120, 80, 100))).toEqual([]);
    expect(fills.onTick(tick(MINUTE, 70))).toEqual([]);
    expect(fills.lastPrice('BTC/USDT')).toBe(70);
  });

  it('clears the protection of one symbol only, and clearing an unknown symbol is harmless', () => {
    const fills = model(0);
    fills.protections.clear('DOGE/USDT');
    expect(fills.lastPrice('DOGE/USDT')).toBeUndefined();
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95 });
    fills.protections.set('ETH/USDT', { qty: 1, stopLoss: 1900 });
    fills.protections.clear('ETH/USDT');
    expect(fills.onCandle(candle(0, 2000, 2000, 1800, 1850, 'ETH/USDT'))).toEqual([]);
    expect(fills.onCandle(candle(0, 100, 100, 90, 91))).toEqual([expect.objectContaining({ reason: 'stop-loss', price: 95, qty: 1 })]);
  });

  it('watches a protection set again after one fired', () => {
    const fills = model(0);
    fills.protections.set('BTC/USDT', { qty: 1, stopLoss: 95 });
    expect(fills.onCandle(candle(0, 100, 100, 94, 94))).toHaveLength(1);
    expect(fills.protections.get('BTC/USDT')).toBeUndefined();
    expect(fills.onCandle(candle(MINUTE, 94, 94, 80, 80))).toEqual([]);
    fills.protections.set('BTC/USDT', { qty: 2, takeProfit: 90 });
    expect(fills.onCandle(candle(2 * MINUTE, 85, 91, 84, 88))).toEqual([expect.objectContaining({ reason: 'take-profit', price: 90, qty: 2 })]);
  });
});

describe('FillModel entry protection', () => {
  const model = () => new FillModel({ fees: { maker: 0, taker: 0 }, slippageBps: 0, nextOrderId: createOrderIds('stop') });
  const candle = (time: number, open: number, high: number, low: number, close: number) => ({
    symbol: 'BTC/USDT',
    timeframe: '1m',
    time,
    open,
    high,
    low,
    close,
    volume: 1,
  });

  it('watches the stop from the fill on, so the candle the entry filled in can trigger it', () => {
    const fills = model();
    fills.submit({
      clientOrderId: 'e-1',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      quoteAmount: 1_000,
      reason: 'signal',
      origin: 'test',
      createdAt: 0,
      protect: { stopLossPct: 5, takeProfitPct: 10 },
    });
    // Fills at the open 100; the stop is 95 and the low 94 reaches it in the same candle.
    const [entry, stop] = fills.onCandle(candle(60_000, 100, 101, 94, 96));
    expect(entry).toMatchObject({ side: 'buy', price: 100, qty: 10 });
    expect(stop).toMatchObject({ side: 'sell', price: 95, qty: 10, reason: 'stop-loss' });
  });

  it('sets take-profit around the fill price and leaves it for later candles when not reached', () => {
    const fills = model();
    fills.submit({ clientOrderId: 'e-2', symbol: 'BTC/USDT', side: 'buy', type: 'market', quoteAmount: 1_000, reason: 'signal', origin: 'test', createdAt: 0, protect: { takeProfitPct: 10 } });
    expect(fills.onCandle(candle(60_000, 100, 105, 99, 104))).toHaveLength(1);
    expect(fills.protections.get('BTC/USDT')).toEqual({ qty: 10, takeProfit: 110.00000000000001 });
    expect(fills.onCandle(candle(120_000, 104, 111, 103, 108))).toEqual([expect.objectContaining({ price: 110.00000000000001, reason: 'take-profit' })]);
  });
});
